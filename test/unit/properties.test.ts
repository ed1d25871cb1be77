import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyze, jsonReport, summaryTable, type Analysis } from '../../src/language';
import { exampleTexts } from '../helpers/engine';

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
      assert.ok(l.params.total >= 0 && Number.isFinite(l.params.total));
    }
    summaryTable(m);
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
      { numRuns: 400, seed: 42 },
    );
  });
  it('random text, including unicode and control characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => assertWellFormed(analyze(text))), { numRuns: 400, seed: 7 });
  });
  it('random token soup from the language', () => {
    const token = fc.constantFrom('model', 'let', 'data', 'train', 'predict', 'on', 'm', 'x', '{', '}', '(', ')', '[', ']', ',', '=', '\n', '3', '0.5', 'None', 'True', '"relu"', 'LSTM', 'Dense', 'Bidirectional', 'TimeDistributed', 'input', 'Input', 'window', 'echo', '*', '//', '-', 'return_state', 'units');
    fc.assert(fc.property(fc.array(token, { maxLength: 80 }), (tokens) => assertWellFormed(analyze(tokens.join(' ')))), { numRuns: 400, seed: 3 });
  });
  it('the examples themselves have no errors', () => {
    for (const text of EXAMPLES) {
      const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, []);
    }
  });
});
