import { strict as assert } from 'node:assert';
import { convertPastedKeras } from '../../src/import/paste';
import { analyze } from '../../src/language';

// The logic behind the quick fix offered when Keras code is pasted into a .seqmodel file
// (src/extension/importKeras/pastedKeras.ts applies it as an edit of the pasted range).

const DOCUMENT_BEFORE = `let steps = 3

model lstm {
  input(steps, 1)
  LSTM(8)
}
`;

const PASTED = `model = Sequential()
model.add(LSTM(50, activation='relu', input_shape=(steps, 1)))
model.add(Dense(1))
steps = 3
`;

describe('Import from Keras: code pasted into a .seqmodel file', () => {
  it('converts pasted Keras code, avoiding the names the document defines', () => {
    const document = DOCUMENT_BEFORE + PASTED;
    const result = convertPastedKeras(PASTED, document, DOCUMENT_BEFORE.length);
    assert.ok(result);
    assert.equal(result.models, 1);
    // Named after its LSTM, but lstm is taken; `steps` is the document's constant, and the
    // Python's own `steps = 3` (after its use) becomes a second constant that nothing uses.
    assert.match(result.text, /model lstm_2 \{\n {2}LSTM\(50, activation="relu", input_shape=\(steps, 1\)\)\n {2}Dense\(1\)\n\}/);
    assert.doesNotMatch(result.text, /let /);
    assert.deepEqual(result.warnings, []);
    const after = analyze(document.replace(PASTED, result.text));
    assert.deepEqual(after.models.map((m) => [m.name, m.params.total]), [['lstm', 320], ['lstm_2', 10451]]);
  });

  it('gives a document that analyses once the paste is replaced', () => {
    const pasted = `n_steps = 4\nmodel = keras.Sequential([keras.layers.GRU(16, input_shape=(n_steps, 2)), keras.layers.Dense(1)])\n`;
    const document = DOCUMENT_BEFORE + pasted;
    const result = convertPastedKeras(pasted, document, DOCUMENT_BEFORE.length);
    assert.ok(result);
    const after = analyze(DOCUMENT_BEFORE + result.text);
    assert.deepEqual(after.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    assert.deepEqual(after.models.map((m) => [m.name, m.params.total]), [['lstm', 320], ['gru', 977]]);
  });

  it('offers nothing for .seqmodel text, plain prose or Python without a model', () => {
    const seqmodel = 'model gru {\n  input(3, 1)\n  GRU(4)\n}\n';
    assert.equal(convertPastedKeras(seqmodel, DOCUMENT_BEFORE + seqmodel, DOCUMENT_BEFORE.length), null);
    const prose = 'The LSTM has four gates (input, forget, output, cell).\nIt keeps a state.\n';
    assert.equal(convertPastedKeras(prose, prose, 0), null);
    const plot = 'import matplotlib.pyplot as plt\nplt.plot(history.history["loss"])\n';
    assert.equal(convertPastedKeras(plot, plot, 0), null);
  });
});
