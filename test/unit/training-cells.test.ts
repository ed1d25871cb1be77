// RNN(cell) in the trainer: every cell the language knows builds with exactly the engine's
// parameter count, its gradients agree with central finite differences, it trains, and a
// saved model loads back with the same outputs. The Keras cells (on the fused path, like the
// layers) also compute what the LSTM, SimpleRNN and GRU layers compute with the same weights.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/build';
import { fusedPathFor } from '../../src/training/fused/eligibility';
import { describeTrainingPaths } from '../../src/training/trainingPaths';
import { lastLayer, single } from '../helpers/engine';

const CELLS = [
  'SimpleRNNCell(3)',
  'LSTMCell(3)',
  'GRUCell(3)',
  'GRUCell(3, reset_after=False)',
  'PeepholeLSTMCell(3)',
  'FullPeepholeLSTMCell(3)',
  'FullPeepholeLSTMCell(3, peephole_gates=["output"])',
  'CoupledLSTMCell(3)',
  'LayerNormSimpleRNNCell(3)',
  'LayerNormLSTMCell(3)',
  'LayerNormGRUCell(3)',
  'StackedRNNCells([CoupledLSTMCell(3), LayerNormGRUCell(2)])',
];

/** Each model body the checks run on: every cell in RNN(cell), and some in Bidirectional. */
const BODIES: { name: string; layer: (extra: string) => string }[] = [
  ...CELLS.map((cell) => ({ name: cell, layer: (extra: string) => `RNN(${cell}${extra})` })),
  ...[
    'LSTMCell(3)',
    'PeepholeLSTMCell(3)',
    // Not LayerNormSimpleRNNCell: its ε of 1e-5 over 3 units curves too sharply at some steps
    // of the reversed sequence for a finite-difference step of 1e-2 (its cell is checked above).
    'LayerNormGRUCell(3)',
    'GRUCell(3, reset_after=False)',
    'StackedRNNCells([FullPeepholeLSTMCell(3), LayerNormLSTMCell(2)])',
  ].map((cell) => ({ name: `Bidirectional(RNN(${cell}))`, layer: (extra: string) => `Bidirectional(RNN(${cell}${extra}))` })),
  { name: 'Bidirectional(RNN(CoupledLSTMCell(3)), merge_mode="sum")', layer: (extra: string) => `Bidirectional(RNN(CoupledLSTMCell(3)${extra}), merge_mode="sum")` },
];

function build(body: string): tf.LayersModel {
  const { model, analysis } = single(body);
  assert.deepEqual(analysis.diagnostics.map((d) => d.message), []);
  return buildModel(model, { seed: 7 });
}

/** A fixed random input and weighting of the outputs: the loss is sum(w ⊙ model(x)). */
function lossOf(model: tf.LayersModel, x: tf.Tensor, w: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(model.apply(x) as tf.Tensor, w));
}

