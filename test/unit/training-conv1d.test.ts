import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import type { BackendPreference } from '../../src/training/backendPreference';
import { SeqModelConv1D } from '../../src/training/layers/conv1d';

// The Conv1D the builder uses must be Keras's convolution exactly (every padding, stride and
// dilation), and must train on every backend (tfjs's own needs a kernel wasm lacks and has no
// gradient for dilation).

/** Keras's Conv1D by definition, in plain loops: y[t] = b + Σ_j Σ_c x[t·s + j·d − padLeft][c] · W[j][c]. */
function reference(x: number[][], w: number[][][], b: number[], padding: 'valid' | 'same' | 'causal', stride: number, dilation: number): number[][] {
  const k = w.length;
  const span = dilation * (k - 1);
  const L = x.length;
  let left = 0;
  let outLength: number;
  if (padding === 'valid') outLength = Math.floor((L - span - 1) / stride) + 1;
  else {
    outLength = Math.ceil(L / stride);
    left = padding === 'causal' ? span : Math.floor(Math.max((outLength - 1) * stride + span + 1 - L, 0) / 2);
  }
  const out: number[][] = [];
  for (let t = 0; t < outLength; t++) {
    out.push(
      b.map((bias, f) => {
        let sum = bias;
        for (let j = 0; j < k; j++) {
          const i = t * stride + j * dilation - left;
          if (i < 0 || i >= L) continue;
          for (let c = 0; c < x[0].length; c++) sum += x[i][c] * w[j][c][f];
        }
        return sum;
      }),
    );
  }
  return out;
}

function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.9);
}

const CASES: { padding: 'valid' | 'same' | 'causal'; strides: number; dilation: number; k: number }[] = [
  { padding: 'valid', strides: 1, dilation: 1, k: 3 },
  { padding: 'valid', strides: 2, dilation: 1, k: 3 },
  { padding: 'same', strides: 1, dilation: 1, k: 4 },
  { padding: 'same', strides: 3, dilation: 1, k: 3 },
  { padding: 'causal', strides: 1, dilation: 1, k: 3 },
  { padding: 'causal', strides: 1, dilation: 2, k: 3 },
  { padding: 'valid', strides: 1, dilation: 3, k: 2 },
  { padding: 'same', strides: 1, dilation: 2, k: 3 },
];

for (const backend of ['wasm', 'cpu'] as BackendPreference[]) {
  describe(`training: Conv1D on ${backend}`, () => {
    before(async () => {
      await initBackend(backend);
    });

    for (const c of CASES) {
      it(`equals the definition: kernel ${c.k}, padding ${c.padding}, strides ${c.strides}, dilation ${c.dilation}`, () => {
        const L = 11;
        const C = 2;
        const F = 3;
        const layer = new SeqModelConv1D({ filters: F, kernelSize: c.k, strides: c.strides, dilationRate: c.dilation, padding: c.padding, useBias: true });
        const input = tf.input({ shape: [L, C] });
        const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
        const w = Array.from({ length: c.k }, (_, j) => Array.from({ length: C }, (_, ch) => values(F, j * 10 + ch)));
        const b = values(F, 99);
        layer.setWeights([tf.tensor3d(w), tf.tensor1d(b)]);
        const x = Array.from({ length: L }, (_, t) => values(C, t + 50));
        const got = (model.predict(tf.tensor3d([x])) as tf.Tensor).arraySync() as number[][][];
        const want = reference(x, w, b, c.padding, c.strides, c.dilation);
        assert.deepEqual((model.outputs[0].shape as number[]).slice(1), [want.length, F], 'declared output shape');
        assert.equal(got[0].length, want.length, 'computed length');
        got[0].forEach((row, t) => row.forEach((v, f) => assert.ok(Math.abs(v - want[t][f]) < 1e-4, `y[${t}][${f}] = ${v}, want ${want[t][f]}`)));
      });
    }

    it('trains: gradients flow through every padding and dilation, and the loss falls', async () => {
      const model = tf.sequential({
        layers: [
          new SeqModelConv1D({ inputShape: [16, 1], filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
          new SeqModelConv1D({ filters: 4, kernelSize: 3, padding: 'same', strides: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const xs = tf.tensor3d(Array.from({ length: 32 }, (_, n) => Array.from({ length: 16 }, (_, t) => [Math.sin((n + t) / 3)])));
      const ys = tf.tensor2d(Array.from({ length: 32 }, (_, n) => [Math.sin((n + 16) / 3)]));
      const history = await model.fit(xs, ys, { epochs: 30, batchSize: 8, verbose: 0, shuffle: false });
      const loss = history.history.loss as number[];
      assert.ok(loss.every(Number.isFinite));
      assert.ok(loss[loss.length - 1] < loss[0] * 0.5, `loss ${loss[0]} → ${loss[loss.length - 1]}`);
    });

    it('saves its Keras padding and reloads through serialization', async () => {
      const model = tf.sequential({ layers: [new SeqModelConv1D({ inputShape: [9, 2], filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 })] });
      const topology = model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'];
      const again = await tf.models.modelFromJSON({ modelTopology: topology });
      const layer = again.layers[again.layers.length - 1] as SeqModelConv1D;
      assert.ok(layer instanceof SeqModelConv1D);
      assert.equal(layer.kerasPadding, 'causal');
      assert.equal(layer.dilation, 2);
      assert.deepEqual(again.outputs[0].shape, [null, 9, 2]);
    });
  });
}
