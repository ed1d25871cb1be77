import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// Runs inside a real VS Code extension host: the language contribution (language id, grammar,
// language configuration, snippets) as VS Code itself loads it from package.json.

// Bundled to out/test/vscode/, three levels below the repository.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const EXTENSION_ID = 'seqmodel-studio.seqmodel-studio';

function seqmodelFiles(): string[] {
  const dirs = [path.join(REPO_ROOT, 'examples'), path.join(REPO_ROOT, 'test/fixtures/workspace')];
  return dirs
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).map((f) => path.join(d, f)))
    // Training keeps its runs in a `.seqmodel/` folder beside the files: not a document.
    .filter((f) => f.endsWith('.seqmodel') && statSync(f).isFile());
}

/** A new untitled .seqmodel editor holding `text`, active and focused. */
async function seqmodelEditor(text = ''): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'seqmodel', content: text });
  return vscode.window.showTextDocument(doc);
}

async function typeText(text: string): Promise<void> {
  for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
}

/** The text one indentation step inserts in this editor. */
function indentUnit(editor: vscode.TextEditor): string {
  const { insertSpaces, tabSize } = editor.options;
  return insertSpaces ? ' '.repeat(Number(tabSize)) : '\t';
}

describe('SeqModel language in the extension host', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is loaded from this repository', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in this host`);
    assert.equal(realpathSync(ext.extensionPath), realpathSync(REPO_ROOT));
  });

  it('registers the seqmodel language', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('seqmodel'));
  });

  it('gives every .seqmodel file of examples/ and the fixtures the seqmodel language', async () => {
    const files = seqmodelFiles();
    assert.ok(files.length > 0, 'no .seqmodel file found');
    for (const file of files) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      assert.equal(doc.languageId, 'seqmodel', file);
      assert.equal(doc.getText(), readFileSync(file, 'utf8'));
    }
  });

  it('inserts a seed snippet by name', async () => {
    const editor = await seqmodelEditor();
    const ok = await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'seqmodel', name: 'Stacked LSTM' });
    assert.notEqual(ok, false);
    const text = editor.document.getText();
    assert.match(text, /^model stacked \{$/m);
    assert.match(text, /^\s+input\(None, 6\)$/m);
    assert.match(text, /^\s+LSTM\(4, return_sequences=True\)$/m);
    assert.match(text, /^\s+LSTM\(5, return_sequences=True\)$/m);
  });

  it('toggles line comments with #', async () => {
    const editor = await seqmodelEditor('let a = 1\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.equal(editor.document.lineAt(0).text, '# let a = 1');
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.equal(editor.document.lineAt(0).text, 'let a = 1');
  });

  it('auto-closes brackets and quotes', async () => {
    const editor = await seqmodelEditor();
    await typeText('LSTM(');
    assert.equal(editor.document.getText(), 'LSTM()');
    await typeText('50, activation="');
    assert.equal(editor.document.getText(), 'LSTM(50, activation="")');
  });

  it('indents inside a model block and dedents its closing brace', async () => {
    const editor = await seqmodelEditor('model m {');
    const end = editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(end, end);
    await typeText('\n');
    assert.equal(editor.document.lineAt(1).text, indentUnit(editor));
    await typeText('LSTM(4)\n');
    // VS Code web tokenizes in a worker: the dedent on `}` reads the line's tokens, which a
    // typing user always leaves time for but back-to-back `type` commands may not.
    await new Promise((r) => setTimeout(r, 300));
    await typeText('}');
    assert.equal(editor.document.lineAt(1).text, `${indentUnit(editor)}LSTM(4)`);
    assert.equal(editor.document.lineAt(2).text, '}');
  });

  it('activates when the extension has been built', async function () {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main?: string };
    if (!pkg.main || !existsSync(path.join(REPO_ROOT, pkg.main))) {
      // Until src/extension exists there is nothing to activate: only the declarative contribution.
      this.skip();
    }
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