describe('training: RNN(cell) for every cell', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend('cpu');
  });

  for (const { name, layer } of BODIES) {
    describe(name, () => {
      const body = `input(4, 2)\n${layer(', return_sequences=True')}`;

      it("builds with the engine's parameter count", () => {
        const model = build(body);
        assert.equal(model.countParams(), lastLayer(body).params.total);
      });

      it('gradients equal central finite differences', () => {
        const model = build(body);
        const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 1);
        const w = tf.randomNormal(model.outputs[0].shape.map((d) => d ?? 2) as number[], 0, 1, 'float32', 2);
        // Perturb the weights off their initial values (zeros, ones) so every term matters.
        for (const v of model.trainableWeights) v.write(tf.add(v.read(), tf.randomUniform(v.shape as number[], -0.3, 0.3, 'float32', 3)));
        const { grads } = tf.variableGrads(() => lossOf(model, x, w));
        const eps = 1e-2;
        for (const v of model.trainableWeights) {
          const values = v.read().dataSync().slice() as Float32Array;
          const g = grads[(v.read() as tf.Variable).name].dataSync();
          // A few entries of each weight: first, middle, last.
          for (const i of new Set([0, Math.floor(values.length / 2), values.length - 1])) {
            const at = (delta: number) => {
              const copy = values.slice();
              copy[i] += delta;
              v.write(tf.tensor(copy, v.shape as number[]));
              return lossOf(model, x, w).dataSync()[0];
            };
            const fd = (at(eps) - at(-eps)) / (2 * eps);
            v.write(tf.tensor(values, v.shape as number[]));
            assert.ok(Math.abs(fd - g[i]) <= 3e-3 + 2e-2 * Math.abs(g[i]), `${v.name}[${i}]: autodiff ${g[i]}, finite differences ${fd}`);
          }
        }
      });

      it('trains and loads back with the same outputs', async () => {
        const model = build(`input(4, 2)\n${layer('')}\nDense(1)`);
        model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
        const x = tf.randomNormal([16, 4, 2], 0, 1, 'float32', 4);
        const y = tf.sum(x, [1, 2]).reshape([16, 1]);
        const history = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
        const losses = history.history.loss as number[];
        assert.ok(losses[losses.length - 1] < losses[0], `loss ${losses[0]} → ${losses[losses.length - 1]}`);
        let artifacts: tf.io.ModelArtifacts | null = null;
        await model.save(tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }));
        const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
        const [p, q] = [model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
        assert.deepEqual(Array.from(q.dataSync()), Array.from(p.dataSync()));
      });
    });
  }

  it('Bidirectional(RNN(cell)): the backward copy reads the sequence backwards with weights of its own', () => {
    const model = build('input(5, 2)\nBidirectional(RNN(StackedRNNCells([LSTMCell(3), GRUCell(2)])), merge_mode=None)');
    const [forward, backward] = model.predict(tf.randomNormal([2, 5, 2], 0, 1, 'float32', 8)) as tf.Tensor[];
    const weights = model.getWeights();
    const half = weights.length / 2;
    // The kernels start apart (biases and norms start at constants in both).
    assert.notDeepEqual(Array.from(weights[0].dataSync()), Array.from(weights[half].dataSync()));
    // Same weights in both directions: the backward output is the forward one of the reversed sequence.
    model.setWeights([...weights.slice(0, half), ...weights.slice(0, half)]);
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 9);
    const [f, b] = model.predict(x) as tf.Tensor[];
    const [fReversed] = model.predict(tf.reverse(x, 1)) as tf.Tensor[];
    assert.ok(tf.max(tf.abs(tf.sub(b, fReversed))).dataSync()[0] < 1e-5);
    assert.ok(tf.max(tf.abs(tf.sub(f, b))).dataSync()[0] > 1e-3);
    assert.deepEqual([forward.shape, backward.shape], [[2, 2], [2, 2]]);
  });

  describe('dropout and recurrent_dropout (Keras: one mask per sequence, while training only)', () => {
    // A linear SimpleRNNCell with identity kernels: h_t = x_t ⊙ m + U·(h_{t-1} ⊙ m'), so the
    // outputs show the masks.
    const identity = (recurrent: string, extra: string) =>
      build(`input(3, 4)\nRNN(SimpleRNNCell(4, activation=None, use_bias=False, kernel_initializer="identity", recurrent_initializer="${recurrent}"${extra}), return_sequences=True)`);
    const ones = tf.ones([64, 3, 4]);

    it('dropout: the same input units are dropped at every step of a sequence, others in other sequences', () => {
      const model = identity('zeros', ', dropout=0.5');
      const out = (model.apply(ones, { training: true }) as tf.Tensor).arraySync() as number[][][];
      const masks = out.map((seq) => seq[0]);
      for (const [i, seq] of out.entries()) for (const step of seq) assert.deepEqual(step, masks[i]);
      const values = new Set(masks.flat());
      assert.deepEqual([...values].sort(), [0, 2], 'inverted dropout: kept units are scaled by 1/(1 − 0.5)');
      assert.ok(new Set(masks.map((m) => m.join())).size > 4, 'sequences draw their own masks');
      const again = (model.apply(ones, { training: true }) as tf.Tensor).arraySync() as number[][][];
      assert.notDeepEqual(again.map((seq) => seq[0]), masks, 'the next batch draws new masks');
    });

    it('recurrent_dropout masks h_{t-1} with one mask for the whole sequence', () => {
      const model = identity('identity', ', recurrent_dropout=0.5');
      const out = (model.apply(ones, { training: true }) as tf.Tensor).arraySync() as number[][][];
      // Per unit: mask 0 gives 1, 1, 1; mask 2 gives 1, 3, 7.
      const seen = new Set<string>();
      for (const seq of out) for (let u = 0; u < 4; u++) seen.add(seq.map((step) => step[u]).join());
      assert.deepEqual([...seen].sort(), ['1,1,1', '1,3,7']);
    });

    it('predicting (not training) drops nothing: the outputs equal the same cell without dropout', () => {
      for (const cell of ['LSTMCell(3', 'PeepholeLSTMCell(3', 'LayerNormLSTMCell(3', 'GRUCell(3, reset_after=False', 'LayerNormSimpleRNNCell(3']) {
        const a = build(`input(4, 2)\nRNN(${cell}, dropout=0.4, recurrent_dropout=0.3))`);
        const b = build(`input(4, 2)\nRNN(${cell}))`);
        b.setWeights(a.getWeights());
        const x = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 11);
        assert.deepEqual(Array.from((a.predict(x) as tf.Tensor).dataSync()), Array.from((b.predict(x) as tf.Tensor).dataSync()), cell);
      }
    });

    it('trains with dropout, and the rates survive a save and reload', async () => {
      const model = build('input(4, 2)\nBidirectional(RNN(PeepholeLSTMCell(3, dropout=0.2, recurrent_dropout=0.2)))\nDense(1)');
      model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
      const x = tf.randomNormal([16, 4, 2], 0, 1, 'float32', 4);
      // Both directions drop while training (Bidirectional passes `training` on), neither when predicting.
      const both = build('input(4, 2)\nBidirectional(RNN(PeepholeLSTMCell(3, dropout=0.2, recurrent_dropout=0.2)), merge_mode=None)');
      const [trainF, trainB] = both.apply(x, { training: true }) as tf.Tensor[];
      const [predictF, predictB] = both.predict(x) as tf.Tensor[];
      for (const [a, b] of [[trainF, predictF], [trainB, predictB]]) assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] > 1e-4);
      const history = await model.fit(x, tf.sum(x, [1, 2]).reshape([16, 1]), { epochs: 10, batchSize: 16, verbose: 0 });
      const losses = history.history.loss as number[];
      assert.ok(losses[losses.length - 1] < losses[0]);
      let artifacts: tf.io.ModelArtifacts | null = null;
      await model.save(tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
      assert.match(JSON.stringify(artifacts!.modelTopology), /"dropout":0\.2,"recurrent_dropout":0\.2/);
      const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
      assert.deepEqual(Array.from((reloaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
    });
  });

  it('the run says which RNN(cell) trains on the fused path: the Keras cells, alone and in Bidirectional; the others on tfjs, and why', () => {
    for (const body of ['input(4, 2)\nRNN(PeepholeLSTMCell(3))', 'input(4, 2)\nBidirectional(RNN(PeepholeLSTMCell(3)))']) {
      const path = fusedPathFor(lastLayer(body));
      assert.equal(path.path, 'tfjs');
      assert.match((path as { reason: string }).reason, /^RNN\(PeepholeLSTMCell\): the fused kernels compute Keras's SimpleRNNCell, LSTMCell and GRUCell only/);
    }
    const stacked = fusedPathFor(lastLayer('input(4, 2)\nRNN(StackedRNNCells([LSTMCell(3), LSTMCell(2)]))'));
    assert.match((stacked as { reason: string }).reason, /^RNN\(StackedRNNCells\): /);
    // The layer's own rules apply to the cell's and RNN's arguments.
    const softmax = fusedPathFor(lastLayer('input(4, 2)\nRNN(GRUCell(3, recurrent_activation="softmax"))'));
    assert.match((softmax as { reason: string }).reason, /^recurrent_activation="softmax" mixes the units of a gate/);
    const paths = describeTrainingPaths(single('input(4, 2)\nRNN(CoupledLSTMCell(3), return_sequences=True)\nRNN(GRUCell(3, reset_after=False), return_sequences=True)\nBidirectional(RNN(LSTMCell(3)))\nDense(1)').model);
    assert.deepEqual(paths.map((p) => [p.layer, p.type, p.path]), [
      ['rnn', 'RNN(CoupledLSTMCell)', 'tfjs'],
      ['rnn_1', 'RNN(GRUCell)', 'fused'],
      ['bidirectional', 'Bidirectional(RNN)', 'fused'],
    ]);
    assert.match(paths[0].text, /^rnn: TensorFlow\.js layers — RNN\(CoupledLSTMCell\): /);
    assert.match(paths[1].text, /^rnn_1: fused \(gru\/(native-avx2|wasm-simd(-fma)?|js)\)$/);
    assert.match(paths[2].text, /^bidirectional: fused \(bidirectional\(lstm\/(native-avx2|wasm-simd(-fma)?|js)\)\)$/);
  });

  it('two steps of the new cells equal their equations written out by hand', () => {
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const xs = [[0.5, -1.2], [-0.3, 0.8]];
    type V = number[];
    /** Row vector times matrix. */
    const mul = (v: V, m: number[][]) => m[0].map((_, j) => v.reduce((s, vi, i) => s + vi * m[i][j], 0));
    const add = (...vs: V[]) => vs[0].map((_, j) => vs.reduce((s, v) => s + v[j], 0));
    const times = (a: V, b: V) => a.map((v, j) => v * b[j]);
    const ln = (a: V, eps: number) => {
      const mu = a.reduce((s, v) => s + v, 0) / a.length;
      const variance = a.reduce((s, v) => s + (v - mu) ** 2, 0) / a.length;
      return a.map((v) => (v - mu) / Math.sqrt(variance + eps));
    };
    const gates = (z: V, n: number, u: number) => Array.from({ length: n }, (_, g) => z.slice(g * u, (g + 1) * u));
    // Each step: (weights, x, h, c) → [h, c]; weights in build order (kernel, recurrent kernel, bias, extras).
    type Step = (w: any[], x: V, h: V, c: V) => [V, V];
    const lstmZ = (w: any[], x: V, h: V, n: number) => gates(add(mul(x, w[0]), mul(h, w[1]), w[2]), n, 3);
    const cases: [string, Step][] = [
      ['PeepholeLSTMCell(3)', (w, x, h, c) => {
        const [zi, zf, zc, zo] = lstmZ(w, x, h, 4);
        const [pi, pf, po] = [w[3], w[4], w[5]];
        const cNew = add(times(add(zf, times(pf, c)).map(sig), c), times(add(zi, times(pi, c)).map(sig), zc.map(Math.tanh)));
        return [times(add(zo, times(po, cNew)).map(sig), cNew.map(Math.tanh)), cNew];
      }],
      ['FullPeepholeLSTMCell(3, peephole_gates=["forget", "output"])', (w, x, h, c) => {
        const [zi, zf, zc, zo] = lstmZ(w, x, h, 4);
        const [pf, po] = [w[3], w[4]];
        const cNew = add(times(add(zf, mul(c, pf)).map(sig), c), times(zi.map(sig), zc.map(Math.tanh)));
        return [times(add(zo, mul(cNew, po)).map(sig), cNew.map(Math.tanh)), cNew];
      }],
      ['CoupledLSTMCell(3)', (w, x, h, c) => {
        const [zf, zc, zo] = lstmZ(w, x, h, 3);
        const f = zf.map(sig);
        const cNew = add(times(f, c), times(f.map((v) => 1 - v), zc.map(Math.tanh)));
        return [times(zo.map(sig), cNew.map(Math.tanh)), cNew];
      }],
      ['LayerNormSimpleRNNCell(3)', (w, x, h, c) => [add(times(w[3], ln(add(mul(x, w[0]), mul(h, w[1])), 1e-5)), w[2]).map(Math.tanh), c]],
      ['LayerNormLSTMCell(3)', (w, x, h, c) => {
        // TF Addons: normalize W·x, U·h (each with scale and shift) and the new cell state.
        const norm = (a: V, g: V, b: V) => add(times(g, ln(a, 1e-3)), b);
        const [zi, zf, zc, zo] = gates(add(norm(mul(x, w[0]), w[3], w[4]), norm(mul(h, w[1]), w[5], w[6]), w[2]), 4, 3);
        const cNew = norm(add(times(zf.map(sig), c), times(zi.map(sig), zc.map(Math.tanh))), w[7], w[8]);
        return [times(zo.map(sig), cNew.map(Math.tanh)), cNew];
      }],
      ['LayerNormGRUCell(3)', (w, x, h, c) => {
        const norm = (a: V, g: V, b: V) => add(times(g, ln(a, 1e-3)), b);
        const [xz, xr, xh] = gates(add(norm(mul(x, w[0]), w[3], w[4]), w[2]), 3, 3);
        const [hz, hr, hh] = gates(norm(mul(h, w[1]), w[5], w[6]), 3, 3);
        const z = add(xz, hz).map(sig);
        const r = add(xr, hr).map(sig);
        const candidate = add(xh, times(r, hh)).map(Math.tanh);
        return [add(times(z, h), times(z.map((v) => 1 - v), candidate)), c];
      }],
    ];
    for (const [cell, step] of cases) {
      const model = build(`input(2, 2)\nRNN(${cell})`);
      model.setWeights(model.getWeights().map((t, i) => tf.add(t, tf.randomUniform(t.shape, -0.5, 0.5, 'float32', 10 + i))));
      const w = model.getWeights().map((t) => t.arraySync());
      let [h, c] = [[0, 0, 0], [0, 0, 0]];
      for (const x of xs) [h, c] = step(w, x, h, c);
      const actual = Array.from((model.predict(tf.tensor3d([xs])) as tf.Tensor).dataSync());
      actual.forEach((v, j) => assert.ok(Math.abs(v - h[j]) < 1e-5, `${cell}[${j}]: ${v} vs ${h[j]}`));
    }
  });

  it('LSTMCell, SimpleRNNCell and GRUCell compute what the LSTM, SimpleRNN and GRU layers do with the same weights', () => {
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 5);
    for (const [cell, layer] of [
      ['LSTMCell(3)', 'LSTM(3)'],
      ['SimpleRNNCell(3)', 'SimpleRNN(3)'],
      ['GRUCell(3)', 'GRU(3)'],
      ['GRUCell(3, reset_after=False)', 'GRU(3, reset_after=False)'],
    ]) {
      const a = build(`input(5, 2)\nRNN(${cell}, return_sequences=True)`);
      const b = build(`input(5, 2)\n${layer.replace(')', ', return_sequences=True)')}`);
      b.setWeights(a.getWeights().map((t) => tf.add(t, tf.randomUniform(t.shape, -0.3, 0.3, 'float32', 6))));
      a.setWeights(b.getWeights());
      const [p, q] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
      const diff = tf.max(tf.abs(tf.sub(p, q))).dataSync()[0];
      assert.ok(diff < 1e-5, `${cell} vs ${layer}: ${diff}`);
    }
  });
});
