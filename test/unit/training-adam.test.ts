import * as assert from 'node:assert/strict';
import * as tf from '../../src/training/tf';
import { ElementwiseAdam } from '../../src/training/elementwiseAdam';

/** One step of an optimizer (tfjs's AdamOptimizer types its map as one of variables; the base class, rightly, of tensors). */
function step(optimizer: tf.Optimizer, gradients: tf.NamedTensorMap): void {
  optimizer.applyGradients(gradients);
}

/** Random values in [-scale, scale) from a small LCG, so the test is the same every run. */
function values(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Largest |a − b| / max(1e-3, |b|) over the values. */
function worstRelative(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-3, Math.abs(b[i])));
  return worst;
}

describe('ElementwiseAdam (the training loop\'s Adam)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('moves weights as tf.train.adam does over many steps, with gradients of very different sizes', () => {
    const shapes = [[7, 12], [12], [3, 4, 5]];
    const make = () => shapes.map((shape, k) => tf.variable(tf.tensor(values(shape.reduce((a, b) => a * b, 1), k + 1, 1), shape), true, `adam-test-${k}-${Math.random()}`));
    const ours = make();
    const theirs = make();
    const oursOpt = new ElementwiseAdam(0.01, 0.85, 0.995, 1e-7);
    const theirsOpt = tf.train.adam(0.01, 0.85, 0.995, 1e-7);
    for (let t = 0; t < 60; t++) {
      // Now and then gradients as large as a loss of 1e4 gives.
      const grads = shapes.map((shape, k) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), 100 + t * 7 + k, t % 5 === 0 ? 1e4 : 0.1), shape));
      const named = (vars: tf.Variable[]) => Object.fromEntries(vars.map((v, k) => [v.name, grads[k]]));
      step(oursOpt, named(ours));
      step(theirsOpt, named(theirs));
      tf.dispose(grads);
    }
    assert.equal(oursOpt.iterations, 60);
    for (let k = 0; k < shapes.length; k++) {
      const a = ours[k].dataSync() as Float32Array;
      const b = theirs[k].dataSync() as Float32Array;
      assert.ok(worstRelative(a, b) < 1e-5, `weight ${k}: relative difference ${worstRelative(a, b)}`);
      // The weights did move: the comparison is not of two untouched copies.
      assert.ok(worstRelative(a, values(a.length, k + 1, 1)) > 1e-2);
    }
    tf.dispose([...ours, ...theirs]);
    oursOpt.dispose();
    theirsOpt.dispose();
  });

  it('keeps tfjs\'s class name and config, so saved models name it Adam', () => {
    const adam = new ElementwiseAdam(0.002, 0.9, 0.999, 1e-7);
    assert.equal(adam.getClassName(), 'Adam');
    assert.deepEqual(adam.getConfig(), { learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    adam.dispose();
  });

  it('hands its state out and takes it back (getWeights / setWeights), continuing where it was', async () => {
    const start = values(20, 9, 1);
    const a = tf.variable(tf.tensor(start, [4, 5]), true, `adam-state-a-${Math.random()}`);
    const b = tf.variable(tf.tensor(start, [4, 5]), true, `adam-state-b-${Math.random()}`);
    const first = new ElementwiseAdam(0.05, 0.9, 0.999, 1e-7);
    const grad = (step: number) => tf.tensor(values(20, 50 + step, 1), [4, 5]);
    for (let i = 0; i < 5; i++) step(first, { [a.name]: grad(i) });
    b.assign(a);
    // A second optimizer on the second variable, given the first one's state under b's name.
    const state = await first.getWeights();
    assert.equal(state.length, 3, 'iterations, one first moment, one second moment');
    const renamed = state.map((w) => ({ name: w.name.replace(a.name, b.name), tensor: w.tensor }));
    const second = new ElementwiseAdam(0.05, 0.9, 0.999, 1e-7);
    await second.setWeights(renamed);
    for (let i = 5; i < 10; i++) {
      step(first, { [a.name]: grad(i) });
      step(second, { [b.name]: grad(i) });
    }
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
    assert.ok(worstRelative(b.dataSync() as Float32Array, start) > 1e-2, 'the weights moved');
    tf.dispose([a, b]);
  });
});
