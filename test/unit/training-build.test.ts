// The built tfjs model must be the Keras model the user read about: Keras's parameter counts
// and output shapes (docs/keras-reference.md) for every layer type and wrapper, Keras's
// defaults, and reproducible seeded weights.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { BuildError, buildModel } from '../../src/training/build';
import { compareWithEngine, layerParams, outputShapesOf } from '../../src/training/verify';
import { LayerSpec, modelInfo, nested } from './training-build-fixtures';
import type { Shape } from '../../src/language';

/** Builds the fixture and asserts every layer agrees with its Keras numbers. */
function expectKeras(name: string, input: Shape | null, layers: LayerSpec[], totals?: { total: number; trainable: number }) {
  const info = modelInfo(name, input, layers);
  const model = buildModel(info, { seed: 1 });
  assert.deepEqual(compareWithEngine(info, model), []);
  if (totals) {
    assert.equal(model.countParams(), totals.total);
    const trainable = model.layers.reduce((n, l) => n + layerParams(l).trainable, 0);
    assert.equal(trainable, totals.trainable);
  }
  return model;
}

describe('training/build: Keras parameter counts and shapes', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend('wasm');
  });

  it('Tutorial 3: SimpleRNN(50, sigmoid) → Dense(2): 2,600 + 102', () => {
    expectKeras('rnn', [3, 1], [
      { type: 'SimpleRNN', config: { units: 50, activation: 'sigmoid' }, out: [null, 50], params: 2600 },
      { type: 'Dense', config: { units: 2 }, out: [null, 2], params: 102 },
    ], { total: 2702, trainable: 2702 });
  });

  it('Tutorial 3: BatchNormalization around SimpleRNN: 4 (2 trainable), 200 (100 trainable)', () => {
    expectKeras('rnn_bn', [3, 1], [
      { type: 'BatchNormalization', out: [null, 3, 1], params: { total: 4, trainable: 2 } },
      { type: 'SimpleRNN', config: { units: 50, activation: 'sigmoid' }, out: [null, 50], params: 2600 },
      { type: 'BatchNormalization', config: { momentum: 0.99, epsilon: 0.001 }, out: [null, 50], params: { total: 200, trainable: 100 } },
      { type: 'Dense', config: { units: 2 }, out: [null, 2], params: 102 },
    ], { total: 2906, trainable: 2804 });
  });

  it('Tutorial 3: LSTM(50, relu) → Dense(2): 10,400 + 102', () => {
    expectKeras('lstm', [3, 1], [
      { type: 'LSTM', config: { units: 50, activation: 'relu' }, out: [null, 50], params: 10400 },
      { type: 'Dense', config: { units: 2 }, out: [null, 2], params: 102 },
    ], { total: 10502, trainable: 10502 });
  });

  it('the LSTMs lecture: LSTM(25) → Dense(10, softmax): 3,600 + 260; LSTM(3) on (2, 10): 168', () => {
    expectKeras('echo', [5, 10], [
      { type: 'LSTM', config: { units: 25 }, out: [null, 25], params: 3600 },
      { type: 'Dense', config: { units: 10, activation: 'softmax' }, out: [null, 10], params: 260 },
    ], { total: 3860, trainable: 3860 });
    expectKeras('tiny', [2, 10], [{ type: 'LSTM', config: { units: 3 }, out: [null, 3], params: 168 }]);
  });

  it('the LSTMs lecture: LSTM(64, return_sequences, return_state) has three outputs and 17,408 params', () => {
    const model = expectKeras('states', [30, 3], [
      {
        type: 'LSTM',
        config: { units: 64, return_sequences: true, return_state: true },
        out: [[null, 30, 64], [null, 64], [null, 64]],
        params: 17408,
      },
    ]);
    assert.equal(model.outputs.length, 3);
    const outs = model.predict(tf.zeros([2, 30, 3])) as tf.Tensor[];
    assert.deepEqual(outs.map((t) => t.shape), [[2, 30, 64], [2, 64], [2, 64]]);
    tf.dispose(outs);
  });

  it('the LSTM basics notebook: stacked LSTMs on (None, 6) keep the unknown length: 176, 200', () => {
    expectKeras('stacked', [null, 6], [
      { type: 'LSTM', config: { units: 4, return_sequences: true }, out: [null, null, 4], params: 176 },
      { type: 'LSTM', config: { units: 5, return_sequences: true }, out: [null, null, 5], params: 200 },
    ]);
  });

  it('the RNN and LSTM notes: Embedding(10000, 32) with no input shape → (None, None, 32), 320,000; SimpleRNN(32) 2,080', () => {
    expectKeras('emb_rnn', null, [
      { type: 'Embedding', config: { input_dim: 10000, output_dim: 32 }, out: [null, null, 32], params: 320000 },
      { type: 'SimpleRNN', config: { units: 32 }, out: [null, 32], params: 2080 },
    ], { total: 322080, trainable: 322080 });
  });

  it('the RNN and LSTM notes: Embedding → 3 × SimpleRNN(32, return_sequences) → SimpleRNN(32): 328,320', () => {
    const rnn = (seq: boolean): LayerSpec => ({
      type: 'SimpleRNN', config: { units: 32, return_sequences: seq }, out: seq ? [null, null, 32] : [null, 32], params: 2080,
    });
    expectKeras('emb_stack', null, [
      { type: 'Embedding', config: { input_dim: 10000, output_dim: 32 }, out: [null, null, 32], params: 320000 },
      rnn(true), rnn(true), rnn(true), rnn(false),
    ], { total: 328320, trainable: 328320 });
  });

  it('the RNN and LSTM notes: Embedding → LSTM(32) → Dense(1, sigmoid): 320,000 + 8,320 + 33', () => {
    expectKeras('emb_lstm', null, [
      { type: 'Embedding', config: { input_dim: 10000, output_dim: 32 }, out: [null, null, 32], params: 320000 },
      { type: 'LSTM', config: { units: 32 }, out: [null, 32], params: 8320 },
      { type: 'Dense', config: { units: 1, activation: 'sigmoid' }, out: [null, 1], params: 33 },
    ], { total: 328353, trainable: 328353 });
  });

  it('the RNN and LSTM notes: Embedding with input_length gives a fixed length', () => {
    expectKeras('emb_len', null, [
      { type: 'Embedding', config: { input_dim: 200, output_dim: 32, input_length: 50 }, out: [null, 50, 32], params: 6400 },
    ]);
  });

  it('the RNN and LSTM notes: SimpleRNN(64) on (100, 32): 6,208', () => {
    expectKeras('rnn64', [100, 32], [{ type: 'SimpleRNN', config: { units: 64 }, out: [null, 64], params: 6208 }]);
  });

  it('GRU(32) on 1 feature: 3,360 with reset_after=True (Keras default), 3,264 with False', () => {
    const withDefault = expectKeras('gru', [10, 1], [{ type: 'GRU', config: { units: 32 }, out: [null, 32], params: 3360 }]);
    assert.deepEqual(withDefault.layers[1].weights.map((w) => w.shape), [[1, 96], [32, 96], [2, 96]]);
    expectKeras('gru_v1', [10, 1], [{ type: 'GRU', config: { units: 32, reset_after: false }, out: [null, 32], params: 3264 }]);
    expectKeras('gru_seq', [10, 1], [
      { type: 'GRU', config: { units: 8, return_sequences: true, return_state: true, go_backwards: true }, out: [[null, 10, 8], [null, 8]], params: 3 * (8 * 9 + 16) },
    ]);
  });

  it('Bidirectional doubles the wrapped layer; concat doubles the width, sum/mul/ave keep it, None gives both', () => {
    const lstm = nested('LSTM', { units: 50 });
    const inner = { type: 'LSTM', out: [null, 50] as Shape, params: 10400 };
    expectKeras('bi', [3, 1], [
      { type: 'Bidirectional', config: { layer: lstm, merge_mode: 'concat' }, out: [null, 100], params: 20800, inner },
    ]);
    for (const mode of ['sum', 'mul', 'ave']) {
      expectKeras(`bi_${mode}`, [3, 1], [
        { type: 'Bidirectional', config: { layer: lstm, merge_mode: mode }, out: [null, 50], params: 20800, inner },
      ]);
    }
    expectKeras('bi_none', [3, 1], [
      { type: 'Bidirectional', config: { layer: lstm, merge_mode: null }, out: [[null, 50], [null, 50]], params: 20800, inner },
    ]);
    expectKeras('bi_gru', [7, 4], [
      {
        type: 'Bidirectional',
        config: { layer: nested('GRU', { units: 8, return_sequences: true }) },
        out: [null, 7, 16],
        params: 2 * 3 * (8 * 12 + 16),
      },
      { type: 'Bidirectional', config: { layer: nested('SimpleRNN', { units: 4 }) }, out: [null, 8], params: 2 * (4 * 20 + 4) },
    ]);
  });

  it('TimeDistributed(Dense) applies the wrapped layer per step with its own count', () => {
    expectKeras('td', [4, 3], [
      { type: 'LSTM', config: { units: 8, return_sequences: true }, out: [null, 4, 8], params: 4 * (8 * 11 + 8) },
      { type: 'TimeDistributed', config: { layer: nested('Dense', { units: 5 }) }, out: [null, 4, 5], params: 45 },
    ]);
  });

  it('Conv1D (kernel_size as a number or [n]) and the pooling layers', () => {
    expectKeras('conv', [10, 2], [
      { type: 'Conv1D', config: { filters: 16, kernel_size: [3], activation: 'relu' }, out: [null, 8, 16], params: 112 },
      { type: 'Conv1D', config: { filters: 4, kernel_size: 2, padding: 'same', dilation_rate: 2 }, out: [null, 8, 4], params: 4 * (2 * 16 + 1) },
      { type: 'Conv1D', config: { filters: 4, kernel_size: 3, padding: 'same', strides: [1] }, out: [null, 8, 4], params: 4 * (3 * 4 + 1) },
      { type: 'MaxPooling1D', config: { pool_size: 2 }, out: [null, 4, 4], params: 0 },
      { type: 'AveragePooling1D', config: { pool_size: [2], strides: 1 }, out: [null, 3, 4], params: 0 },
      { type: 'GlobalMaxPooling1D', out: [null, 4], params: 0 },
    ]);
    expectKeras('gap', [10, 2], [{ type: 'GlobalAveragePooling1D', out: [null, 2], params: 0 }]);
  });

  it('global pooling with keepdims=True keeps a length-1 time axis (tfjs lacks the option)', () => {
    const model = expectKeras('keep', [4, 2], [{ type: 'GlobalMaxPooling1D', config: { keepdims: true }, out: [null, 1, 2], params: 0 }]);
    const x = tf.tensor3d([[[1, -1], [3, 0], [2, 5], [0, 1]]]);
    assert.deepEqual((model.predict(x) as tf.Tensor).arraySync(), [[[3, 5]]]);
    const avg = expectKeras('keep_avg', [4, 2], [{ type: 'GlobalAveragePooling1D', config: { keepdims: true }, out: [null, 1, 2], params: 0 }]);
    assert.deepEqual((avg.predict(x) as tf.Tensor).arraySync(), [[[1.5, 1.25]]]);
    x.dispose();
  });

  it('normalization, regularization and reshaping layers', () => {
    expectKeras('misc', [5, 3], [
      { type: 'Masking', config: { mask_value: 0 }, out: [null, 5, 3], params: 0 },
      { type: 'LayerNormalization', out: [null, 5, 3], params: 6 },
      { type: 'SpatialDropout1D', config: { rate: 0.1 }, out: [null, 5, 3], params: 0 },
      { type: 'LSTM', config: { units: 4 }, out: [null, 4], params: 4 * (4 * 7 + 4) },
      { type: 'Dropout', config: { rate: 0.2, noise_shape: [null, 1] }, out: [null, 4], params: 0 },
      { type: 'RepeatVector', config: { n: 3 }, out: [null, 3, 4], params: 0 },
      { type: 'Flatten', out: [null, 12], params: 0 },
      { type: 'Reshape', config: { target_shape: [6, -1] }, out: [null, 6, 2], params: 0 },
      { type: 'Activation', config: { activation: 'hard_sigmoid' }, out: [null, 6, 2], params: 0 },
      { type: 'Dense', config: { units: 3, activation: 'tanh', use_bias: false }, out: [null, 6, 3], params: 6 },
    ]);
  });

  it('Dropout noise_shape with None entries drops whole rows while training', () => {
    const model = expectKeras('noise', [6, 8], [
      { type: 'Dropout', config: { rate: 0.5, noise_shape: [null, null, 1] }, out: [null, 6, 8], params: 0 },
    ]);
    const x = tf.ones([2, 6, 8]);
    const y = model.layers[1].apply(x, { training: true }) as tf.Tensor;
    for (const row of (y.arraySync() as number[][][]).flat()) {
      assert.ok(row.every((v) => v === row[0]) && (row[0] === 0 || row[0] === 2), JSON.stringify(row));
    }
    tf.dispose([x, y]);
  });

  it('trainable=False freezes a layer: its weights count as non-trainable', () => {
    expectKeras('frozen', [3, 1], [
      { type: 'SimpleRNN', config: { units: 50, trainable: false }, out: [null, 50], params: { total: 2600, trainable: 0 } },
      { type: 'Dense', config: { units: 2 }, out: [null, 2], params: 102 },
    ], { total: 2702, trainable: 102 });
  });
});

