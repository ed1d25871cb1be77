import { strict as assert } from 'node:assert';
import { importKeras } from '../../src/import';
import { analyze, exportKeras, type LayerInfo } from '../../src/language';

// Import from Keras of RNN(cell): Keras's cells, Keras 2's PeepholeLSTMCell, TF Addons' cells
// (tfa.rnn.LayerNormLSTMCell in code, "Addons>LayerNormLSTMCell" in a saved model),
// StackedRNNCells and Keras's RNN([cells]), in Python code and in model JSON; and the round
// trip through Export to Keras, including the cell classes Export writes.

/** Imports with no warning into a file that analyses cleanly; its lines, trimmed. */
function imported(content: string, fileName = 'model.py') {
  const result = importKeras({ fileName, content });
  const analysis = analyze(result.text);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(analysis.diagnostics, []);
  const lines = result.text.split('\n').map((l) => l.trim());
  return { result, analysis, lines, rnnLines: lines.filter((l) => l.startsWith('RNN(')) };
}

function view(l: LayerInfo): unknown {
  const config = Object.fromEntries(Object.entries(l.config).filter(([k]) => k !== 'input_shape'));
  return { type: l.type, config, outputs: l.outputShapes, params: l.params, inner: l.inner && view(l.inner) };
}

describe('Import from Keras: recurrent cells', () => {
  it('Python: RNN around Keras 2, TF Addons and Keras cells, written as the script names them', () => {
    const { result, lines } = imported(`import tensorflow as tf
import tensorflow_addons as tfa
from tensorflow.keras.layers import RNN, LSTMCell, GRUCell, StackedRNNCells, Dense, Bidirectional
from tensorflow.keras.experimental import PeepholeLSTMCell

model = tf.keras.Sequential()
model.add(RNN(PeepholeLSTMCell(8), return_sequences=True, input_shape=(10, 3)))
model.add(RNN(tfa.rnn.LayerNormLSTMCell(8, norm_epsilon=0.01), return_sequences=True))
model.add(tf.keras.layers.RNN(tfa.rnn.LayerNormSimpleRNNCell(4, dropout=0.2), return_sequences=True))
model.add(Bidirectional(RNN(StackedRNNCells([LSTMCell(8), GRUCell(4, recurrent_dropout=0.1)]), return_sequences=True)))
model.add(RNN([LSTMCell(8), tf.keras.layers.SimpleRNNCell(4)]))
model.add(Dense(1))
`);
    for (const line of [
      'RNN(PeepholeLSTMCell(8), return_sequences=True, input_shape=(10, 3))',
      'RNN(LayerNormLSTMCell(8, norm_epsilon=0.01), return_sequences=True)',
      'RNN(LayerNormSimpleRNNCell(4, dropout=0.2), return_sequences=True)',
      'Bidirectional(RNN(StackedRNNCells([LSTMCell(8), GRUCell(4, recurrent_dropout=0.1)]), return_sequences=True))',
      // Keras's RNN stacks a list of cells as StackedRNNCells does.
      'RNN(StackedRNNCells([LSTMCell(8), SimpleRNNCell(4)]))',
    ]) assert.ok(lines.includes(line), `${line}\n${result.text}`);
  });

  it('Python: cells held by names, a list of them, and TF 1\'s LSTMCell name read as Keras\'s inside RNN', () => {
    const { rnnLines } = imported(`from tensorflow import keras
import tensorflow_addons as tfa
peephole = keras.experimental.PeepholeLSTMCell(16)
cells = [keras.layers.LSTMCell(8), tfa.rnn.LayerNormSimpleRNNCell(4)]
lstm_cell = keras.layers.LSTMCell(6)
model = keras.Sequential([
    keras.layers.Input(shape=(20, 2)),
    keras.layers.RNN(peephole, return_sequences=True),
    keras.layers.RNN(cells, return_sequences=True),
    keras.layers.RNN(keras.layers.StackedRNNCells(cells), return_sequences=True),
    keras.layers.RNN(lstm_cell),
])
`);
    assert.deepEqual(rnnLines, [
      'RNN(PeepholeLSTMCell(16), return_sequences=True)',
      'RNN(StackedRNNCells([LSTMCell(8), LayerNormSimpleRNNCell(4)]), return_sequences=True)',
      'RNN(StackedRNNCells([LSTMCell(8), LayerNormSimpleRNNCell(4)]), return_sequences=True)',
      'RNN(LSTMCell(6))',
    ]);
  });

  it("model JSON: Keras 2's PeepholeLSTMCell, TF Addons' registered cells, StackedRNNCells and an exported cell class", () => {
    const cell = (class_name: string, config: object) => ({ class_name, config: { name: 'c', trainable: true, dtype: 'float32', units: 8, activation: 'tanh', use_bias: true, dropout: 0.0, recurrent_dropout: 0.0, ...config } });
    const rnn = (name: string, c: object, extra: object = {}) => ({
      class_name: 'RNN',
      config: { name, trainable: true, dtype: 'float32', return_sequences: true, return_state: false, go_backwards: false, stateful: false, unroll: false, time_major: false, cell: c, ...extra },
    });
    const json = {
      class_name: 'Sequential',
      config: {
        name: 'cells',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 10, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
          rnn('rnn', cell('PeepholeLSTMCell', { recurrent_activation: 'sigmoid', unit_forget_bias: true, implementation: 1, dropout: 0.25 })),
          rnn('rnn_1', cell('Addons>LayerNormLSTMCell', { recurrent_activation: 'sigmoid', unit_forget_bias: true, implementation: 1, norm_epsilon: 0.01, norm_gamma_initializer: { class_name: 'Ones', config: {} } })),
          rnn('rnn_2', cell('Addons>LayerNormSimpleRNNCell', { layernorm_epsilon: 1e-5, gamma_initializer: { class_name: 'Ones', config: {} }, gamma_regularizer: null, gamma_constraint: null })),
          rnn('rnn_3', {
            class_name: 'StackedRNNCells',
            config: { name: 'stacked_rnn_cells', cells: [cell('LSTMCell', { units: 4, recurrent_activation: 'sigmoid', unit_forget_bias: true }), cell('GRUCell', { units: 2, recurrent_activation: 'sigmoid', reset_after: false })] },
          }),
          // The class Export writes for FullPeepholeLSTMCell, saved with its get_config.
          rnn('rnn_4', cell('FullPeepholeLSTMCell', { recurrent_activation: 'sigmoid', unit_forget_bias: true, peephole_gates: ['forget', 'output'] }), { return_sequences: false }),
        ],
      },
      keras_version: '2.12.0',
      backend: 'tensorflow',
    };
    const { rnnLines } = imported(JSON.stringify(json, null, 1), 'model.json');
    assert.deepEqual(rnnLines, [
      'RNN(PeepholeLSTMCell(8, dropout=0.25), return_sequences=True)',
      'RNN(LayerNormLSTMCell(8, norm_epsilon=0.01), return_sequences=True)',
      'RNN(LayerNormSimpleRNNCell(8), return_sequences=True)',
      'RNN(StackedRNNCells([LSTMCell(4), GRUCell(2, reset_after=False)]), return_sequences=True)',
      'RNN(FullPeepholeLSTMCell(8, peephole_gates=["forget", "output"]))',
    ]);
  });

  it('round trip: every cell, stacked and bidirectional, exported to Keras and imported back is the same model', () => {
    const text = [
      'model cells {',
      '  input(12, 3)',
      '  RNN(SimpleRNNCell(4, activation="relu", dropout=0.1), return_sequences=True)',
      '  RNN(LSTMCell(4, recurrent_dropout=0.2), return_sequences=True)',
      '  RNN(GRUCell(4, reset_after=False), return_sequences=True)',
      '  RNN(PeepholeLSTMCell(5, use_bias=False), return_sequences=True)',
      '  Bidirectional(RNN(FullPeepholeLSTMCell(4, peephole_gates=["input"]), return_sequences=True), merge_mode="sum")',
      '  RNN(CoupledLSTMCell(4, unit_forget_bias=False), return_sequences=True)',
      '  RNN(LayerNormSimpleRNNCell(4, layernorm_epsilon=0.001), return_sequences=True)',
      '  RNN(LayerNormLSTMCell(4, norm_epsilon=0.01), return_sequences=True)',
      '  Bidirectional(RNN(StackedRNNCells([LayerNormGRUCell(4), LSTMCell(3)])))',
      '  Dense(1)',
      '}',
    ].join('\n');
    const original = analyze(text);
    assert.deepEqual(original.diagnostics, []);
    const python = exportKeras(original, 'cells');
    const { analysis } = imported(python, 'cells.py');
    assert.deepEqual(analysis.models[0].layers.map(view), original.models[0].layers.map(view));
  });
});
