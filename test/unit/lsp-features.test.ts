import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { ResponseError } from 'vscode-languageserver';
import { analyze } from '../../src/language';
import { codeActions } from '../../src/server/codeActions';
import { codeLenses, MAX_CODE_LENS_MODELS } from '../../src/server/codeLens';
import { definition, references } from '../../src/server/definition';
import { toLspDiagnostics } from '../../src/server/diagnostics';
import { DiagnosticScheduler } from '../../src/server/diagnosticScheduler';
import { foldingRanges } from '../../src/server/folding';
import { formatDocument } from '../../src/server/formatting';
import { hover, numpyRow } from '../../src/server/hover';
import { inlayHints } from '../../src/server/inlayHints';
import { rename } from '../../src/server/rename';
import { guarded } from '../../src/server/safe';
import { LEGEND, semanticTokenData, semanticTokens } from '../../src/server/semanticTokens';
import { SemanticTokensResults } from '../../src/server/semanticTokensDelta';
import { documentSymbols, MAX_OUTLINE, MAX_OUTLINE_LAYERS } from '../../src/server/symbols';

// The server's features as pure functions of an analysis.

const forecast = readFileSync(join(__dirname, '..', '..', 'examples', 'forecast.seqmodel'), 'utf8');
const states = readFileSync(join(__dirname, '..', '..', 'examples', 'lstm_states.seqmodel'), 'utf8');
const a = analyze(forecast);
const hoverText = (text: string, needle: string, delta = 1) => {
  const h = hover(analyze(text), text.indexOf(needle) + delta);
  return h ? (h.contents as { value: string }).value : null;
};

