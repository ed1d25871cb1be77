import { strict as assert } from 'node:assert';
import { strToU8, zipSync } from 'fflate';
import { importKeras, ImportError } from '../../src/import';
import { analyze, type Analysis } from '../../src/language';

// Keras's own model descriptions, written by hand in the shapes Keras produces:
// model.to_json() of Keras 2 (TF 2.x, and the older 2.2 layout), and the config.json of a
// Keras 3 .keras file (module/registered_name, batch_shape, dtype policies, compile_config).

const GLOROT2 = { class_name: 'GlorotUniform', config: { seed: null } };
const ORTHO2 = { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } };
const ZEROS2 = { class_name: 'Zeros', config: {} };

const K3 = (class_name: string, config: object, module = 'keras.initializers') => ({ module, class_name, config, registered_name: null });
const POLICY = K3('DTypePolicy', { name: 'float32' }, 'keras');

/** What every recurrent layer's config lists with nothing set. */
const RECURRENT_NONE = {
  kernel_regularizer: null,
  recurrent_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  recurrent_constraint: null,
  bias_constraint: null,
  dropout: 0.0,
  recurrent_dropout: 0.0,
};

function lstm2(name: string, units: number, extra: object = {}) {
  return {
    class_name: 'LSTM',
    config: {
      name,
      trainable: true,
      dtype: 'float32',
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      time_major: false,
      units,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: GLOROT2,
      recurrent_initializer: ORTHO2,
      bias_initializer: ZEROS2,
      unit_forget_bias: true,
      ...RECURRENT_NONE,
      implementation: 2,
      ...extra,
    },
  };
}

function dense2(name: string, units: number, activation = 'linear') {
  return {
    class_name: 'Dense',
    config: { name, trainable: true, dtype: 'float32', units, activation, use_bias: true, kernel_initializer: GLOROT2, bias_initializer: ZEROS2, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
  };
}

/** Keras 2 (TF 2.12) model.to_json() of the forecasting notebook's LSTM. */
const KERAS2_SEQUENTIAL = {
  class_name: 'Sequential',
  config: {
    name: 'sequential_4',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 3, 1], dtype: 'float32', sparse: false, ragged: false, name: 'lstm_input' } },
      lstm2('lstm', 50, { activation: 'relu', batch_input_shape: [null, 3, 1] }),
      dense2('dense_3', 2),
    ],
  },
  keras_version: '2.12.0',
  backend: 'tensorflow',
};

function k3Lstm(name: string, units: number, extra: object = {}) {
  return K3(
    'LSTM',
    {
      name,
      trainable: true,
      dtype: POLICY,
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      zero_output_for_mask: false,
      units,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: K3('GlorotUniform', { seed: null }),
      recurrent_initializer: K3('OrthogonalInitializer', { gain: 1.0, seed: null }),
      bias_initializer: K3('Zeros', {}),
      unit_forget_bias: true,
      ...RECURRENT_NONE,
      seed: null,
      ...extra,
    },
    'keras.layers',
  );
}

/** Keras 3 config.json of a .keras file: an Embedding, a Bidirectional LSTM, a Dense, compiled. */
const KERAS3_CONFIG = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'sentiment',
    trainable: true,
    dtype: POLICY,
    layers: [
      K3('InputLayer', { batch_shape: [null, 100], dtype: 'float32', sparse: false, name: 'input_layer' }, 'keras.layers'),
      {
        ...K3(
          'Embedding',
          { name: 'embedding', trainable: true, dtype: POLICY, input_dim: 5000, output_dim: 16, embeddings_initializer: K3('RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }), embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: true },
          'keras.layers',
        ),
        build_config: { input_shape: [null, 100] },
      },
      {
        ...K3(
          'Bidirectional',
          { name: 'bidirectional', trainable: true, dtype: POLICY, merge_mode: 'concat', layer: k3Lstm('forward_lstm', 8), backward_layer: k3Lstm('backward_lstm', 8, { go_backwards: true }) },
          'keras.layers',
        ),
        build_config: { input_shape: [null, 100, 16] },
      },
      K3('Dense', { name: 'output', trainable: true, dtype: POLICY, units: 1, activation: 'sigmoid', use_bias: true, kernel_initializer: K3('GlorotUniform', { seed: null }), bias_initializer: K3('Zeros', {}), kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null }, 'keras.layers'),
    ],
    build_input_shape: [null, 100],
  },
  registered_name: null,
  build_config: { input_shape: [null, 100] },
  compile_config: {
    optimizer: K3('Adam', { name: 'adam', learning_rate: 0.004999999888241291, weight_decay: null, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }, 'keras.optimizers'),
    loss: 'binary_crossentropy',
    loss_weights: null,
    metrics: ['accuracy'],
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  },
};

