import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathologicalDocuments } from '../../bench/lib/pathological';
import { analyze, jsonReport, LineIndex, MAX_DIAGNOSTICS, runSteps, summaryTable, type Analysis } from '../../src/language';
import { format } from '../../src/language';
import { AnalysisCache } from '../../src/server/documents';
import { OpenDocument } from '../../src/server/openDocuments';
import { formatDocument } from '../../src/server/formatting';
import { semanticTokens, semanticTokenSteps, type TokenKinds } from '../../src/server/semanticTokens';
import { documentSymbols } from '../../src/server/symbols';
import { toLspDiagnostics } from '../../src/server/diagnostics';
import { exampleTexts } from '../helpers/engine';
import { decodeSemanticTokens as decode } from '../helpers/semanticTokens';
import { fuzzRuns } from '../helpers/fuzzRuns';

// Property-based: whatever the text, analysis returns, and every span it reports (diagnostics,
// their fixes, models, layers, symbols) lies inside the document.

const EXAMPLES = exampleTexts();

function assertWellFormed(a: Analysis): void {
  const n = a.text.length;
  const inside = (s: { start: number; end: number }, what: string) => {
    assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), `${what}: integer span`);
    assert.ok(s.start >= 0 && s.start <= s.end && s.end <= n, `${what}: span ${s.start}-${s.end} outside 0-${n}`);
  };
  for (const d of a.diagnostics) {
    inside(d.span, `diagnostic ${d.code}`);
    assert.ok(d.message.length > 0);
    for (const f of d.fixes ?? []) for (const e of f.edits) inside(e.span, `fix of ${d.code}`);
  }
  for (const m of a.models) {
    inside(m.span, 'model');
    inside(m.nameSpan, 'model name');
    for (const l of m.layers) {
      inside(l.span, 'layer');
      assert.ok(l.params.total >= 0 && Number.isSafeInteger(l.params.total), `${l.name}: ${l.params.total} params is exact`);
      assert.ok(l.outputShapes.flat().every((d) => d === null || Number.isSafeInteger(d)), `${l.name}: exact dimensions`);
    }
    assert.ok(Number.isSafeInteger(m.params.total), `model ${m.name}: ${m.params.total} params is exact`);
    assert.doesNotMatch(summaryTable(m), /Infinity|NaN|In,fin/);
  }
  for (const s of a.symbols) {
    inside(s.nameSpan, 'symbol');
    s.references.forEach((r) => inside(r, 'reference'));
  }
  for (const c of a.document.comments) inside(c.span, 'comment');
  JSON.stringify(jsonReport('f', a));
}

/** A random edit: delete, insert a fragment, or duplicate a slice. */
const edit = (text: string) =>
  fc.oneof(
    fc.tuple(fc.nat(text.length), fc.nat(40)).map(([i, len]) => text.slice(0, i) + text.slice(i + len)),
    fc
      .tuple(
        fc.nat(text.length),
        fc.oneof(
          fc.constantFrom('(', ')', '{', '}', '[', ']', ',', '=', '"', "'", '\n', '#', '//', 'LSTM(', 'model ', 'let ', 'None', '-', '**', '1e', '.', '\\', 'return_sequences=True', 'train x on y {', 'predict '),
          fc.string({ maxLength: 8 }),
        ),
      )
      .map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(fc.nat(text.length), fc.nat(text.length)).map(([i, j]) => text.slice(0, Math.max(i, j)) + text.slice(Math.min(i, j))),
  );

