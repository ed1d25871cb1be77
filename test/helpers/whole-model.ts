// Helpers for the whole-model path's tests: a chain model of given tfjs layers, its plan, and
// the path's forward and backward against tfjs's own (model.apply, tf.variableGrads, tf.grad).
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { planWholeModel, type WholeModelPlan } from '../../src/training/wholeModel/plan';
import type { Activations } from '../../src/training/wholeModel/layer';

/** A seeded generator in [-1, 1), so a failing case is the same case on the next run. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

export function randomArray(n: number, next: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => next() * scale);
}

/** tf.model(input → layers in order), compiled with the given loss, optimizer and metrics. */
export function chainModel(inputShape: number[], layers: tf.layers.Layer[], compile: { loss?: string; optimizer?: tf.Optimizer; metrics?: string[] } = {}): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let x = input;
  for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  model.compile({ loss: compile.loss ?? 'meanSquaredError', optimizer: compile.optimizer ?? tf.train.sgd(0.1), metrics: compile.metrics ?? [] });
  return model;
}

/** The plan of a model compiled with these (Keras) settings; fails the test when there is none. */
export function planOf(model: tf.LayersModel, loss = 'mse', metrics: string[] = []): WholeModelPlan {
  const outcome = planWholeModel(model, { loss, metrics });
  if (!('plan' in outcome)) assert.fail(`no whole-model plan: ${outcome.reason}`);
  return outcome.plan;
}

/** Relative closeness with a floor of 1e-2 of the largest expected entry (cancellation carries rounding). */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-4): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    // tfjs's own NaN (centered RMSprop's root of ms − (mg² + ε) < 0) must be reproduced, not fixed.
    if (Number.isNaN(expected[i]) && Number.isNaN(actual[i])) continue;
    const tol = rel * Math.max(Math.abs(expected[i]), scale * 1e-2, 1e-6);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: whole-model ${actual[i]} vs tfjs ${expected[i]}`);
  }
}

/** Forward through every planned layer; backward from dy; the output and the input gradient. */
export function runPlan(plan: WholeModelPlan, x: Float32Array, shape: number[], dy: Float32Array | null, mask: Uint8Array | null = null, training = true): { y: Float32Array; dx: Float32Array | null } {
  for (const w of plan.layers.flatMap((l) => l.weights)) w.grad.fill(0);
  let a: Activations = { values: x, shape, mask };
  for (const layer of plan.layers) a = layer.forward(a, training);
  const y = a.values.slice();
  if (dy === null) return { y, dx: null };
  let d: Float32Array | null = dy;
  for (let i = plan.layers.length - 1; i >= 0 && d !== null; i--) d = plan.layers[i].backward(d, true);
  return { y, dx: d && d.slice() };
}

/**
 * The model's output on x and the gradients of sum(output ⊙ r) on both paths agree: output,
 * every trainable weight's gradient, the input's gradient.
 */
export function assertMatchesTfjs(model: tf.LayersModel, batch: number, seed: number, what: string, rel = 1e-4, mask: number[][] | null = null): void {
  const next = random(seed);
  const inputShape = (model.inputs[0].shape as number[]).slice(1);
  const xShape = [batch, ...inputShape];
  const x = randomArray(xShape.reduce((a, b) => a * b, 1), next);
  const plan = planOf(model);
  const xt = tf.tensor(x, xShape);
  // With a mask, the layers are called one by one, the first with Keras's mask argument (what
  // Embedding(mask_zero=True) would hand it).
  const maskTensor = mask && tf.tensor2d(mask, undefined, 'bool');
  const apply = (input: tf.Tensor): tf.Tensor => {
    if (maskTensor === null) return model.apply(input, { training: true }) as tf.Tensor;
    const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    let a = layers[0].call(input, { training: true, mask: maskTensor }) as tf.Tensor;
    for (const layer of layers.slice(1)) a = layer.call(a, { training: true }) as tf.Tensor;
    return a;
  };
  const expectedY = tf.tidy(() => apply(xt).dataSync().slice());
  const r = randomArray(expectedY.length, next);
  const maskBytes = mask && Uint8Array.from(mask.flat());
  const ours = runPlan(plan, x.slice(), xShape, r.slice(), maskBytes);
  assertClose(ours.y, expectedY, `${what}: output`, rel);
  tf.tidy(() => {
    const outShape = apply(xt).shape;
    const rt = tf.tensor(r, outShape);
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(apply(input), rt)) as tf.Scalar;
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(xt), variables);
    for (const w of plan.layers.flatMap((l) => l.weights)) {
      const name = (w.variable.read() as tf.Variable).name;
      assert.ok(grads[name], `${what}: tfjs has a gradient for ${w.variable.name}`);
      assertClose(w.grad, grads[name].dataSync(), `${what}: d${w.variable.name}`, rel);
    }
    const dx = tf.grad(loss)(xt).dataSync();
    assert.ok(ours.dx, `${what}: an input gradient`);
    assertClose(ours.dx, dx, `${what}: dx`, rel);
  });
  tf.dispose([xt, ...(maskTensor ? [maskTensor] : [])]);
}

/**
 * Central finite differences of sum(output ⊙ r) against the path's own gradients, for a few
 * entries of every weight and of the input, in training mode; Math.random restarts from the same
 * seed before every forward pass, so dropout masks are the same in each.
 */
export function assertFiniteDifferences(plan: WholeModelPlan, xShape: number[], seed: number, what: string, mask: Uint8Array | null = null): void {
  const next = random(seed);
  const x = randomArray(xShape.reduce((a, b) => a * b, 1), next);
  const original = Math.random;
  const draws = (): void => {
    const g = random(seed + 1);
    Math.random = () => (g() + 1) / 2;
  };
  try {
    draws();
    const first = runPlan(plan, x.slice(), xShape, null, mask);
    const r = randomArray(first.y.length, next);
    const objective = (input: Float32Array): number => {
      draws();
      const { y } = runPlan(plan, input, xShape, null, mask);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * r[i];
      return s;
    };
    draws();
    const ours = runPlan(plan, x.slice(), xShape, r.slice(), mask);
    const grads = plan.layers.flatMap((l) => l.weights).map((w) => w.grad.slice());
    const h = 1e-2;
    const check = (values: Float32Array, i: number, analytic: number, name: string): void => {
      const keep = values[i];
      values[i] = keep + h;
      const plus = objective(x.slice());
      values[i] = keep - h;
      const minus = objective(x.slice());
      values[i] = keep;
      const numeric = (plus - minus) / (2 * h);
      assert.ok(Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(numeric)), `${what}: d${name}: finite differences ${numeric} vs ${analytic}`);
    };
    plan.layers.flatMap((l) => l.weights).forEach((w, k) => {
      for (const i of [0, Math.floor(w.values.length / 2), w.values.length - 1]) check(w.values, i, grads[k][i], `${w.variable.name}[${i}]`);
    });
    assert.ok(ours.dx, `${what}: an input gradient`);
    // The objective reads x itself (copied), so the same check perturbs an input entry.
    for (const i of [0, Math.floor(x.length / 3), x.length - 1]) check(x, i, ours.dx[i], `x[${i}]`);
  } finally {
    Math.random = original;
  }
}
