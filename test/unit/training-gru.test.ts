// The reset_after=True GRU (Keras's default, missing from tfjs) against a hand-written step of
// Keras's equations on tiny weights, in every mode the layer supports.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { ResetAfterGRU } from '../../src/training/layers/gru-reset-after';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

interface Weights {
  kernel: number[][]; // (features, 3u), gates z | r | h
  recurrent: number[][]; // (u, 3u)
  bias: number[][]; // (2, 3u): input bias, recurrent bias
}

/** x · M for a row vector x. */
function rowTimes(x: number[], m: number[][]): number[] {
  return m[0].map((_, j) => x.reduce((s, xi, i) => s + xi * m[i][j], 0));
}

/** Keras's GRUCell step. resetAfter=false is the other variant, to show the test can tell them apart. */
function kerasStep(x: number[], h: number[], w: Weights, resetAfter = true): number[] {
  const u = h.length;
  const mx = rowTimes(x, w.kernel).map((v, j) => v + w.bias[0][j]);
  if (resetAfter) {
    const mh = rowTimes(h, w.recurrent).map((v, j) => v + w.bias[1][j]);
    return h.map((hj, j) => {
      const z = sigmoid(mx[j] + mh[j]);
      const r = sigmoid(mx[u + j] + mh[u + j]);
      const candidate = Math.tanh(mx[2 * u + j] + r * mh[2 * u + j]);
      return z * hj + (1 - z) * candidate;
    });
  }
  const rh = rowTimes(h, w.recurrent);
  const z = h.map((_, j) => sigmoid(mx[j] + rh[j]));
  const r = h.map((_, j) => sigmoid(mx[u + j] + rh[u + j]));
  const recH = rowTimes(h.map((hj, j) => r[j] * hj), w.recurrent.map((row) => row.slice(2 * u)));
  return h.map((hj, j) => z[j] * hj + (1 - z[j]) * Math.tanh(mx[2 * u + j] + recH[j]));
}

/** Runs a sequence (steps × features) and returns every state, in processing order. */
function kerasSequence(xs: number[][], w: Weights, goBackwards = false, resetAfter = true): number[][] {
  let h = new Array(w.recurrent.length).fill(0);
  const out: number[][] = [];
  for (const x of goBackwards ? [...xs].reverse() : xs) {
    h = kerasStep(x, h, w, resetAfter);
    out.push(h);
  }
  return out;
}

// Two units, three features: small, distinct numbers so that a wrong gate order shows.
const W: Weights = {
  kernel: [
    [0.1, -0.2, 0.3, 0.05, -0.4, 0.25],
    [-0.3, 0.2, 0.1, -0.15, 0.35, -0.1],
    [0.2, 0.1, -0.25, 0.3, 0.05, 0.4],
  ],
  recurrent: [
    [0.5, -0.1, 0.2, 0.3, -0.45, 0.15],
    [-0.2, 0.4, -0.3, 0.1, 0.25, -0.35],
  ],
  bias: [
    [0.01, -0.02, 0.03, 0.04, -0.05, 0.06],
    [0.1, 0.2, -0.1, -0.2, 0.3, -0.3],
  ],
};
const XS = [
  [1, 0.5, -1],
  [0.2, -0.3, 0.8],
  [-0.6, 0.9, 0.1],
  [0.4, 0.4, -0.4],
];

function setKerasWeights(layer: tf.layers.Layer, w: Weights): void {
  layer.setWeights([tf.tensor2d(w.kernel), tf.tensor2d(w.recurrent), tf.tensor2d(w.bias)]);
}

function assertClose(actual: number[], expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < tol, `index ${i}: ${v} vs ${expected[i]}`));
}