describe('properties: analysis never throws and every range stays inside the document', () => {
  it('random edits of the examples', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXAMPLES).chain((t) => fc.array(fc.constant(null), { minLength: 1, maxLength: 4 }).chain((edits) => edits.reduce((acc) => acc.chain((x) => edit(x)), fc.constant(t)))),
        (text) => assertWellFormed(analyze(text)),
      ),
      { numRuns: fuzzRuns(400), seed: 42 },
    );
  });
  it('random text, including unicode and control characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => assertWellFormed(analyze(text))), { numRuns: fuzzRuns(400), seed: 7 });
  });
  it('huge and odd sizes: every count and dimension exact or refused, never Infinity or NaN', () => {
    const size = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom('1e10', '1e308', '1e400', '9007199254740993', '2147483647', '2147483648', '46341', '1e5', '3.5', '-1', '0', 'None'));
    const layer = fc.oneof(
      size.map((u) => `LSTM(${u}, return_sequences=True)`),
      size.map((u) => `GRU(${u}, return_sequences=True)`),
      size.map((u) => `Dense(${u})`),
      fc.tuple(size, size).map(([f, k]) => `Conv1D(${f}, ${k}, padding="same")`),
      fc.tuple(size, size).map(([v, d]) => `Embedding(${v}, ${d})`),
      size.map((u) => `Bidirectional(LSTM(${u}, return_sequences=True))`),
      fc.constant('Flatten()'),
      size.map((u) => `TimeDistributed(Dense(${u}))`),
    );
    fc.assert(
      fc.property(fc.tuple(size, size), fc.array(layer, { minLength: 1, maxLength: 4 }), ([steps, features], layers) => {
        const a = analyze(`model m {\n  input(${steps}, ${features})\n${layers.map((l) => `  ${l}\n`).join('')}}\n`);
        assertWellFormed(a);
        assert.doesNotMatch(JSON.stringify(jsonReport('f', a)), /null,"trainable"|"params":null|Infinity|NaN/);
      }),
      { numRuns: fuzzRuns(300), seed: 23 },
    );
  });
  it('random token soup from the language', () => {
    const token = fc.constantFrom('model', 'let', 'data', 'train', 'predict', 'on', 'm', 'x', '{', '}', '(', ')', '[', ']', ',', '=', '\n', '3', '0.5', 'None', 'True', '"relu"', 'LSTM', 'Dense', 'Bidirectional', 'TimeDistributed', 'input', 'Input', 'window', 'echo', '*', '//', '-', 'return_state', 'units');
    fc.assert(fc.property(fc.array(token, { maxLength: 80 }), (tokens) => assertWellFormed(analyze(tokens.join(' ')))), { numRuns: fuzzRuns(400), seed: 3 });
  });
  it('the examples themselves have no errors', () => {
    for (const text of EXAMPLES) {
      const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, []);
    }
  });
});

// The seeded fuzz suite: a few seconds in `npm test`; `npm run test:fuzz` runs it with many
// times the cases (test/helpers/fuzzRuns.ts).

const STYLES: [string, (t: string) => string][] = [
  ['LF', (t) => t],
  ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
  ['CR', (t) => t.replace(/\n/g, '\r')],
  ['mixed', (t) => t.split('\n').map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join('')],
];

/** Applies LSP text edits (ranges in the original text) as an editor would. */
function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const doc = TextDocument.create('u', 'seqmodel', 1, text);
  return TextDocument.applyEdits(doc, edits);
}

/** Every range (diagnostics, document symbols, semantic tokens) lies on real lines, and a token never runs past its line's end. */
function assertInsideLines(a: Analysis): void {
  const lengths = a.text.split(/\r\n|\r|\n/).map((l) => l.length);
  const onLine = (p: { line: number; character: number }, what: string) =>
    assert.ok(p.line < lengths.length && p.character <= lengths[p.line], `${what}: ${JSON.stringify(p)} outside its line (length ${lengths[p.line]})`);
  for (const d of toLspDiagnostics(a)) (onLine(d.range.start, String(d.code)), onLine(d.range.end, String(d.code)));
  const walk = (s: ReturnType<typeof documentSymbols>[number]): void => {
    for (const r of [s.range, s.selectionRange]) (onLine(r.start, s.name), onLine(r.end, s.name));
    (s.children ?? []).forEach(walk);
  };
  documentSymbols(a).forEach(walk);
  for (const [line, char, length] of decode(semanticTokens(a).data)) onLine({ line, character: char + length }, 'semantic token');
}

