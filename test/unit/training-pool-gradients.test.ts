// The pooling gradients of src/training/kernels/pool-gradients.ts. tfjs-backend-wasm 4.22's own
// MaxPoolGrad starts each window's search from the smallest positive float, so a window with no
// positive value passed its gradient nowhere (or to the tensor's first input); both backends'
// AvgPoolGrad divided a 'same' edge window by pool_size although the forward pass averaged over
// fewer steps. References here are independent of the replaced kernels: tfjs's own cpu
// MaxPoolGrad (which is right, and stays), and the Jacobian of tfjs's own average-pool forward pass.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { maxPoolGradInto, avgPoolGradInto, poolGeometry } from '../../src/training/kernels/pool-gradients';
import { seededRandom } from '../helpers/random';

interface PoolCase {
  shape: [number, number, number, number];
  filter: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same';
}

/** Random small NHWC cases: 1-D ones (one row high, as MaxPooling1D runs) and 2-D ones. */
function randomCases(count: number, seed: number): PoolCase[] {
  const next = seededRandom(seed);
  const pick = (lo: number, hi: number) => lo + Math.floor(((next() + 1) / 2) * (hi - lo + 1));
  const cases: PoolCase[] = [];
  while (cases.length < count) {
    const height = cases.length % 3 === 0 ? pick(2, 4) : 1;
    const width = pick(3, 11);
    const filter: [number, number] = [height === 1 ? 1 : pick(1, height), pick(1, 4)];
    const strides: [number, number] = [height === 1 ? 1 : pick(1, 2), pick(1, 3)];
    const pad = next() < 0 ? 'valid' : 'same';
    if (pad === 'valid' && (filter[1] > width || filter[0] > height)) continue;
    cases.push({ shape: [pick(1, 3), height, width, pick(1, 4)], filter, strides, pad });
  }
  return cases;
}

/**
 * Values with many ties and many windows without a positive value: a few levels, mostly
 * negative or zero (as after tanh, or ReLU that is off), or continuous when `ties` is false.
 */
function values(n: number, seed: number, ties: boolean): number[] {
  const next = seededRandom(seed);
  const levels = [-2, -1, -1, -0.5, 0, 0, 0.5, 1];
  return Array.from({ length: n }, () => (ties ? levels[Math.floor(((next() + 1) / 2) * levels.length)] : next() - 0.4));
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** d/dx of sum(pool(x) * weights), on the active backend. */
function poolInputGradient(mode: 'max' | 'avg', c: PoolCase, x: number[], seed: number): number[] {
  return tf.tidy(() => {
    const pool = (t: tf.Tensor4D) => (mode === 'max' ? tf.maxPool(t, c.filter, c.strides, c.pad) : tf.avgPool(t, c.filter, c.strides, c.pad));
    const grad = tf.grad((t: tf.Tensor) => {
      const y = pool(t as tf.Tensor4D);
      return tf.sum(tf.mul(y, tf.tensor(values(y.size, seed, false), y.shape)));
    });
    return Array.from(grad(tf.tensor4d(x, c.shape)).dataSync());
  });
}

/**
 * The exact gradient of sum(avgPool(x) * weights) from tfjs's forward pass alone: the pooling is
 * linear, so input i's gradient is weights · avgPool(e_i). All the e_i go through as one batch.
 */
function avgPoolJacobianGradient(c: PoolCase, seed: number): number[] {
  return tf.tidy(() => {
    const [, h, w, ch] = c.shape;
    const perSample = h * w * ch;
    const batch = c.shape[0];
    const out: number[] = [];
    // Each sample's gradient only sees that sample's outputs: probe one sample's inputs.
    const probes = tf.oneHot(tf.range(0, perSample, 1, 'int32'), perSample).toFloat().reshape([perSample, h, w, ch]) as tf.Tensor4D;
    const pooled = tf.avgPool(probes, c.filter, c.strides, c.pad);
    const outPerSample = pooled.size / perSample;
    const columns = pooled.reshape([perSample, outPerSample]).arraySync() as number[][];
    const weights = values(outPerSample * batch, seed, false);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < perSample; i++) {
        let g = 0;
        for (let o = 0; o < outPerSample; o++) g += weights[b * outPerSample + o] * columns[i][o];
        out.push(g);
      }
    }
    return out;
  });
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-5 * (1 + Math.abs(expected[i])), `${what}: input ${i}: ${v}, expected ${expected[i]}`));
}

