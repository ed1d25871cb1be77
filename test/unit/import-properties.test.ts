import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { importKeras, ImportError } from '../../src/import';
import { analyze } from '../../src/language';
import { fuzzRuns } from '../helpers/fuzzRuns';

// Property-based: whatever the file, the importer returns a result or throws ImportError
// (never a crash), every warning is located inside the source, and the output it writes
// always parses (its errors are only shape or name errors, never a syntax error).

const PIECES = [
  'model = Sequential()\n', 'model.add(LSTM(', 'Dense(', 'SimpleRNN(', 'Input(shape=(', 'input_shape=(', 'return_sequences=True', 'return_state=True',
  ')', '))', '(', '[', ']', ', ', '3', '0.5', 'None', 'n_steps', 'n_steps = 2\n', '= ', '\n', '    ', 'def f(x):\n', 'for i in range(3):\n', 'return model\n',
  'model.compile(optimizer="adam", loss="mse")\n', 'model.fit(X, y, epochs=5)\n', 'X, y = split_sequence([1, 2, 3, 4, 5], 2)\n', 'x = Input(shape=(4, 1))\n',
  'm = Model(inputs=x, outputs=y)\n', 'y = LSTM(4)(x)\n', 'keras.layers.', 'tf.', '"', "'", '#', '%magic\n', 'lambda', '**', '*', '-',
];

const pythonish = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

function check(fileName: string, content: string): void {
  let result;
  try {
    result = importKeras({ fileName, content });
  } catch (e) {
    assert.ok(e instanceof ImportError, `not an ImportError: ${(e as Error).stack}`);
    assert.ok(e.at.line >= 1 && e.at.column >= 1);
    return;
  }
  const lines = content.split('\n').length;
  for (const w of result.warnings) assert.ok(w.line >= 1 && w.line <= lines + 1 && w.column >= 1, JSON.stringify(w));
  const syntax = analyze(result.text).diagnostics.filter((d) => d.code === 'syntax-error' && d.severity === 'error');
  assert.deepEqual(syntax, [], result.text);
}

describe('Import from Keras: any input', () => {
  it('Python made of Keras pieces imports or is rejected with a located error', () => {
    fc.assert(fc.property(pythonish, (code) => check('x.py', code)), { numRuns: fuzzRuns(300) });
  });

  it('arbitrary text as Python, as a notebook and as JSON', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        check('x.py', text);
        check('x.ipynb', text);
        check('x.json', text);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('arbitrary JSON as a model description', () => {
    const layer = fc.record({ class_name: fc.constantFrom('LSTM', 'Dense', 'InputLayer', 'Bidirectional', 'Conv2D', 'GRU'), config: fc.dictionary(fc.constantFrom('units', 'name', 'batch_input_shape', 'batch_shape', 'layer', 'activation', 'return_sequences'), fc.jsonValue()) });
    const model = fc.record({ class_name: fc.constantFrom('Sequential', 'Functional'), config: fc.oneof(fc.record({ name: fc.string(), layers: fc.array(layer, { maxLength: 5 }) }), fc.array(layer, { maxLength: 5 }), fc.jsonValue()) });
    fc.assert(fc.property(model, (m) => check('m.json', JSON.stringify(m, null, 1))), { numRuns: fuzzRuns(300) });
  });
});