describe('fuzz: line endings, positions, incremental edits and pathological shapes (seeded)', () => {
  for (const [style, convert] of STYLES) {
    it(`${style}: ranges stay on their lines; formatting twice equals once, and its edits give exactly the layout`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...EXAMPLES).chain((t) => edit(t)),
          (raw) => {
            const text = convert(raw);
            const a = analyze(text);
            assertWellFormed(a);
            assertInsideLines(a);
            const once = format(text);
            if (once === null) return;
            assert.equal(format(once), once, 'formatting twice equals once');
            assert.equal(applyEdits(text, formatDocument(text)), once, 'the edits applied give the layout');
          },
        ),
        { numRuns: fuzzRuns(150), seed: 1000 + style.length },
      );
    });
  }

  it('semantic tokens of a range are exactly the full tokens that touch it; a cap keeps the first tokens', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES).chain((t) => edit(t)), fc.nat(), fc.nat(), fc.nat(40), (text, x, y, cap) => {
        const a = analyze(text);
        const full = decode(semanticTokens(a).data);
        const [from, to] = [x % (text.length + 1), y % (text.length + 1)].sort((p, q) => p - q);
        const offset = (t: number[]) => a.lines.offsetAt({ line: t[0], character: t[1] });
        const touching = full.filter((t) => offset(t) + t[2] >= from && offset(t) <= to);
        assert.deepEqual(decode(semanticTokens(a, { start: from, end: to }).data), touching);
        assert.deepEqual(decode(semanticTokens(a, undefined, cap).data), full.slice(0, cap));
      }),
      { numRuns: fuzzRuns(200), seed: 77 },
    );
  });

  it('semantic tokens computed in steps of any size are those of one step: a token across two steps is written once', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES).chain((t) => edit(t)), fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(60), fc.constantFrom<TokenKinds>('all', 'semantic'), (text, step, x, y, cap, kinds) => {
        const a = analyze(text);
        const [from, to] = [x % (text.length + 1), y % (text.length + 1)].sort((p, q) => p - q);
        const stepped = (range?: { start: number; end: number }, max?: number) => runSteps(semanticTokenSteps(a, range, max, kinds, step));
        assert.deepEqual(stepped(), semanticTokens(a, undefined, undefined, kinds).data);
        assert.deepEqual(stepped({ start: from, end: to }), semanticTokens(a, { start: from, end: to }, undefined, kinds).data);
        assert.deepEqual(stepped(undefined, cap), semanticTokens(a, undefined, cap, kinds).data);
      }),
      { numRuns: fuzzRuns(200), seed: 78 },
    );
  });

  it('a backslash before a line break never joins two lines, whatever the line ending', () => {
    for (const [style, convert] of STYLES) {
      const a = analyze(convert('let s = "abc\\\nlet u = 1\nlet v = u\n'));
      assert.deepEqual(
        a.diagnostics.map((d) => d.code),
        ['unused-definition', 'syntax-error', 'unused-definition'],
        `${style}: ${a.diagnostics.map((d) => d.message).join(' | ')}`,
      );
    }
  });

  it('a position past a line end means that line end (LSP), on every line ending', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES), fc.constantFrom(...STYLES), fc.nat(2000), fc.nat(5000), (t, [, convert], line, character) => {
        const a = analyze(convert(t));
        const lines = a.text.split(/\r\n|\r|\n/);
        const l = line % lines.length;
        const offset = a.lines.offsetAt({ line: l, character });
        assert.equal(offset, a.lines.lineStart(l) + Math.min(character, lines[l].length));
      }),
      { numRuns: fuzzRuns(200), seed: 5 },
    );
  });

  it('incremental edits as an editor sends them analyse exactly as a fresh parse of the text', () => {
    const pieces = fc.constantFrom('', '(', ')', '{', '}', '\n', '\r\n', '\r', '"', '\\', 'LSTM(4)', 'model m {', '@@', '😀', '\ufeff', ' ', '#');
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES), fc.array(fc.tuple(fc.nat(), fc.nat(30), pieces, fc.nat(3)), { minLength: 1, maxLength: 30 }), (start, edits) => {
        // The server's own document store (openDocuments.ts), positions as an editor sends them.
        let doc = new OpenDocument('file:///f.seqmodel', 1, start, new LineIndex(start));
        let expected = start;
        const cache = new AnalysisCache();
        cache.get(doc);
        for (const [at, length, piece, told] of edits) {
          const from = at % (expected.length + 1);
          const to = Math.min(expected.length, from + length);
          const range = { start: doc.lines.positionAt(from), end: doc.lines.positionAt(to) };
          // What the edit means to the editor (its own positions, a CRLF never split by it).
          const a = doc.lines.offsetAt(range.start);
          const b = doc.lines.offsetAt(range.end);
          expected = expected.slice(0, a) + piece + expected.slice(b);
          const previous = doc;
          doc = doc.edited([{ range, text: piece }], doc.version + 1);
          // As the server does on every edit, mostly: the cache joins the versions' changes since
          // the analysis it builds on, and compares the texts after a version it was not told of.
          if (told > 0) cache.supersede(doc, previous);
          // Not every version is analysed: the next builds on the last one that was, across several edits.
          if (told < 3) cache.get(doc);
        }
        assert.equal(doc.getText(), expected);
        const fresh = analyze(expected);
        assert.deepEqual(cache.get(doc).diagnostics, fresh.diagnostics);
      }),
      { numRuns: fuzzRuns(60), seed: 17 },
    );
  });

  it('pathological shapes: few problems, formatting refused or idempotent, ranges on their lines', () => {
    for (const { name, text } of pathologicalDocuments(16 * 1024)) {
      const a = analyze(text);
      assert.ok(a.diagnostics.length <= MAX_DIAGNOSTICS + 1, `${name}: ${a.diagnostics.length} diagnostics`);
      assertInsideLines(a);
      const once = format(text);
      if (once !== null) assert.equal(format(once), once, name);
    }
  });
});
