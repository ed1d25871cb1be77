// Checks one whole-model layer (helpers/whole-model.ts checks planned models) against the tfjs
// layer it stands for: same weights, same input, then forward outputs, the weights' and the
// input's gradients of sum(outputs ⊙ R) for a random R (tf.variableGrads / tf.grad on tfjs), and the non-trainable weights a training forward
// moves (BatchNormalization's moving statistics). Also a central finite-difference check that
// needs no tfjs at all.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import type { Activations, LayerFactory, WholeModelLayer } from '../../src/training/wholeModel/layer';
import { LAYER_FACTORIES } from '../../src/training/wholeModel/registry';
import { assertClose, random, randomArray } from './whole-model';

export { random, randomArray };

/** The registered counterpart of a built tfjs layer; fails the test when it refuses. */
export function counterpart(layer: tf.layers.Layer, inputShape: number[]): WholeModelLayer {
  const factory: LayerFactory | undefined = LAYER_FACTORIES.get(layer.getClassName());
  assert.ok(factory, `no whole-model factory for ${layer.getClassName()}`);
  const made = factory(layer, inputShape);
  assert.ok(!('unsupported' in made), `unsupported: ${'unsupported' in made ? made.unsupported : ''}`);
  return made as WholeModelLayer;
}

/** Gives every weight of a built layer random values; non-trainable ones (variances) positive. */
export function randomizeWeights(layer: tf.layers.Layer, next: () => number): void {
  const trainable = new Set(layer.trainableWeights);
  layer.setWeights(layer.weights.map((w) => {
    const { size, shape } = w.read();
    const values = trainable.has(w) ? randomArray(size, next, 0.5) : Float32Array.from(randomArray(size, next), (v) => 0.5 + Math.abs(v));
    return tf.tensor(values, shape);
  }));
}

export interface Case {
  layer: tf.layers.Layer;
  x: tf.Tensor;
  /** (batch, steps) 0/1: the mask the layer receives, as Embedding(mask_zero=True) gives it. */
  mask?: number[][];
  training: boolean;
  /** False for token ids: no input gradient is compared. */
  inputGradient?: boolean;
  seed?: number;
  rel?: number;
}

/** Builds and randomises the tfjs layer, then compares the whole-model layer with it. */
export function compareWithTfjs(c: Case): WholeModelLayer {
  const next = random(c.seed ?? 1);
  const maskTensor = c.mask ? tf.tensor(c.mask, undefined, 'bool') : undefined;
  const kwargs = { training: c.training, ...(maskTensor ? { mask: maskTensor } : {}) };
  if (!c.layer.built) tf.tidy(() => void c.layer.apply(c.x, { training: false, ...(maskTensor ? { mask: maskTensor } : {}) }));
  randomizeWeights(c.layer, next);
  // As the planner gives it: the batch as -1.
  const ours = counterpart(c.layer, [-1, ...c.x.shape.slice(1)]);

  // tfjs: one call, so a training forward moves the moving statistics exactly once.
  let y: tf.Tensor | undefined;
  let R: tf.Tensor | undefined;
  const variables = c.layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const objective = (): tf.Scalar => {
    y = tf.keep(c.layer.apply(c.x, kwargs) as tf.Tensor);
    R = tf.keep(tf.tensor(randomArray(y.size, next), y.shape));
    return tf.sum(tf.mul(y, R)) as tf.Scalar;
  };
  // tfjs refuses variableGrads over no variables (pooling, LayerNormalization(center=scale=False)).
  const grads: tf.NamedTensorMap = variables.length > 0 ? tf.variableGrads(objective, variables).grads : (objective().dispose(), {});
  const movedAfter = c.layer.nonTrainableWeights.map((w) => w.read().dataSync().slice());

  const mask = c.mask ? Uint8Array.from(c.mask.flat()) : null;
  const out = ours.forward({ values: Float32Array.from(c.x.dataSync()), shape: [...c.x.shape], mask }, c.training);
  assert.deepEqual(out.shape, y!.shape, 'output shape');
  assertClose(out.values, y!.dataSync(), 'output', c.rel);

  if (c.training) {
    const dx = ours.backward(Float32Array.from(R!.dataSync()), c.inputGradient !== false);
    for (const w of ours.weights) {
      if (!w.trainable) continue;
      const name = (w.variable as unknown as { val: tf.Variable }).val.name;
      assert.ok(grads[name], `tfjs has no gradient for ${w.variable.name}`);
      assertClose(w.grad, grads[name].dataSync(), `d${w.variable.name}`, c.rel);
    }
    const moved = ours.weights.filter((w) => !w.trainable);
    assert.equal(moved.length, movedAfter.length, 'non-trainable weights');
    moved.forEach((w, i) => assertClose(w.values, movedAfter[i], w.variable.name, c.rel));
    if (c.inputGradient !== false) {
      const expected = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(c.layer.apply(x, kwargs) as tf.Tensor, R!)))(c.x);
      assert.ok(dx, 'input gradient');
      assertClose(dx!, expected.dataSync(), 'dx', c.rel);
    }
  }
  tf.dispose([y!, R!, ...Object.values(grads)]);
  maskTensor?.dispose();
  return ours;
}

/**
 * Central finite differences of sum(forward(x) ⊙ R) against backward(): at a few entries of
 * every trainable weight and of the input. float32 arrays, so h is large and the tolerance loose.
 */
export function finiteDifferenceCheck(layer: WholeModelLayer, input: Activations, seed = 7, checkInput = true): void {
  const next = random(seed);
  const loss = (R: Float32Array): number => {
    const y = layer.forward(input, true).values;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * R[i];
    return s;
  };
  const y0 = layer.forward(input, true);
  const R = randomArray(y0.values.length, next);
  for (const w of layer.weights) w.grad.fill(0);
  const dx = layer.backward(R, checkInput)?.slice();
  const grads = layer.weights.map((w) => w.grad.slice());
  const h = 1e-2;
  const probe = (values: Float32Array, analytic: number, at: number, what: string): void => {
    const keep = values[at];
    values[at] = keep + h;
    const plus = loss(R);
    values[at] = keep - h;
    const minus = loss(R);
    values[at] = keep;
    const numeric = (plus - minus) / (2 * h);
    assert.ok(Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(numeric)), `${what}[${at}]: backward ${analytic} vs finite difference ${numeric}`);
  };
  layer.weights.forEach((w, k) => {
    if (!w.trainable) return;
    for (let t = 0; t < 4; t++) {
      const at = Math.floor(((next() + 1) / 2) * w.values.length);
      probe(w.values, grads[k][at], at, w.variable.name);
    }
  });
  if (checkInput) {
    assert.ok(dx, 'input gradient');
    for (let t = 0; t < 6; t++) {
      const at = Math.floor(((next() + 1) / 2) * input.values.length);
      probe(input.values, dx![at], at, 'x');
    }
  }
}
