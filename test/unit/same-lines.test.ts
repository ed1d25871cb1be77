import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../src/language';
import { fuzzRuns } from '../helpers/fuzzRuns';

// A walk takes a line's layer from an earlier line of the same text on an equal input
// (src/language/sameLines.ts). Written so that no two lines share their text (a space more
// inside the parentheses each time), the same model is walked line by line: both must give
// the same layers and the same problems.


const LINES = [
  'Dense(1)',
  'Dense(2)',
  'Dense(2, activation="relu")',
  'Dropout(0.5)',
  'LSTM(4)',
  'LSTM(4, return_sequences=True)',
  'GRU(3, return_state=True)',
  'Flatten()',
  'RepeatVector(3)',
  'Dense(1, name="dense_3")',
  'Dense(units)',
  'Dense(1e300)',
  'Dense(4, input_shape=(3, 1))',
  'Embedding(10, 4)',
  'Bidirectional(LSTM(2, return_sequences=True))',
];

/** Each line's text made unique: spaces before its closing parenthesis. */
function unique(lines: string[]): string[] {
  return lines.map((l, i) => l.replace(/\)$/, ' '.repeat(i + 1) + ')'));
}

const model = (lines: string[]) => `let units = 5\nmodel m {\n  input(3, 1)\n${lines.map((l) => `  ${l}\n`).join('')}}\n`;

/** What a model's walk says, without positions. */
function facts(a: Analysis): unknown {
  const [m] = a.models;
  return {
    // Spans (of the layers and their wrapped layers) are where each line is: left out.
    layers: JSON.parse(JSON.stringify(m.layers, (key, value: unknown) => (key === 'span' ? undefined : value))),
    params: m.params,
    valid: m.valid,
    output: m.outputShapes,
    problems: a.diagnostics.map((d) => [d.code, d.severity, d.message]),
  };
}

describe('lines of the same text on an equal input make the same layer', () => {
  it('a model of repeated lines gives what the same lines written each differently give', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...LINES), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 12 }), (runsOf) => {
        const lines = runsOf.flatMap(([line, n]) => Array<string>(n).fill(line));
        assert.deepStrictEqual(facts(analyze(model(lines))), facts(analyze(model(unique(lines)))));
      }),
      { numRuns: fuzzRuns(300), seed: 17 },
    );
  });

  it('names, counts and a duplicate name among 1,000 equal lines', () => {
    const lines = Array<string>(1000).fill('Dense(1)');
    lines.push('Dense(1, name="dense_999")', 'Dense(1)');
    const a = analyze(model(lines).replace('let units = 5\n', ''));
    const layers = a.models[0].layers;
    assert.deepEqual([layers[0].name, layers[999].name, layers[1001].name], ['dense', 'dense_999', 'dense_1000']);
    assert.equal(a.models[0].params.total, 1002 * 2);
    assert.deepEqual(layers[500].outputShapes, [[null, 3, 1]]);
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['duplicate-name'],
    );
  });

  // A run of one line repeated on its own output is walked in one loop (sameRun in
  // modelAnalysis.ts), in pieces between the analysis's yields: runs longer than a piece, runs
  // broken by another line, and a count that passes 2^53 inside a run.
  it('long runs of one line on its own output, broken and resumed, give what lines written each differently give', () => {
    const lines = [
      ...Array<string>(700).fill('Dense(1)'),
      'Dropout(0.5)',
      ...Array<string>(300).fill('Dense(1)'),
      'LSTM(4)',
      ...Array<string>(600).fill('Dense(1)'),
      'Dense(1, name="dense_1500")',
      ...Array<string>(5).fill('Dense(1)'),
    ];
    const text = model(lines).replace('let units = 5\n', '');
    assert.deepStrictEqual(facts(analyze(text)), facts(analyze(model(unique(lines)).replace('let units = 5\n', ''))));
    const a = analyze(text);
    assert.deepEqual(
      a.models[0].layers.slice(1602).map((l) => [l.name, l.outputShapes]),
      [['dense_1500', [[null, 1]]], ['dense_1600', [[null, 1]]], ['dense_1601', [[null, 1]]], ['dense_1602', [[null, 1]]], ['dense_1603', [[null, 1]]], ['dense_1604', [[null, 1]]]],
    );
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['duplicate-name'],
    );
  });

  it('a run whose count passes 2^53 stops at the layer that passes it', () => {
    // Dense(31622776) on 31,622,776 features: about 10^15 parameters a layer, so the tenth passes 2^53.
    const lines = Array<string>(14).fill('Dense(31622776)');
    const text = `model m {\n  input(3, 31622776)\n${lines.map((l) => `  ${l}\n`).join('')}}\n`;
    const a = analyze(text);
    const b = analyze(text.replace(/Dense\(31622776\)/g, (_, i: number) => `Dense(31622776${' '.repeat(i % 97)})`));
    assert.deepStrictEqual(facts(a), facts(b));
    assert.equal(a.models[0].layers.length, 9);
    assert.equal(a.models[0].params.total, 9 * (31622776 * 31622776 + 31622776));
    assert.equal(a.diagnostics.length, 1);
    assert.match(a.diagnostics[0].message, /2\^53/);
    assert.equal(a.diagnostics[0].span.start, text.indexOf('Dense', text.indexOf('Dense') + 9 * '  Dense(31622776)\n'.length));
  });
});