describe('training/kernels: pooling gradients', function () {
  this.timeout(60_000);

  it('maxPoolGradInto passes each gradient to the first maximum, also in windows without a positive value', () => {
    const g = poolGeometry([1, 1, 6, 1], { filterSize: [1, 2], strides: [1, 2], pad: 'valid' });
    const dx = new Float64Array(6);
    // Windows: [-1, -2] (all negative), [0, 0] (a tie at zero), [3, 3] (a tie).
    maxPoolGradInto([-1, -2, 0, 0, 3, 3], [10, 20, 30], g, dx);
    assert.deepEqual(Array.from(dx), [10, 0, 20, 0, 30, 0]);
  });

  it('maxPoolGradInto sums the gradients of overlapping windows that share a maximum, skips padding and all-NaN windows', () => {
    // pool 3, stride 1, 'same' on 4 steps: windows [pad, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, pad].
    const g = poolGeometry([1, 1, 4, 1], { filterSize: [1, 3], strides: [1, 1], pad: 'same' });
    const dx = new Float64Array(4);
    maxPoolGradInto([-5, -1, -3, -4], [1, 2, 4, 8], g, dx);
    assert.deepEqual(Array.from(dx), [0, 1 + 2 + 4, 8, 0]);
    const none = new Float64Array(2);
    maxPoolGradInto([NaN, NaN], [1], poolGeometry([1, 1, 2, 1], { filterSize: [1, 2], strides: [1, 2], pad: 'valid' }), none);
    assert.deepEqual(Array.from(none), [0, 0]);
  });

  it('avgPoolGradInto divides a same-padded edge window by the steps it covers', () => {
    // pool 3, stride 2, 'same' on 5 steps: windows [pad, 0, 1]... TensorFlow pads 1 at each end:
    // [0, 1] (after the pad), [1, 2, 3], [3, 4] (before the pad).
    const g = poolGeometry([1, 1, 5, 1], { filterSize: [1, 3], strides: [1, 2], pad: 'same' });
    const dx = new Float64Array(5);
    avgPoolGradInto([6, 3, 12], g, dx);
    assert.deepEqual(Array.from(dx), [3, 3 + 1, 1, 1 + 6, 6]);
  });

  const cases = randomCases(48, 11);

  it('MaxPool on wasm: the input gradient equals tfjs\'s cpu kernel\'s on random cases (strides, pool sizes, valid/same, 1-D and 2-D, ties, no positive value)', async () => {
    for (const [k, c] of cases.entries()) {
      const x = values(size(c.shape), 100 + k, k % 2 === 0);
      await initBackend('cpu');
      const expected = poolInputGradient('max', c, x, 200 + k);
      await initBackend('wasm');
      assertClose(poolInputGradient('max', c, x, 200 + k), expected, `case ${k} ${JSON.stringify(c)}`);
    }
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`AvgPool on ${backend}: the input gradient is the Jacobian of tfjs's forward pass on random cases`, async () => {
      await initBackend(backend);
      for (const [k, c] of cases.entries()) {
        const x = values(size(c.shape), 300 + k, false);
        assertClose(poolInputGradient('avg', c, x, 400 + k), avgPoolJacobianGradient(c, 400 + k), `case ${k} ${JSON.stringify(c)}`);
      }
    });
  }

  it('MaxPooling1D after a tanh trains the same on wasm and cpu (the layer, the optimizer, the loss)', async () => {
    // Mostly-negative windows: the case tfjs-backend-wasm's own kernel got wrong.
    const run = async (backend: 'wasm' | 'cpu') => {
      await initBackend(backend);
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 3, activation: 'tanh', inputShape: [8, 2], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.constant({ value: -0.5 }) }),
          tf.layers.maxPooling1d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = tf.tensor3d(values(4 * 8 * 2, 9, false), [4, 8, 2]);
      const y = tf.tensor2d([1, -1, 0.5, 2], [4, 1]);
      const history = await model.fit(x, y, { epochs: 5, batchSize: 4, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return { loss: history.history.loss as number[], weights };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    assertClose(wasm.loss, cpu.loss, 'loss per epoch');
    wasm.weights.forEach((w, i) => assertClose(w, cpu.weights[i], `weight ${i}`));
  });
});