describe('training/layers: GRU with reset_after=True', function () {
  this.timeout(60_000);
  for (const backend of ['wasm', 'cpu'] as const) {
    describe(`on ${backend}`, () => {
      before(async () => {
        await initBackend(backend);
      });

      it('computes Keras\'s step: sequences and final state equal the hand-written reference', () => {
        const layer = new ResetAfterGRU({ units: 2, returnSequences: true, returnState: true });
        const x = tf.tensor3d([XS]);
        layer.apply(x); // builds the weights
        setKerasWeights(layer, W);
        const [seq, state] = layer.apply(x) as tf.Tensor[];
        const expected = kerasSequence(XS, W);
        assertClose(Array.from(seq.dataSync()), expected.flat());
        assertClose(Array.from(state.dataSync()), expected[expected.length - 1]);
        // The reference can tell the two GRU variants apart on these weights.
        const v1 = kerasSequence(XS, W, false, false);
        assert.ok(Math.abs(v1[3][0] - expected[3][0]) > 1e-3);
        tf.dispose([x, seq, state]);
      });

      it('go_backwards reads the sequence from the end', () => {
        const layer = new ResetAfterGRU({ units: 2, returnSequences: true, goBackwards: true });
        const x = tf.tensor3d([XS]);
        layer.apply(x);
        setKerasWeights(layer, W);
        const seq = layer.apply(x) as tf.Tensor;
        assertClose(Array.from(seq.dataSync()), kerasSequence(XS, W, true).flat());
        tf.dispose([x, seq]);
      });

      it('inside Bidirectional(merge_mode=None): forward and backward outputs match the reference', () => {
        const bi = tf.layers.bidirectional({ layer: new ResetAfterGRU({ units: 2 }) as unknown as tf.RNN, mergeMode: null as unknown as 'concat' });
        const x = tf.tensor3d([XS]);
        bi.apply(x);
        const backward: Weights = { kernel: W.recurrent.concat([W.kernel[0]]), recurrent: W.kernel.slice(1), bias: [W.bias[1], W.bias[0]] };
        bi.setWeights([W.kernel, W.recurrent, W.bias, backward.kernel, backward.recurrent, backward.bias].map((m) => tf.tensor2d(m)));
        const [fwd, bwd] = bi.apply(x) as tf.Tensor[];
        assertClose(Array.from(fwd.dataSync()), kerasSequence(XS, W).at(-1)!);
        assertClose(Array.from(bwd.dataSync()), kerasSequence(XS, backward, true).at(-1)!);
        tf.dispose([x, fwd, bwd]);
      });

      it('Masking: trailing masked steps leave the state as after the unmasked ones', () => {
        const input = tf.input({ shape: [5, 3] });
        const gru = new ResetAfterGRU({ units: 2 });
        const out = gru.apply(tf.layers.masking({ maskValue: 0 }).apply(input)) as tf.SymbolicTensor;
        const model = tf.model({ inputs: input, outputs: out });
        setKerasWeights(gru, W);
        const x = tf.tensor3d([[...XS, [0, 0, 0]]]);
        const y = model.predict(x) as tf.Tensor;
        assertClose(Array.from(y.dataSync()), kerasSequence(XS, W).at(-1)!);
        tf.dispose([x, y]);
      });

      it('dropout: identity at inference, random while training; the model trains', async () => {
        const plain = new ResetAfterGRU({ units: 2 });
        const dropped = new ResetAfterGRU({ units: 2, dropout: 0.5, recurrentDropout: 0.5 });
        const x = tf.tensor3d([XS, XS.map((r) => r.map((v) => -v))]);
        for (const l of [plain, dropped]) {
          l.apply(x);
          setKerasWeights(l, W);
        }
        const [a, b] = [plain.apply(x) as tf.Tensor, dropped.apply(x) as tf.Tensor];
        assertClose(Array.from(b.dataSync()), Array.from(a.dataSync()));
        const trainingOut = dropped.apply(x, { training: true }) as tf.Tensor;
        assert.notDeepEqual(Array.from(trainingOut.dataSync()), Array.from(a.dataSync()));

        const model = tf.sequential({ layers: [new ResetAfterGRU({ units: 4, dropout: 0.2, recurrentDropout: 0.2, inputShape: [4, 3] }), tf.layers.dense({ units: 1 })] });
        model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
        const target = tf.tensor2d([[1], [-1]]);
        const history = await model.fit(x, target, { epochs: 30, verbose: 0 });
        const losses = history.history['loss'] as number[];
        assert.ok(losses.every(Number.isFinite));
        assert.ok(losses[losses.length - 1] < losses[0], `loss went from ${losses[0]} to ${losses.at(-1)}`);
        tf.dispose([x, a, b, trainingOut, target]);
      });

      it('saves and reloads (registered for serialization), alone and inside Bidirectional', async () => {
        const model = tf.sequential({
          layers: [
            new ResetAfterGRU({ units: 3, returnSequences: true, inputShape: [4, 3], recurrentActivation: 'hardSigmoid' }),
            tf.layers.bidirectional({ layer: new ResetAfterGRU({ units: 2 }) as unknown as tf.RNN }),
          ],
        });
        let artifacts: tf.io.ModelArtifacts | null = null;
        await model.save(tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }));
        const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
        assert.equal(reloaded.layers[0].getClassName(), 'SeqModelResetAfterGRU');
        assert.equal(reloaded.countParams(), model.countParams());
        const x = tf.tensor3d([XS]);
        const [p, q] = [model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
        assertClose(Array.from(q.dataSync()), Array.from(p.dataSync()), 1e-6);
        tf.dispose([x, p, q]);
      });
    });
  }
});