describe('server features', () => {
  it('hover: layers with shapes, the split of frozen weights, several outputs; nothing on blank space', () => {
    const frozen = 'model m {\n  input(3, 1)\n  LSTM(50, trainable=False)\n  BatchNormalization()\n}\n';
    const lstm = hoverText(frozen, 'LSTM')!;
    assert.match(lstm, /Params: \*\*10,400\*\* \(trainable 0, non-trainable 10,400\)/);
    const bn = hoverText(frozen, 'BatchNormalization')!;
    assert.match(bn, /Params: \*\*200\*\* \(trainable 100, non-trainable 100\)/);
    const multi = hoverText(states, '\n  LSTM(n_s', 4)!;
    assert.match(multi, /\[\(None, 30, 64\), \(None, 64\), \(None, 64\)\]` \(3 outputs\)/);
    assert.match(multi, /17,408/);
    assert.equal(hover(a, forecast.indexOf('\n\n') + 1), null);
    assert.match(hoverText(forecast, 'input(seq_len')!, /Input shape: `\(None, 3, 1\)`/);
    // A wrapped layer hovers as itself.
    const wrapped = 'model m {\n  input(5, 2)\n  Bidirectional(GRU(4))\n}\n';
    assert.match(hoverText(wrapped, 'GRU')!, /GRU/);
    assert.match(hoverText(wrapped, 'Bidirectional')!, /Output shape: `\(None, 8\)`/);
  });

  it('hover: user text is shown, never rendered as markup (VS Code renders hovers with markdown-it)', () => {
    const md = new MarkdownIt({ linkify: false });
    const names = ['x [Open](https://example.com)', 'a`` [L](http://e.com) ``', '`<img src=x onerror=alert(1)>`', '```\n[x](http://y)'];
    const text = `model m {\n  input(3, 1)\n${names.map((n, i) => `  Dense(${i + 1}, name=${JSON.stringify(n)})\n`).join('')}}\nlet s = ${JSON.stringify(names[1])}\nlet t = s\n`;
    const a = analyze(text);
    const hovers = [...names.map((_, i) => text.indexOf(`Dense(${i + 1}`) + 1), text.indexOf('model m') + 6, text.indexOf('let s') + 4].map((o) => {
      const h = hover(a, o);
      assert.ok(h, `a hover at ${o}`);
      return (h.contents as { value: string }).value;
    });
    for (const value of hovers) {
      const html = md.render(value);
      assert.doesNotMatch(html, /<a |<img /, value);
    }
    // The text itself is there, whole: in the layer's line, the summary table and the constant.
    const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    names.slice(0, 3).forEach((n, i) => assert.ok(plain(md.render(hovers[i])).includes(n), hovers[i]));
    assert.ok(plain(md.render(hovers[names.length])).includes('x [Open](https://example.com) (Dense)'));
  });
  it('hover: argument names explain themselves; constants show computed values', () => {
    assert.match(hoverText(forecast, 'activation="relu"')!, /Default: `"tanh"`/);
    assert.match(hoverText('let a = 3\nlet b = a * 2\n', 'let b', 4)!, /= `6`/);
  });

  it('hover: labelled windows name their label column, classes and how mixed windows are handled', () => {
    const labelled = 'data rec = window(csv("a.csv", columns=["x", "y"], label="activity", class_names=["sit", "walk"]), steps=40, stride=20, mixed="majority")\n';
    const text = hoverText(labelled, 'rec')!;
    assert.match(text, /\*\*data rec\*\* · windows classified by "activity"/);
    assert.match(text, /X: `\(n, 40, 2\)` · Y: `\(n, 2\)`/);
    assert.match(text, /Classes: sit, walk/);
    assert.match(text, /A window every 20 steps; windows spanning two labels are labelled by most of their rows\./);
    const found = hoverText('data rec = window(csv("a.csv", label=4), steps=8)\n', 'rec')!;
    assert.match(found, /Y: `\(n, n\)`/);
    assert.match(found, /Classes: the labels in the file, sorted \(read when training\)/);
    assert.match(found, /A window every 1 step; windows spanning two labels are dropped\./);
  });

  it('prints windows as numpy does', () => {
    assert.equal(numpyRow([[10], [20], [30]]), '[10 20 30]');
    assert.equal(numpyRow([40, 50]), '[40 50]');
    assert.equal(numpyRow([[1, 2], [3, 4]]), '[[1 2] [3 4]]');
  });

  it('inlay hints: both parts, each alone, none; only in the requested range', () => {
    const all = { start: 0, end: forecast.length };
    const labels = (shapes: boolean, params: boolean) => inlayHints(a, all, { shapes, params }).map((h) => h.label);
    assert.ok(labels(true, true).includes('→ (None, 50) · 10,400 params'));
    assert.ok(labels(true, false).includes('→ (None, 50)'));
    assert.ok(labels(false, true).includes('10,400 params'));
    assert.deepEqual(labels(false, false), []);
    const lstmModel = forecast.indexOf('model lstm');
    assert.equal(inlayHints(a, { start: lstmModel, end: forecast.indexOf('train') }, { shapes: true, params: true }).length, 2);
  });

  it('code lens: totals and the two commands with the URI and model name', () => {
    const lenses = codeLenses(a, 'file:///f.seqmodel');
    assert.equal(lenses.length, 9);
    const lstm = lenses.filter((l) => l.command?.arguments?.[1] === 'lstm').map((l) => l.command!.title);
    assert.deepEqual(lstm, ['10,502 params · 2 layers', '▶ Train', 'Show summary']);
    const rnnBn = lenses.find((l) => l.command?.arguments?.[1] === 'rnn_bn')!.command!.title;
    assert.match(rnnBn, /\(\d[\d,]* trainable\)/);
  });

  it('code lens: those of the first MAX_CODE_LENS_MODELS models, in file order', () => {
    const text = Array.from({ length: MAX_CODE_LENS_MODELS + 7 }, (_, i) => `model m${i} {\n  input(3, 1)\n  Dense(1)\n}\n`).join('');
    const lenses = codeLenses(analyze(text), 'file:///f.seqmodel');
    assert.equal(lenses.length, 3 * MAX_CODE_LENS_MODELS);
    assert.deepEqual([lenses[0].command?.arguments?.[1], lenses[lenses.length - 1].command?.arguments?.[1]], ['m0', `m${MAX_CODE_LENS_MODELS - 1}`]);
    assert.equal(codeLenses(analyze(text), 'u', 2).length, 6);
  });

  it('diagnostics keep the engine codes; quick fixes come from the engine fixes', () => {
    const text = 'model m {\n  input(3, 1)\n  LSTM(50)\n  GRU(5)\n  Dnse(1)\n}\n';
    const b = analyze(text);
    const diags = toLspDiagnostics(b);
    assert.deepEqual(diags.map((d) => d.code).sort(), b.diagnostics.map((d) => d.code).sort());
    const actions = codeActions(b, 'u', { start: 0, end: text.length });
    const titles = actions.map((x) => x.title);
    assert.ok(titles.some((t) => t.includes('return_sequences=True')), titles.join());
    assert.ok(titles.includes('Change to Dense'), titles.join());
    assert.deepEqual(codeActions(b, 'u', { start: 0, end: text.length }, ['refactor']), []);
    const noInput = analyze('model m {\n  LSTM(5)\n}\n');
    assert.ok(codeActions(noInput, 'u', { start: 0, end: 30 }).some((x) => x.title.startsWith('Add input(')));
  });

  it('definition, references and rename follow the symbols', () => {
    const use = forecast.indexOf('seq_len', forecast.indexOf('data series'));
    assert.equal(definition(a, 'u', use)!.range.start.line, 4);
    assert.equal(references(a, 'u', use, true).length, (forecast.match(/\bseq_len\b/g) ?? []).length);
    const edit = rename(a, 'u', use, 'steps_in');
    assert.ok(!(edit instanceof ResponseError) && edit);
    assert.ok(rename(a, 'u', use, 'model') instanceof ResponseError);
    assert.ok(rename(a, 'u', use, '2x') instanceof ResponseError);
    assert.ok(rename(a, 'u', use, 'lstm') instanceof ResponseError);
    assert.equal(rename(a, 'u', forecast.indexOf('LSTM'), 'x'), null);
  });

  it('outline: lists at most MAX_OUTLINE_LAYERS layers of a model and MAX_OUTLINE definitions, then one entry spanning the rest', () => {
    const layers = MAX_OUTLINE_LAYERS + 250;
    const big = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(layers) + '}\n';
    const [model] = documentSymbols(analyze(big));
    assert.equal(model.children!.length, MAX_OUTLINE_LAYERS + 1);
    assert.equal(model.children![MAX_OUTLINE_LAYERS - 1].name, `dense_${MAX_OUTLINE_LAYERS - 1}`);
    const rest = model.children![MAX_OUTLINE_LAYERS];
    assert.equal(rest.name, '… 250 more layers');
    // From the first layer left out (line 2 is the input, layer k on line k + 2) to the last.
    assert.deepEqual(rest.range, { start: { line: MAX_OUTLINE_LAYERS + 2, character: 2 }, end: { line: layers + 1, character: 10 } });

    const lets = Array.from({ length: MAX_OUTLINE + 3 }, (_, i) => `let c${i} = ${i}\n`).join('');
    const top = documentSymbols(analyze(lets));
    assert.equal(top.length, MAX_OUTLINE + 1);
    assert.equal(top[MAX_OUTLINE - 1].name, `c${MAX_OUTLINE - 1}`);
    assert.equal(top[MAX_OUTLINE].name, '… 3 more definitions');
    assert.deepEqual(top[MAX_OUTLINE].range.start, { line: MAX_OUTLINE, character: 0 });

    // Constants whose statement has an error are listed from the symbols, once each, in order,
    // and counted once in the entry for the rest.
    const mixed = Array.from({ length: MAX_OUTLINE + 30 }, (_, i) => (i % 3 ? `let c${i} = ${i}\n` : `let c${i} = (\n`)).join('');
    const listed = documentSymbols(analyze(mixed));
    assert.deepEqual(
      listed.slice(0, MAX_OUTLINE).map((s) => s.name),
      Array.from({ length: MAX_OUTLINE }, (_, i) => `c${i}`),
    );
    assert.equal(listed[MAX_OUTLINE].name, '… 30 more definitions');
  });

  it('bounds its answers: the first folds by line up to the limit, at most the first inlay hints of a range', () => {
    const all = foldingRanges(a);
    assert.ok(all.length > 2);
    assert.deepEqual(foldingRanges(a, 2), all.slice(0, 2));
    const oneLine = 'model m { input(3, 1); ' + 'Dense(1); '.repeat(50) + '}';
    const wide = analyze(oneLine);
    const everything = { start: 0, end: oneLine.length };
    const hints = inlayHints(wide, everything, { shapes: true, params: true });
    assert.equal(hints.length, 50);
    assert.deepEqual(inlayHints(wide, everything, { shapes: true, params: true }, 10), hints.slice(0, 10));
    const at = oneLine.indexOf('Dense', oneLine.indexOf('Dense') + 1);
    const second = { start: at, end: at + 'Dense(1)'.length };
    assert.deepEqual(inlayHints(wide, second, { shapes: true, params: true }), [hints[1]], 'a range holds the hints of the layers it covers');
  });

  it('semantic tokens after an edit: one delta against the last answer, which applied gives the new tokens', () => {
    const results = new SemanticTokensResults();
    const first = results.full('u', semanticTokenData(a));
    assert.ok(first.resultId);
    let previous = { id: first.resultId!, data: first.data };
    let text = forecast;
    // One keystroke after another, as an editor asks after each.
    for (const [from, to] of [['lstm', 'lstm2'], ['LSTM(50', 'GRU(8'], ['# ', '#'], ['Dense(2)', 'Dense(2)\n  Dense(3)']]) {
      text = text.replace(from, to);
      const edited = analyze(text);
      const expected = semanticTokens(edited).data;
      const answer = results.delta('u', previous.id, semanticTokenData(edited));
      assert.ok('edits' in answer, `a delta after ${from} → ${to}`);
      const data = [...previous.data];
      for (const e of answer.edits) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
      assert.deepEqual(data, expected);
      assert.ok(answer.edits.every((e) => (e.data ?? []).length < expected.length / 2), 'the edit is the changed part, not the whole');
      previous = { id: answer.resultId!, data: expected };
    }
    const same = results.delta('u', previous.id, [...previous.data]);
    assert.deepEqual('edits' in same && same.edits, []);
    const stale = results.delta('u', first.resultId!, semanticTokenData(a));
    assert.deepEqual('data' in stale && stale.data, semanticTokens(a).data, 'an unknown previous answer gets the full tokens');
  });

  it('outline, folding and semantic tokens', () => {
    const symbols = documentSymbols(a);
    assert.deepEqual(symbols.map((s) => s.name), ['seq_len', 'n_steps', 'series', 'rnn', 'rnn_bn', 'lstm', 'train rnn, rnn_bn, lstm on series']);
    assert.deepEqual(symbols[5].children!.map((c) => c.detail), ['LSTM → (None, 50) · 10,400', 'Dense → (None, 2) · 102']);
    const folds = foldingRanges(a);
    const modelLine = forecast.split('\n').findIndex((l) => l.startsWith('model lstm'));
    assert.ok(folds.some((f) => f.startLine === modelLine && f.endLine === modelLine + 3));
    assert.ok(folds.some((f) => f.kind === 'comment' && f.startLine === 0 && f.endLine === 2));

    const data = semanticTokens(a).data;
    const decoded: { line: number; char: number; text: string; type: string }[] = [];
    let line = 0;
    let char = 0;
    const lines = forecast.split('\n');
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
      decoded.push({ line, char, text: lines[line].slice(char, char + data[i + 2]), type: LEGEND.tokenTypes[data[i + 3]] });
    }
    const typeOf = (text: string) => decoded.find((d) => d.text === text)?.type;
    assert.equal(typeOf('LSTM'), 'class');
    assert.equal(typeOf('window'), 'function');
    assert.equal(typeOf('seq_len'), 'variable');
    assert.equal(typeOf('activation'), 'parameter');
    assert.equal(typeOf('optimizer'), 'property');
    assert.equal(typeOf('model'), 'keyword');
    assert.equal(typeOf('rnn'), 'type');
  });

  it('formatting sends one minimal edit, none when already formatted', () => {
    assert.deepEqual(formatDocument(a.text), []);
    const messy = analyze('let a=1\nlet b = 2\n');
    const edits = formatDocument(messy.text);
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].range, { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } });
    assert.equal(edits[0].newText, ' = ');
  });

  it('debounces diagnostics per document and publishes the version current when it fires', async () => {
    const published: [string, number][] = [];
    let version = 1;
    let open = true;
    const s = new DiagnosticScheduler({ version: () => (open ? version : undefined), publish: (uri, v) => void published.push([uri, v]), clear: (uri) => void published.push([uri, -1]) }, 30);
    s.now('a');
    assert.deepEqual(published, [['a', 1]]);
    for (version = 2; version <= 5; version++) s.schedule('a');
    version = 5;
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(published, [['a', 1], ['a', 5]]);
    s.schedule('a');
    open = false;
    s.close('a');
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(published, [['a', 1], ['a', 5], ['a', -1]]);
  });

  it('guarded handlers answer empty on an exception and RequestCancelled when cancelled', async () => {
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
    const quiet = guarded('test', [] as number[], () => {
      throw new Error('boom');
    });
    const logged: string[] = [];
    const { setLogger } = await import('../../src/server/safe');
    setLogger((m) => logged.push(m));
    assert.deepEqual(await quiet(undefined, token), []);
    assert.match(logged[0], /test failed: Error: boom/);
    const cancelled = await guarded('x', null, () => 1)(undefined, { ...token, isCancellationRequested: true });
    assert.ok(cancelled instanceof ResponseError && cancelled.code === -32800);
  });
});
