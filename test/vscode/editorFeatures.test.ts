import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, REPO_ROOT } from './hostHelpers';
import { eventually } from './waiting';

// The language server's features as VS Code itself shows them (through the same provider
// commands the editor calls), inside a real extension host: hover, inlay hints, code lens,
// completion, the status bar and the summary command.

const FORECAST = vscode.Uri.file(path.join(REPO_ROOT, 'examples/forecast.seqmodel'));

interface Api {
  statusBar: { text: string | undefined; update(): void };
  activationMs: number;
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `${needle} not found`);
  return doc.positionAt(i + delta);
}

const hoverText = (hovers: vscode.Hover[]) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
const label = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

describe('SeqModel language server in the extension host', () => {
  let api: Api;
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext, 'extension installed');
    doc = await vscode.workspace.openTextDocument(FORECAST);
    editor = await vscode.window.showTextDocument(doc);
    api = await ext.activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('seqmodel').update('inlayHints.shapes', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates quickly on opening a .seqmodel file', () => {
    console.log(`      activation: ${api.activationMs.toFixed(0)} ms (language server started)`);
    assert.ok(api.activationMs < 5000, `activation took ${api.activationMs} ms`);
  });

  it('hovers LSTM with 10,400 params and the formula', async () => {
    const at = positionOf(doc, 'LSTM(50', 1);
    const text = await eventually(
      async () => hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? []),
      (t) => t.includes('10,400'),
      'the LSTM hover',
    );
    assert.match(text, /4 × \(50 × \(1 \+ 50\) \+ 50\) = 10,400/);
    assert.match(text, /\(None, 50\)/);
  });

  it('shows inlay hints after each layer and follows seqmodel.inlayHints.shapes', async () => {
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await eventually(
      async () => (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range)) ?? [],
      (h) => h.length === 8,
      'eight inlay hints',
    );
    const lstmLine = positionOf(doc, 'LSTM(50').line;
    assert.ok(hints.some((h) => h.position.line === lstmLine && label(h) === '→ (None, 50) · 10,400 params'), hints.map(label).join(' | '));

    await vscode.workspace.getConfiguration('seqmodel').update('inlayHints.shapes', false, vscode.ConfigurationTarget.Global);
    const paramsOnly = await eventually(
      async () => (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range)) ?? [],
      (h) => h.length === 8 && h.every((x) => !label(x).includes('→')),
      'hints without shapes',
    );
    assert.ok(paramsOnly.some((h) => label(h) === '10,400 params'));
    await vscode.workspace.getConfiguration('seqmodel').update('inlayHints.shapes', undefined, vscode.ConfigurationTarget.Global);
  });

  it('puts code lenses with totals, Train and Show summary above each model', async () => {
    const lenses = await eventually(
      async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [],
      (l) => l.length === 9,
      'nine code lenses',
    );
    const lstm = lenses.filter((l) => l.command?.arguments?.[1] === 'lstm');
    assert.deepEqual(lstm.map((l) => l.command?.title), ['10,502 params · 2 layers', '▶ Train', 'Show summary']);
    assert.deepEqual(lstm.map((l) => l.command?.command), ['seqmodel.showSummary', 'seqmodel.train', 'seqmodel.showSummary']);
    assert.equal(lstm[0].range.start.line, positionOf(doc, 'model lstm').line);
  });

  it('completes layer names with snippets and enum values', async () => {
    const scratch = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: 'model m {\n  input(3, 1)\n  \n  GRU(4, activation="")\n}\n' });
    const layers = await eventually(
      async () => (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', scratch.uri, new vscode.Position(2, 2)))?.items ?? [],
      (items) => items.some((i) => i.label === 'LSTM'),
      'layer completions',
    );
    const lstm = layers.find((i) => i.label === 'LSTM')!;
    assert.equal((lstm.insertText as vscode.SnippetString).value, 'LSTM(${1:units})$0');
    const values = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', scratch.uri, new vscode.Position(3, 21))).items;
    assert.ok(values.some((i) => i.label === 'relu'), values.map((i) => String(i.label)).join(','));
  });

  it('shows the params of the model under the cursor in the status bar', async () => {
    editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(positionOf(doc, 'LSTM(50'), positionOf(doc, 'LSTM(50'));
    await eventually(async () => (api.statusBar.update(), api.statusBar.text), (t) => t === '$(symbol-class) lstm: 10,502 params', 'the lstm status');
    editor.selection = new vscode.Selection(positionOf(doc, 'SimpleRNN(50'), positionOf(doc, 'SimpleRNN(50'));
    await eventually(async () => (api.statusBar.update(), api.statusBar.text), (t) => t?.startsWith('$(symbol-class) rnn: ') ?? false, 'the rnn status');
  });

  it('opens the model summary read-only from Show summary', async () => {
    await vscode.commands.executeCommand('seqmodel.showSummary', doc.uri.toString(), 'lstm');
    const summary = await eventually(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'seqmodel-summary'),
      (d) => !!d && d.getText().includes('Total params: 10,502'),
      'the summary document',
    );
    assert.match(summary!.getText(), /Model: "lstm"/);
    // A content-provider document cannot be saved over the source.
    assert.notEqual(summary!.uri.scheme, 'file');
  });

  it('reports problems with the engine codes and fixes them with the quick fix', async () => {
    const scratch = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: 'model m {\n  input(3, 1)\n  LSTM(50)\n  LSTM(20)\n}\n' });
    await vscode.window.showTextDocument(scratch);
    const problems = await eventually(() => vscode.languages.getDiagnostics(scratch.uri), (d) => d.some((x) => x.code === 'missing-return-sequences'), 'the missing-return-sequences problem');
    const problem = problems.find((x) => x.code === 'missing-return-sequences')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', scratch.uri, problem.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('return_sequences=True'));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(scratch.getText(), /LSTM\(50, return_sequences=True\)/);
    await eventually(() => vscode.languages.getDiagnostics(scratch.uri), (d) => d.every((x) => x.severity !== vscode.DiagnosticSeverity.Error), 'no errors after the fix');
  });

  it('renames a constant and formats the document', async () => {
    const scratch = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: 'let n=3\nmodel m {input(n, 1)\n  Dense(n)}\n' });
    await vscode.window.showTextDocument(scratch);
    const edit = await eventually(
      () => vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', scratch.uri, new vscode.Position(0, 4), 'width'),
      (e) => !!e && e.size > 0,
      'the rename edit',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const format = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', scratch.uri, { tabSize: 2, insertSpaces: true });
    const whole = new vscode.WorkspaceEdit();
    whole.set(scratch.uri, format);
    assert.ok(await vscode.workspace.applyEdit(whole));
    assert.equal(scratch.getText(), 'let width = 3\nmodel m {\n  input(width, 1)\n  Dense(width)\n}\n');
  });

  it('serves the commands its code lenses name', async () => {
    // Train itself belongs to the training suites: here only that the lens does not dangle.
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('seqmodel.train'));
    assert.ok(commands.includes('seqmodel.showSummary'));
  });
});
