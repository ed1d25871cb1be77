import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { format } from '../../src/language';
import { decodeSemanticTokens } from '../helpers/semanticTokens';
import { ensureBuilt, LspClient, positionOf, ROOT, type Range } from './lsp-client';
import { ENGINE_V8_FLAGS, engineEnv } from '../../src/server/engineProcess';

// The real server (dist/server.js) over stdio and IPC, spoken to as an LSP editor would.

const forecastPath = join(ROOT, 'examples', 'forecast.seqmodel');
const forecast = readFileSync(forecastPath, 'utf8');
const URI = 'file:///work/forecast.seqmodel';

interface Hover {
  contents: { kind: string; value: string };
  range?: Range;
}
interface InlayHint {
  position: { line: number; character: number };
  label: string;
}
interface CompletionItem {
  label: string;
  insertTextFormat?: number;
  textEdit?: { newText: string };
}
interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes: Record<string, { range: Range; newText: string }[]> };
}
interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies LSP edits to a text (edits must not overlap; applied from the end). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

// Every test over both transports: stdio (Neovim, Helix, `seqmodel lsp --stdio`) and Node's IPC
// channel (the VS Code extension), whose writer is the server's own (src/server/ipcWriter.ts).
for (const transport of ['stdio', 'ipc'] as const) describe(`language server over ${transport} (LSP protocol)`, function () {
  this.timeout(30000);
  let client: LspClient;

  // A stale dist/ is rebuilt first: on two loaded cores that alone can take longer than a test may.
  before(function () {
    this.timeout(300000);
    ensureBuilt();
  });
  beforeEach(async () => {
    client = transport === 'ipc' ? LspClient.startIpc() : LspClient.start('server');
  });
  afterEach(async () => {
    const code = await client.stop();
    assert.equal(code, 0, `server exit code; stderr: ${client.stderr}`);
  });

  it('initializes with every feature the editor uses', async () => {
    const { capabilities } = await client.initialize();
    for (const c of ['hoverProvider', 'inlayHintProvider', 'codeLensProvider', 'completionProvider', 'signatureHelpProvider', 'codeActionProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'definitionProvider', 'renameProvider', 'documentFormattingProvider', 'semanticTokensProvider']) {
      assert.ok(capabilities[c], `missing ${c}`);
    }
  });

  it('publishes diagnostics on open and after a change, with the engine codes and the current version', async () => {
    await client.initialize();
    const opened = client.nextDiagnostics(URI, 1);
    client.open(URI, forecast, 1);
    assert.deepEqual((await opened).diagnostics, []);

    // Break the LSTM model: LSTM after LSTM without return_sequences.
    const at = positionOf(forecast, '  Dense(n_steps)\n}\n\ntrain');
    const changed = client.nextDiagnostics(URI, 3);
    client.change(URI, 2, [{ range: { start: at, end: at }, text: '  LSTM(10)\n' }]);
    client.change(URI, 3, [{ range: { start: at, end: at }, text: '  LSTM(20)\n' }]);
    const d = await changed;
    const codes = d.diagnostics.map((x) => x.code);
    assert.ok(codes.includes('missing-return-sequences') || codes.includes('incompatible-shape'), `codes: ${codes}`);
    // Debounced: the intermediate version 2 was never published.
    assert.ok(!client.diagnostics.some((x) => x.version === 2), 'stale version 2 was published');
  });

  it('tags unused definitions as unnecessary', async () => {
    await client.initialize();
    const opened = client.nextDiagnostics(URI, 1);
    client.open(URI, 'let unused = 3\n', 1);
    const d = (await opened).diagnostics.find((x) => x.code === 'unused-definition');
    assert.ok(d, 'unused-definition reported');
    assert.deepEqual(d!.tags, [1]);
  });

  it('hovers LSTM with its output shape, 10,400 params and the formula', async () => {
    await client.initialize();
    client.open(URI, forecast, 1);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'LSTM(50', 2) });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /10,400/);
    assert.match(hover.contents.value, /4 × \(50 × \(1 \+ 50\) \+ 50\) = 10,400/);
    assert.match(hover.contents.value, /\(None, 50\)/);
    assert.match(hover.contents.value, /forget/); // the gate equations
  });

  it('hovers a model with its summary table, data with its windows, a constant with its value', async () => {
    await client.initialize();
    client.open(URI, forecast, 1);
    const model = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'model lstm', 7) });
    assert.match(model.contents.value, /Model: "lstm"/);
    assert.match(model.contents.value, /Total params: 10,502/);
    const data = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'data series', 6) });
    assert.match(data.contents.value, /\[10 20 30\] \[40 50\]/);
    assert.match(data.contents.value, /\(5, 3, 1\)/);
    const constant = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'steps=seq_len', 7) });
    assert.match(constant.contents.value, /let seq_len = 3/);
  });

  it('sends inlay hints after each layer and follows the settings', async () => {
    await client.initialize();
    client.open(URI, forecast, 1);
    const range = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: URI }, range });
    const labels = hints.map((h) => h.label);
    assert.ok(labels.includes('→ (None, 50) · 10,400 params'), labels.join('\n'));
    assert.equal(hints.length, 8); // rnn 2, rnn_bn 4, lstm 2 layers
    const lstmLine = positionOf(forecast, 'LSTM(50').line;
    assert.ok(hints.some((h) => h.position.line === lstmLine && h.label.includes('10,400')));

    client.settings = { inlayHints: { shapes: false, params: true } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await new Promise((r) => setTimeout(r, 200));
    const paramsOnly = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: URI }, range });
    assert.ok(paramsOnly.some((h) => h.label === '10,400 params'), paramsOnly.map((h) => h.label).join('\n'));
    assert.ok(paramsOnly.every((h) => !h.label.includes('→')));
  });

  it('takes settings from initializationOptions and pushed configuration when the client does not answer configuration requests', async () => {
    await client.initialize({ settings: { inlayHints: { shapes: true, params: false } } }, false);
    client.open(URI, forecast, 1);
    const range = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
    const shapesOnly = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: URI }, range });
    assert.ok(shapesOnly.some((h) => h.label === '→ (None, 50)'), shapesOnly.map((h) => h.label).join(' | '));
    client.notify('workspace/didChangeConfiguration', { settings: { seqmodel: { inlayHints: { shapes: false, params: true } } } });
    const paramsOnly = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: URI }, range });
    assert.ok(paramsOnly.some((h) => h.label === '10,400 params'), paramsOnly.map((h) => h.label).join(' | '));
  });

  it('completes layers with snippets, argument names and enum values', async () => {
    await client.initialize();
    const text = 'model m {\n  input(3, 1)\n  \n}\n';
    client.open(URI, text, 1);
    const layers = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 2, character: 2 } });
    const lstm = layers.find((i) => i.label === 'LSTM');
    assert.ok(lstm, 'LSTM offered');
    assert.equal(lstm!.textEdit?.newText, 'LSTM(${1:units})$0');
    assert.equal(lstm!.insertTextFormat, 2);

    client.change(URI, 2, [{ text: 'model m {\n  input(3, 1)\n  LSTM(50, activation="\n}\n' }]);
    const values = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 2, character: 23 } });
    assert.ok(values.some((i) => i.label === 'relu'), values.map((i) => i.label).join(','));

    client.change(URI, 3, [{ text: 'model m {\n  input(3, 1)\n  LSTM(50, \n}\n' }]);
    const args = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 2, character: 11 } });
    assert.ok(args.some((i) => i.label === 'return_sequences='), args.map((i) => i.label).join(','));
  });

  it('offers the return_sequences quick fix and it fixes the model', async () => {
    await client.initialize();
    const text = 'model m {\n  input(3, 1)\n  LSTM(50)\n  LSTM(20)\n}\n';
    const opened = client.nextDiagnostics(URI, 1);
    client.open(URI, text, 1);
    const diags = (await opened).diagnostics;
    const d = diags.find((x) => x.code === 'missing-return-sequences');
    assert.ok(d, JSON.stringify(diags));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: d!.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.title.includes('return_sequences'));
    assert.ok(fix, actions.map((a) => a.title).join(','));
    assert.equal(fix!.kind, 'quickfix');
    const fixed = applyEdits(text, fix!.edit!.changes[URI]);
    assert.match(fixed, /LSTM\(50, return_sequences=True\)/);
    const after = client.nextDiagnostics(URI, 2);
    client.change(URI, 2, [{ text: fixed }]);
    assert.deepEqual((await after).diagnostics.filter((x) => x.severity === 1), []);
  });

  it('renames a constant everywhere and refuses a taken name', async () => {
    await client.initialize();
    client.open(URI, forecast, 1);
    const pos = positionOf(forecast, 'seq_len');
    const edit = await client.request<{ changes: Record<string, TextEdit[]> }>('textDocument/rename', { textDocument: { uri: URI }, position: pos, newName: 'window_len' });
    const renamed = applyEdits(forecast, edit.changes[URI]);
    assert.equal(renamed.match(/\bseq_len\b/g), null);
    assert.equal(renamed.match(/\bwindow_len\b/g)!.length, forecast.match(/\bseq_len\b/g)!.length);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: URI }, position: pos, newName: 'n_steps' }), /already defined/);
  });

  it('formats to the canonical layout, idempotently', async () => {
    await client.initialize();
    const messy = 'let  x=3\nmodel m {input(x,1)\n      LSTM( 4,activation = "relu" )}\n\n\n\ntrain m on d{epochs=2}\n';
    client.open(URI, messy, 1);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
    const formatted = applyEdits(messy, edits);
    assert.equal(formatted, 'let x = 3\nmodel m {\n  input(x, 1)\n  LSTM(4, activation="relu")\n}\n\ntrain m on d {\n  epochs = 2\n}\n');
    client.change(URI, 2, [{ text: formatted }]);
    const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(again, []);
  });

  it('formats again after edits at two far places from the layout it kept: exactly the layout of the new text', async () => {
    await client.initialize();
    const formatting = { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } };
    const messy = 'let  a=1\nmodel m {\ninput(3,1)\n' + '  Dense( 1 )\n'.repeat(5000) + '}\n';
    client.open(URI, messy, 1);
    assert.equal(applyEdits(messy, await client.request<TextEdit[]>('textDocument/formatting', formatting)), format(messy));
    // Lines added at the end, then a block opened at the start: every line between is indented one level more.
    const end = { line: messy.split('\n').length - 1, character: 0 };
    client.change(URI, 2, [{ range: { start: end, end }, text: 'let b=[1,\n2]\n' }]);
    client.change(URI, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'model n {\n' }]);
    const text = 'model n {\n' + messy + 'let b=[1,\n2]\n';
    assert.equal(applyEdits(text, await client.request<TextEdit[]>('textDocument/formatting', formatting)), format(text));
    // Closed and opened again: the document starts afresh.
    client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    client.open(URI, messy, 1);
    assert.equal(applyEdits(messy, await client.request<TextEdit[]>('textDocument/formatting', formatting)), format(messy));
  });

  it('answers code lens, symbols, folding, definition and semantic tokens', async () => {
    await client.initialize();
    client.open(URI, forecast, 1);
    const lenses = await client.request<{ command?: { title: string; command: string; arguments?: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.ok(lenses.some((l) => l.command?.command === 'seqmodel.train' && (l.command.arguments as unknown[])[1] === 'lstm'));
    assert.ok(lenses.some((l) => l.command?.title.startsWith('10,502 params')));
    const symbols = await client.request<{ name: string; children?: unknown[] }[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.deepEqual(symbols.map((s) => s.name).slice(0, 6), ['seq_len', 'n_steps', 'series', 'rnn', 'rnn_bn', 'lstm']);
    const folds = await client.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri: URI } });
    assert.ok(folds.length >= 4);
    const def = await client.request<{ range: Range }>('textDocument/definition', { textDocument: { uri: URI }, position: positionOf(forecast, 'predict lstm', 9) });
    assert.equal(def.range.start.line, positionOf(forecast, 'model lstm').line);
    const highlights = await client.request<{ kind: number }[]>('textDocument/documentHighlight', { textDocument: { uri: URI }, position: positionOf(forecast, 'n_steps') });
    assert.deepEqual(highlights.map((h) => h.kind), [3, ...Array((forecast.match(/\bn_steps\b/g) ?? []).length - 1).fill(2)]);
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
  });

  it('leaves out of semantic tokens what a grammar colours only for a client that colours with SeqModel\'s grammar', async () => {
    // VS Code: augments its grammar's colours (the extension says `grammar`); Neovim augments too, but has no grammar of the language.
    const { capabilities } = await client.initialize({ grammar: true });
    const legend = (capabilities.semanticTokensProvider as { legend: { tokenTypes: string[] } }).legend.tokenTypes;
    const other = transport === 'ipc' ? LspClient.startIpc() : LspClient.start('server');
    try {
      await other.initialize();
      const request = async (c: LspClient) => {
        c.open(URI, forecast, 1);
        return decodeSemanticTokens((await c.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: URI } })).data);
      };
      const [semantic, all] = [await request(client), await request(other)];
      const grammarColoured = (t: number[]) => ['keyword', 'number', 'string', 'comment'].includes(legend[t[3]]);
      assert.deepEqual(new Set(all.filter(grammarColoured).map((t) => legend[t[3]])), new Set(['keyword', 'number', 'string', 'comment']));
      assert.deepEqual(semantic, all.filter((t) => !grammarColoured(t)));
      assert.ok(semantic.length > 0);
    } finally {
      assert.equal(await other.stop(), 0);
    }
  });

  it('answers semanticTokens/full/delta with one edit of its last answer after a change, and a range with the tokens on its lines', async () => {
    await client.initialize();
    client.open(URI, forecast, 1);
    const first = await client.request<{ resultId: string; data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    assert.ok(first.resultId);
    const line = positionOf(forecast, 'LSTM(50').line;
    client.change(URI, 2, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '  Dense(4)\n' }]);
    const delta = await client.request<{ resultId: string; edits: { start: number; deleteCount: number; data?: number[] }[] }>('textDocument/semanticTokens/full/delta', { textDocument: { uri: URI }, previousResultId: first.resultId });
    assert.equal(delta.edits.length, 1);
    const data = [...first.data];
    for (const e of delta.edits) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
    const fresh = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    assert.deepEqual(data, fresh.data);
    assert.ok(delta.edits[0].data!.length < fresh.data.length / 4, 'the edit carries the changed part only');
    // A range's tokens are the full answer's on the lines it spans (a range of whole lines here).
    const range = await client.request<{ data: number[] }>('textDocument/semanticTokens/range', { textDocument: { uri: URI }, range: { start: { line, character: 0 }, end: { line: line + 2, character: 0 } } });
    const onLines = decodeSemanticTokens(fresh.data).filter(([l]) => l >= line && l < line + 2);
    assert.ok(onLines.length > 0);
    assert.deepEqual(decodeSemanticTokens(range.data), onLines);
  });

  it('survives a seeded flood of random edits and requests, and ends with current diagnostics', async () => {
    await client.initialize({ diagnosticDelayMs: 20 });
    let text = forecast;
    client.open(URI, text, 1);
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const pieces = ['LSTM(', ')', '(', '[', ']', '{', '}', ',', '=', '"', "'", '\n', '  ', 'model ', 'train ', ' on ', 'data ', 'let ', 'predict ', 'return_sequences=True', '50', '-1e9', '#', '//', 'é', '😀', '\r\n', 'None', 'input(3, 1)', 'Bidirectional(GRU(4))', 'window(', 'echo()', '**', '/'];
    // Lines as LSP counts them: \r\n, \r and \n all end a line.
    const toPos = (o: number) => {
      const before = text.slice(0, o).split(/\r\n|\r|\n/);
      return { line: before.length - 1, character: before[before.length - 1].length };
    };
    const pending: Promise<unknown>[] = [];
    for (let v = 2; v <= 400; v++) {
      const a = Math.floor(rand() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(rand() * 6));
      const insert = rand() < 0.7 ? pieces[Math.floor(rand() * pieces.length)] : '';
      // Edits may split a CRLF or a surrogate pair: the server must cope with whatever arrives.
      const range = { start: toPos(a), end: toPos(b) };
      text = text.slice(0, a) + insert + text.slice(b);
      client.change(URI, v, [{ range, text: insert }]);
      const p = toPos(Math.floor(rand() * (text.length + 1)));
      const doc = { textDocument: { uri: URI } };
      const method = ['textDocument/hover', 'textDocument/completion', 'textDocument/signatureHelp', 'textDocument/inlayHint', 'textDocument/codeLens', 'textDocument/documentSymbol', 'textDocument/semanticTokens/full', 'textDocument/formatting', 'textDocument/foldingRange', 'textDocument/codeAction', 'textDocument/prepareRename'][v % 11];
      const params =
        method === 'textDocument/inlayHint' || method === 'textDocument/codeAction'
          ? { ...doc, range: { start: { line: 0, character: 0 }, end: p }, context: { diagnostics: [] } }
          : method === 'textDocument/formatting'
            ? { ...doc, options: { tabSize: 2, insertSpaces: true } }
            : { ...doc, position: p };
      pending.push(client.request(method, params));
    }
    const results = await Promise.allSettled(pending);
    // A request whose version an edit replaced before its analysis ended may answer
    // ContentModified, as the LSP specification prescribes; nothing else may fail.
    const failures = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: number }).code !== -32801);
    assert.deepEqual(failures, [], 'every request answered');
    const last = client.nextDiagnostics(URI, 401);
    client.change(URI, 401, [{ text: forecast }]);
    assert.deepEqual((await last).diagnostics, []);
    assert.ok(!client.logs.some((l) => l.includes('failed')), client.logs.join('\n'));
  });

  it('answers on a file built to exhaust the stack (50,000 open brackets), and recovers', async () => {
    await client.initialize();
    const deep = 'let x = ' + '['.repeat(50000) + '\n';
    const opened = client.nextDiagnostics(URI, 1);
    client.open(URI, deep, 1);
    const d = (await opened).diagnostics;
    assert.ok(d.some((x) => /nested more than 100 levels/.test(x.message)), JSON.stringify(d.map((x) => x.message)));
    assert.ok(d.length <= 3, 'one problem, reported once, not once per bracket');
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 4 } }), null);
    const fixed = client.nextDiagnostics(URI, 2);
    client.change(URI, 2, [{ text: forecast }]);
    assert.deepEqual((await fixed).diagnostics, []);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'LSTM(50', 1) });
    assert.match(hover.contents.value, /10,400/);
  });

  it('honours cancellation: a request cancelled while the server is busy is answered RequestCancelled', async () => {
    await client.initialize();
    // A big file keeps the server busy analysing for the first hover while the second one and
    // its cancellation arrive, so the cancellation is known before the second is dispatched.
    const big = Array.from({ length: 300 }, (_, i) => forecast.replace(/\b(seq_len|n_steps|series|rnn_bn|rnn|lstm)\b/g, `$1_${i}`)).join('\n');
    client.open(URI, big, 1);
    const position = positionOf(big, 'LSTM(50', 1);
    const first = client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position });
    const source = new CancellationTokenSource();
    const second = client.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position }, source.token);
    source.cancel();
    assert.match((await first).contents.value, /10,400/);
    await assert.rejects(second, (e: { code?: number }) => e.code === -32800);
  });

  /** One model of `layers` Dense layers: an analysis long enough to span many slices of the server's event loop. */
  const longModel = (layers: number) => 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(layers) + '}\n';

  it('answers a request cancelled while it waits for a long analysis with RequestCancelled, before the analysis ends', async () => {
    await client.initialize({ diagnosticDelayMs: 0 });
    const big = longModel(30000);
    const opened = client.nextDiagnostics(URI, 1, 60000);
    client.open(URI, big, 1);
    const source = new CancellationTokenSource();
    const symbols = client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } }, source.token);
    source.cancel();
    await assert.rejects(symbols, (e: { code?: number }) => e.code === -32800);
    assert.deepEqual(client.diagnostics, [], 'the cancellation is answered while the analysis still runs');
    // The analysis itself goes on for the diagnostics.
    assert.deepEqual((await opened).diagnostics, []);
  });

  it('abandons the analysis of a version an edit replaced: its requests answer ContentModified, the new version is published alone', async () => {
    await client.initialize({ diagnosticDelayMs: 0 });
    client.open(URI, longModel(30000), 1);
    const stale = client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 5, character: 3 } });
    const current = client.nextDiagnostics(URI, 2, 60000);
    client.change(URI, 2, [{ text: forecast }]);
    await assert.rejects(stale, (e: { code?: number }) => e.code === -32801);
    assert.deepEqual((await current).diagnostics, []);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'LSTM(50', 1) });
    assert.match(hover.contents.value, /10,400/);
    assert.deepEqual(
      client.diagnostics.map((d) => d.version),
      [2],
      'version 1 was never published',
    );
  });

  it('formats a version while its analysis still runs: formatting needs the text alone', async () => {
    await client.initialize({ diagnosticDelayMs: 0 });
    const opened = client.nextDiagnostics(URI, 1, 60000);
    client.open(URI, 'let   a=1\n' + longModel(30000), 1);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(client.diagnostics, [], 'the formatting is answered before the analysis ends');
    assert.deepEqual(edits, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 8 } }, newText: 'a = ' }]);
    assert.deepEqual(
      (await opened).diagnostics.map((d) => d.code),
      ['unused-definition'],
    );
  });

  /** Four megabytes that formatting rewrites throughout (a `}` on a line of its own after every character): half a second of work or more. */
  const closes = '}'.repeat(4 << 20);
  const formatting = { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } };

  /**
   * Sends a formatting of the open document, then a hover, and waits for the hover's answer:
   * the server answers it between two slices of the formatting (a synchronous handler would
   * answer it only after the formatting), so the formatting is still running when this returns.
   */
  async function formattingUnderWay(token?: CancellationTokenSource['token']): Promise<{ pending: Promise<unknown> }> {
    let settled = false;
    const pending = token ? client.connection.sendRequest('textDocument/formatting', formatting, token) : client.connection.sendRequest('textDocument/formatting', formatting);
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 0 } });
    assert.equal(settled, false, 'a hover sent after the formatting is answered while the formatting still runs');
    return { pending };
  }

  it('stops formatting megabytes when it is cancelled: RequestCancelled, and the server goes on serving', async () => {
    await client.initialize({ diagnosticDelayMs: 0 });
    const opened = client.nextDiagnostics(URI, 1, 60000);
    client.open(URI, closes, 1);
    await opened;
    const source = new CancellationTokenSource();
    const { pending } = await formattingUnderWay(source.token);
    source.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    const messy = 'let a=1\nlet b = a\n';
    client.change(URI, 2, [{ text: messy }]);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', formatting);
    assert.equal(applyEdits(messy, edits), 'let a = 1\nlet b = a\n');
  });

  it('answers a formatting ContentModified when the text changes under it, and formats the new version', async () => {
    await client.initialize({ diagnosticDelayMs: 0 });
    const opened = client.nextDiagnostics(URI, 1, 60000);
    client.open(URI, closes, 1);
    await opened;
    const { pending } = await formattingUnderWay();
    client.change(URI, 2, [{ text: '}}}' }]);
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32801);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', formatting);
    assert.equal(applyEdits('}}}', edits), '}\n}\n}\n');
  });

  it('answers semantic tokens cancelled before their answer with RequestCancelled, then the full answer of the new version', async () => {
    await client.initialize({ diagnosticDelayMs: 0 });
    const lets = (name: string) => Array.from({ length: 65000 }, (_, i) => `let ${name}${i} = ${i}`).join('\n');
    const opened = client.nextDiagnostics(URI, 1, 60000);
    client.open(URI, lets('x'), 1);
    await opened;
    // A new megabyte: the request waits for its analysis (150-300 ms in slices of the server's
    // event loop), so the cancellation always arrives while it is pending. Sent once the
    // analysis was ready, it raced the tokens themselves, which a fast machine writes within
    // the first 10 ms slice (answered then, as LSP allows; the test then failed now and then).
    client.change(URI, 2, [{ text: lets('renamed') }]);
    const source = new CancellationTokenSource();
    const tokens = client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: URI } }, source.token);
    source.cancel();
    await assert.rejects(tokens, (e: { code?: number }) => e.code === -32800);
    const full = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    assert.equal(full.data.length, 5 * 100_000, 'the full answer, to its cap');
    assert.equal(full.data[5 + 2], 'renamed0'.length, 'of the new version: its second token is renamed0');
  });

  it('runs through the CLI: seqmodel lsp --stdio', async () => {
    await client.stop();
    client = LspClient.start('cli');
    await client.initialize();
    client.open(URI, forecast, 1);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: positionOf(forecast, 'LSTM(50', 1) });
    assert.match(hover.contents.value, /10,400/);
    // The launcher starts the server in a Node with the engine's V8 flags (the heap sizes its
    // latency and memory figures rest on, src/server/engineProcess.ts), as the extension does.
    const launcher = client.child.pid!;
    const server = Number(readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(' ')[0]);
    const args = readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0');
    for (const flag of ENGINE_V8_FLAGS) assert.ok(args.includes(flag), `the server runs without ${flag}: ${args.join(' ')}`);
    // And with the allocator setting, which only the environment it starts with can give.
    const environment = readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
    for (const [name, value] of Object.entries(engineEnv({}))) assert.ok(environment.includes(`${name}=${value}`), `the server runs without ${name}=${value}`);
  });
});