function importJson(json: unknown, fileName = 'model.json'): { text: string; warnings: { line: number; message: string }[]; analysis: Analysis } {
  const r = importKeras({ fileName, content: JSON.stringify(json, null, 2) });
  return { ...r, analysis: analyze(r.text) };
}

const errors = (a: Analysis) => a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

describe('Import from Keras: model.to_json() and .keras files', () => {
  it('reads a Keras 2 Sequential with an InputLayer, keeping only non-default arguments', () => {
    const { text, warnings, analysis } = importJson(KERAS2_SEQUENTIAL);
    assert.deepEqual(warnings, []);
    assert.match(text, /model sequential_4 \{\n {2}input\(3, 1\)\n {2}LSTM\(50, activation="relu"\)\n {2}Dense\(2\)\n\}/);
    assert.deepEqual(errors(analysis), []);
    assert.equal(analysis.models[0].params.total, 10502);
  });

  it('reads the Keras 2.2 layout (a list of layers, batch_input_shape on the first)', () => {
    const old = { class_name: 'Sequential', config: [lstm2('lstm_1', 25, { batch_input_shape: [null, 5, 10] }), dense2('dense_1', 10, 'softmax')], keras_version: '2.2.4', backend: 'tensorflow' };
    const { text, analysis } = importJson(old);
    assert.match(text, /model lstm \{\n {2}input\(5, 10\)\n {2}LSTM\(25\)\n {2}Dense\(10, activation="softmax"\)\n\}/);
    assert.equal(analysis.models[0].params.total, 3860);
  });

  it('reads a Keras 3 .keras file: Embedding, Bidirectional, names, and the compile settings as a note', () => {
    const bytes = zipSync({ 'metadata.json': strToU8('{"keras_version": "3.3.3"}'), 'config.json': strToU8(JSON.stringify(KERAS3_CONFIG, null, 2)), 'model.weights.h5': new Uint8Array([137, 72, 68, 70]) });
    const r = importKeras({ fileName: 'sentiment.keras', content: bytes });
    assert.equal(r.kind, 'keras-archive');
    assert.match(r.text, /model sentiment \{\n {2}input\(100\)\n {2}Embedding\(5000, 16, mask_zero=True\)\n {2}Bidirectional\(LSTM\(8\)\)\n {2}Dense\(1, activation="sigmoid", name="output"\)\n/);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0].message, /compiled with optimizer = adam\(learning_rate=0\.005\), loss = "binary_crossentropy", metrics = \["accuracy"\]; a train block needs a data source/);
    const analysis = analyze(r.text);
    assert.deepEqual(errors(analysis), []);
    // 5000 × 16 + 2 × 4 × ((16 + 8) × 8 + 8) + (16 + 1)
    assert.equal(analysis.models[0].params.total, 80000 + 1600 + 17);
  });

  it('reads a Keras 3 functional model of one chain: the return_state LSTM', () => {
    const history = (layer: string, index = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 30, 3], dtype: 'float32', keras_history: [layer, 0, index] } });
    const functional = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'model_LSTM',
        trainable: true,
        layers: [
          { ...K3('InputLayer', { batch_shape: [null, 30, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, 'keras.layers'), name: 'input_layer', inbound_nodes: [] },
          { ...k3Lstm('lstm', 64, { return_sequences: true, return_state: true }), name: 'lstm', inbound_nodes: [{ args: [history('input_layer')], kwargs: { training: false, mask: null } }] },
        ],
        input_layers: [['input_layer', 0, 0]],
        output_layers: [
          ['lstm', 0, 0],
          ['lstm', 0, 1],
          ['lstm', 0, 2],
        ],
      },
      registered_name: 'Functional',
    };
    const { text, warnings, analysis } = importJson(functional, 'model_LSTM.json');
    assert.deepEqual(warnings, []);
    assert.match(text, /model model_LSTM \{\n {2}input\(30, 3\)\n {2}LSTM\(64, return_sequences=True, return_state=True\)\n\}/);
    assert.equal(analysis.models[0].params.total, 17408);
    assert.equal(analysis.models[0].outputShapes.length, 3);
  });

  it('reports a Keras 2 functional model with branches, and unknown layers and arguments, at their lines', () => {
    const branches = {
      class_name: 'Functional',
      config: {
        name: 'two_heads',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 10, 3], name: 'input_1' }, name: 'input_1', inbound_nodes: [] },
          { ...lstm2('lstm', 8), name: 'lstm', inbound_nodes: [[['input_1', 0, 0, {}]]] },
          { ...lstm2('lstm_1', 8), name: 'lstm_1', inbound_nodes: [[['input_1', 0, 0, {}]]] },
          { class_name: 'Concatenate', config: { name: 'concatenate', axis: -1 }, name: 'concatenate', inbound_nodes: [[['lstm', 0, 0, {}], ['lstm_1', 0, 0, {}]]] },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['concatenate', 0, 0]],
      },
    };
    const r = importJson(branches);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0].message, /functional model with several inputs, outputs or branches/);
    assert.match(r.text, /model two_heads \{\n {2}# line \d+: a functional model/);

    const unknown = { class_name: 'Sequential', config: { name: 'conv', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], name: 'in' } }, { class_name: 'Conv2D', config: { name: 'conv2d', filters: 8 } }, lstm2('lstm', 4, { custom_flag: 'yes' })] } };
    const json = JSON.stringify(unknown, null, 2);
    const u = importKeras({ fileName: 'conv.json', content: json });
    const lineOf = (s: string) => json.slice(0, json.indexOf(s)).split('\n').length;
    assert.deepEqual(
      u.warnings.map((w) => [w.line, w.message]),
      [
        [lineOf('"name": "conv2d"'), 'Conv2D (conv2d) is not a layer SeqModel knows; not imported.'],
        [lineOf('"name": "lstm"'), 'LSTM: custom_flag="yes" is not an argument SeqModel knows; dropped.'],
      ],
    );
  });

  it('gives a located error for a file that is not a model description', () => {
    assert.throws(() => importKeras({ fileName: 'x.json', content: '{"a": 1}' }), (e: unknown) => e instanceof ImportError && /not a Keras model description/.test(e.message));
    assert.throws(() => importKeras({ fileName: 'x.json', content: '{"class_name": "Sequential",\n "config": {]}' }), (e: unknown) => e instanceof ImportError && e.at.line === 2 && e.at.column === 13);
    assert.throws(() => importKeras({ fileName: 'x.keras', content: new Uint8Array([1, 2, 3]) }), (e: unknown) => e instanceof ImportError && /not a \.keras archive/.test(e.message));
    const noConfig = zipSync({ 'weights.h5': new Uint8Array([1]) });
    assert.throws(() => importKeras({ fileName: 'x.keras', content: noConfig }), (e: unknown) => e instanceof ImportError && /has no config\.json/.test(e.message));
  });
});
