import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyze, diagnostic, DiagnosticCollector, MAX_DIAGNOSTICS, type Diagnostic, type Severity } from '../../src/language';
import { fuzzRuns } from '../helpers/fuzzRuns';

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * What the analysis listed before the collector: every diagnostic built, sorted by position
 * (stable), the first `cap` kept and one more counting the rest. The collector must list exactly this.
 */
function sortThenCap(all: Diagnostic[], cap: number): Diagnostic[] {
  const sorted = all.slice().sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  if (sorted.length <= cap) return sorted;
  const rest = sorted.slice(cap);
  const counts = SEVERITIES.map((s) => [s, rest.filter((d) => d.severity === s).length] as const).filter(([, n]) => n > 0);
  const what = counts.map(([s, n]) => `${n.toLocaleString('en-US')} ${s}${n === 1 ? '' : 's'}`).join(', ');
  return [
    ...sorted.slice(0, cap),
    diagnostic('too-many-problems', counts[0][0], rest[0].span, `And ${rest.length.toLocaleString('en-US')} more problems from here on (${what}); fix the ones above first.`),
  ];
}

const reported = fc.record({
  start: fc.integer({ min: 0, max: 30 }),
  length: fc.integer({ min: 0, max: 3 }),
  severity: fc.constantFrom(...SEVERITIES),
  lazy: fc.boolean(),
});

describe('diagnostic collector: the first problems by position, the rest only counted', () => {
  it('lists what sorting every diagnostic then capping listed, in any report order, and never holds more than the cap', () => {
    fc.assert(
      fc.property(fc.array(reported, { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (items, cap) => {
        const collector = new DiagnosticCollector(cap);
        const all: Diagnostic[] = [];
        for (const [i, r] of items.entries()) {
          const span = { start: r.start, end: r.start + r.length };
          // The index in the message tells reports at the same position apart.
          const d = diagnostic('syntax-error', r.severity, span, `problem ${i}`);
          all.push(d);
          if (r.lazy) collector.report(r.severity, span, () => d);
          else collector.push(d);
          assert.ok(collector.size <= cap, `holds ${collector.size} with a cap of ${cap}`);
        }
        assert.deepEqual(collector.list(), sortThenCap(all, cap));
        assert.equal(collector.errors, items.filter((r) => r.severity === 'error').length);
      }),
      { numRuns: fuzzRuns(300), seed: 10 },
    );
  });

  it('builds no diagnostic it drops', () => {
    const collector = new DiagnosticCollector(3);
    let built = 0;
    const build = (start: number) => () => {
      built++;
      return diagnostic('syntax-error', 'error', { start, end: start + 1 }, `at ${start}`);
    };
    for (let start = 0; start < 1000; start++) collector.report('error', { start, end: start + 1 }, build(start));
    assert.equal(built, 3);
    assert.equal(collector.size, 3);
    // An earlier problem still gets in, and pushes the last one out.
    collector.report('error', { start: -1, end: 0 }, build(-1));
    assert.equal(built, 4);
    const listed = collector.list();
    assert.deepEqual(
      listed.map((d) => d.span.start),
      [-1, 0, 1, 2],
    );
    assert.equal(listed[3].message, 'And 998 more problems from here on (998 errors); fix the ones above first.');
    assert.equal(collector.errors, 1001);
  });

  it('hostile documents: the analysis lists the first 500 problems and one counting the rest', () => {
    const braces = analyze('}'.repeat(2000)).diagnostics;
    assert.equal(braces.length, MAX_DIAGNOSTICS + 1);
    assert.deepEqual(braces[0], {
      code: 'unknown-statement',
      severity: 'error',
      message: "Expected a statement (let, data, model, train or predict), found '}'.",
      span: { start: 0, end: 1 },
    });
    assert.deepEqual(braces[MAX_DIAGNOSTICS - 1].span, { start: 499, end: 500 });
    assert.deepEqual(braces[MAX_DIAGNOSTICS], {
      code: 'too-many-problems',
      severity: 'error',
      message: 'And 1,500 more problems from here on (1,500 errors); fix the ones above first.',
      span: { start: 500, end: 501 },
    });

    // Each line is a lexing problem and a parsing one at the same span: the lexer's first.
    const strings = analyze('"abc\n'.repeat(1000)).diagnostics;
    assert.equal(strings.length, MAX_DIAGNOSTICS + 1);
    assert.deepEqual(
      strings.slice(0, 2).map((d) => [d.code, d.message, d.span.start, d.span.end]),
      [
        ['syntax-error', 'Unterminated string: add the closing ".', 0, 4],
        ['unknown-statement', `Expected a statement (let, data, model, train or predict), found '"abc'.`, 0, 4],
      ],
    );
    assert.equal(strings[MAX_DIAGNOSTICS].message, 'And 1,500 more problems from here on (1,500 errors); fix the ones above first.');
    assert.deepEqual(strings[MAX_DIAGNOSTICS].span, { start: 1250, end: 1254 });
  });

  it('a problem past the cap still makes its model invalid, and train settings keep their code', () => {
    const text = '}\n'.repeat(MAX_DIAGNOSTICS) + 'model m {\n  input(3, 1)\n  LSTM(4, bogus=1)\n}\ntrain m on d {\n  epochs = 2\n  bogus = 2\n}\n';
    const a = analyze(text);
    assert.equal(a.diagnostics[MAX_DIAGNOSTICS].code, 'too-many-problems');
    assert.equal(a.models[0].valid, false);
    const small = analyze('model m {\n  input(3, 1)\n  Dense(1)\n}\nlet d = 1\ntrain m on d {\n  epochs = 2\n  bogus = 2\n}\n');
    assert.ok(small.diagnostics.some((d) => d.code === 'invalid-setting' && /bogus/.test(d.message)), small.diagnostics.map((d) => d.code).join(', '));
  });
});