describe('training/build: Keras defaults, errors, seeds', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('wasm');
  });

  it('states Keras defaults where tfjs has others (sigmoid, glorot_uniform, orthogonal, zeros, unit_forget_bias)', () => {
    const info = modelInfo('defaults', [3, 1], [
      { type: 'LSTM', config: { units: 4, return_sequences: true }, out: [null, 3, 4], params: 96 },
      { type: 'GRU', config: { units: 4, reset_after: false }, out: [null, 4], params: 108 },
    ]);
    const model = buildModel(info);
    for (const layer of model.layers.slice(1)) {
      const config = layer.getConfig() as Record<string, unknown>;
      assert.equal(config['recurrentActivation'], 'sigmoid', layer.name);
      // tfjs serialises glorot_uniform as VarianceScaling(1, fan_avg, uniform), as Keras defines it.
      assert.deepEqual((config['kernelInitializer'] as { config: object }).config,
        { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: undefined });
      // Keras's orthogonal, computed in plain JavaScript (layers/orthogonal.ts).
      assert.equal((config['recurrentInitializer'] as { className: string }).className, 'SeqModelOrthogonal');
      assert.equal((config['biasInitializer'] as { className: string }).className, 'Zeros');
    }
    assert.equal((model.layers[1].getConfig() as Record<string, unknown>)['unitForgetBias'], true);
    // unit_forget_bias: the forget gate's slice of the bias starts at 1, the rest at 0.
    const bias = Array.from(model.layers[1].getWeights()[2].dataSync());
    assert.deepEqual(bias, [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('maps activation names (hard_sigmoid, silu, log_softmax) and rejects one tfjs lacks', () => {
    const ok = modelInfo('acts', [3, 1], [
      { type: 'SimpleRNN', config: { units: 2, activation: 'hard_sigmoid' }, out: [null, 2], params: 8 },
      { type: 'Dense', config: { units: 2, activation: 'silu' }, out: [null, 2], params: 6 },
      { type: 'Activation', config: { activation: 'log_softmax' }, out: [null, 2], params: 0 },
    ]);
    const model = buildModel(ok);
    assert.equal((model.layers[1].getConfig() as Record<string, unknown>)['activation'], 'hardSigmoid');
    assert.equal((model.layers[2].getConfig() as Record<string, unknown>)['activation'], 'swish');
    const bad = modelInfo('bad', [3, 1], [
      { type: 'Dense', config: { units: 2, activation: 'exponential' }, out: [null, 3, 2], params: 4 },
    ]);
    assert.throws(() => buildModel(bad), (err: Error) =>
      err instanceof BuildError && err.layer === 'dense' && /activation 'exponential' is not available in TensorFlow\.js/.test(err.message));
  });

  it('refuses an invalid model, an unknown layer and stateful=True with clear errors', () => {
    const invalid = modelInfo('broken', [3, 1], [{ type: 'Dense', config: { units: 1 }, out: [null, 3, 1], params: 2 }]);
    invalid.valid = false;
    assert.throws(() => buildModel(invalid), /Model 'broken' has errors/);
    const unknown = modelInfo('odd', [3, 1], [{ type: 'ConvLSTM1D', config: {}, out: [null, 1], params: 0 }]);
    assert.throws(() => buildModel(unknown), /layer type 'ConvLSTM1D' is not supported/);
    // An input tfjs itself refuses (LSTM on 2-D) is reported with the layer's name.
    const rank = modelInfo('rank', [3], [{ type: 'LSTM', config: { units: 2 }, out: [null, 2], params: 32 }]);
    assert.throws(() => buildModel(rank), (err: Error) => err instanceof BuildError && err.layer === 'lstm' && /^Layer 'lstm': .*ndim/.test(err.message));
    const stateful = modelInfo('st', [3, 1], [{ type: 'LSTM', config: { units: 2, stateful: true }, out: [null, 2], params: 32 }]);
    assert.throws(() => buildModel(stateful), /stateful=True/);
  });

  it("Conv1D padding='causal' (which tfjs-layers lacks): Keras's shapes, and step t sees only steps ≤ t", () => {
    for (const [strides, dilation, length] of [[1, 1, 10], [1, 3, 10], [2, 1, 9]]) {
      const out = Math.ceil(length / strides);
      const info = modelInfo('causal', [length, 2], [
        {
          type: 'Conv1D',
          config: { filters: 4, kernel_size: 3, padding: 'causal', strides, dilation_rate: dilation },
          out: [null, out, 4],
          params: 4 * (3 * 2 + 1),
        },
      ]);
      const model = buildModel(info, { seed: 2 });
      assert.deepEqual(compareWithEngine(info, model), []);
      // Changing the input at step k changes no output before step k.
      const k = 5;
      const x = tf.randomNormal([1, length, 2], 0, 1, 'float32', 4);
      const changed = tf.add(x, tf.oneHot([k], length).reshape([1, length, 1]));
      const [y1, y2] = [model.predict(x) as tf.Tensor, model.predict(changed) as tf.Tensor];
      const diff = (tf.abs(tf.sub(y1, y2)).max(-1).arraySync() as number[][])[0];
      // Output i reads input steps ≤ i·strides, the first that reads step k is ⌈k / strides⌉.
      diff.forEach((d, i) => {
        if (i * strides < k) assert.equal(d, 0, `output ${i} saw step ${k}`);
      });
      assert.ok(diff[Math.ceil(k / strides)] > 0);
      tf.dispose([x, changed, y1, y2]);
    }
  });

  it("Conv1D padding='causal' saves and reloads", async () => {
    const info = modelInfo('causal_io', [6, 1], [
      { type: 'Conv1D', config: { filters: 2, kernel_size: 2, padding: 'causal' }, out: [null, 6, 2], params: 6 },
    ]);
    const model = buildModel(info);
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.tensor3d([[[1], [2], [3], [4], [5], [6]]]);
    const [a, b] = [model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
    assert.equal((reloaded.layers[1].getConfig() as Record<string, unknown>)['padding'], 'causal');
    tf.dispose([x, a, b]);
  });

  it('reports arguments it does not use through onWarning', () => {
    const info = modelInfo('warn', [3, 1], [{ type: 'Dense', config: { units: 1, lora_rank: 4 }, out: [null, 3, 1], params: 2 }]);
    const warnings: string[] = [];
    buildModel(info, { onWarning: (w) => warnings.push(w) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /lora_rank=4 is not used/);
  });

  it('the same seed builds identical weights; another seed, other weights; no seed, fresh ones', () => {
    const info = () => modelInfo('seeded', [6], [
      { type: 'Embedding', config: { input_dim: 20, output_dim: 2 }, out: [null, 6, 2], params: 40 },
      { type: 'Bidirectional', config: { layer: nested('LSTM', { units: 3, return_sequences: true }) }, out: [null, 6, 6], params: 2 * 4 * (3 * 5 + 3) },
      { type: 'GRU', config: { units: 3 }, out: [null, 3], params: 3 * (3 * 9 + 6) },
      { type: 'Dense', config: { units: 1 }, out: [null, 1], params: 4 },
    ]);
    const weights = (seed: number | null) => buildModel(info(), { seed }).getWeights().map((w) => Array.from(w.dataSync()));
    const a = weights(42);
    const b = weights(42);
    assert.deepEqual(a, b);
    assert.notDeepEqual(weights(43), a);
    assert.notDeepEqual(weights(null), weights(null));
    // Bidirectional: the backward kernel is not a copy of the forward one.
    assert.notDeepEqual(a[1], a[4]);
    // Every random weight differs from every other of the same size (derived seeds).
    const random = a.filter((w) => w.some((v) => v !== 0 && v !== 1));
    for (let i = 0; i < random.length; i++) {
      for (let j = i + 1; j < random.length; j++) assert.notDeepEqual(random[i], random[j]);
    }
  });

  it('builds the same model twice in one process (no name clashes) and the outputs agree', () => {
    const info = modelInfo('twice', [3, 1], [
      { type: 'GRU', config: { units: 4 }, out: [null, 4], params: 3 * (4 * 5 + 8) },
      { type: 'Dense', config: { units: 2 }, out: [null, 2], params: 10 },
    ]);
    const x = tf.tensor3d([[[1], [2], [3]]]);
    const first = buildModel(info, { seed: 7 });
    const second = buildModel(info, { seed: 7 });
    const [p1, p2] = [first.predict(x) as tf.Tensor, second.predict(x) as tf.Tensor];
    assert.deepEqual(Array.from(p1.dataSync()), Array.from(p2.dataSync()));
    assert.deepEqual(outputShapesOf(first.layers[2]), [[null, 2]]);
    tf.dispose([x, p1, p2]);
  });
});
