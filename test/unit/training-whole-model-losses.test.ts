// The whole-model path's losses and metrics equal tfjs-layers's: each loss's batch value and its
// gradient with respect to the prediction (tf.grad of mean(loss(y, ŷ))), each metric's value,
// on random cases of 2-D and 3-D outputs, including predictions outside the clip range.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import * as kerasLosses from '@tensorflow/tfjs-layers/dist/losses';
import * as kerasMetrics from '@tensorflow/tfjs-layers/dist/metrics';
import { initBackend } from '../../src/training/backend';
import { lossId, makeLoss } from '../../src/training/compileSettings';
import { arrayLoss } from '../../src/training/wholeModel/losses';
import { arrayMetric } from '../../src/training/wholeModel/metrics';
import { assertClose, random } from '../helpers/whole-model';

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

function tfjsLoss(name: string): LossFn {
  const made = makeLoss(name);
  return typeof made === 'function' ? made : (kerasLosses.get(made) as LossFn);
}

/** Targets and predictions suited to a loss: probabilities for the crossentropies, class ids for the sparse one. */
function sample(name: string, shape: number[], seed: number): { yTrue: tf.Tensor; yPred: tf.Tensor } {
  const next = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const k = shape[shape.length - 1];
  const rows = n / k;
  const uniform = () => (next() + 1) / 2;
  if (name === 'sparse_categorical_crossentropy') {
    const pred = Array.from({ length: n }, () => uniform() + 0.05);
    return { yTrue: tf.tensor(Array.from({ length: rows }, () => Math.floor(uniform() * k)), [...shape.slice(0, -1), 1]), yPred: tf.tensor(pred, shape) };
  }
  if (name === 'categorical_crossentropy' || name === 'kld') {
    const t = new Array<number>(n).fill(0);
    for (let r = 0; r < rows; r++) t[r * k + Math.floor(uniform() * k)] = 1;
    return { yTrue: tf.tensor(t, shape), yPred: tf.tensor(Array.from({ length: n }, () => uniform() + 0.05), shape) };
  }
  if (name === 'binary_crossentropy') {
    // Some predictions beyond [ε, 1 − ε]: the clip and its zero gradient.
    const p = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : uniform()));
    return { yTrue: tf.tensor(Array.from({ length: n }, () => (uniform() > 0.5 ? 1 : 0)), shape), yPred: tf.tensor(p, shape) };
  }
  if (name === 'hinge' || name === 'squared_hinge') {
    return { yTrue: tf.tensor(Array.from({ length: n }, () => (uniform() > 0.5 ? 1 : -1)), shape), yPred: tf.tensor(Array.from({ length: n }, () => next() * 2), shape) };
  }
  if (name === 'poisson' || name === 'msle') {
    return { yTrue: tf.tensor(Array.from({ length: n }, () => uniform() * 3), shape), yPred: tf.tensor(Array.from({ length: n }, () => uniform() * 3 + 0.01), shape) };
  }
  return { yTrue: tf.tensor(Array.from({ length: n }, () => next() * 3), shape), yPred: tf.tensor(Array.from({ length: n }, () => next() * 3), shape) };
}

const LOSSES = ['mse', 'mae', 'mape', 'msle', 'huber', 'logcosh', 'hinge', 'squared_hinge', 'poisson', 'kld', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'];

describe('whole-model losses and metrics against tfjs', () => {
  before(async () => {
    await initBackend('cpu');
  });

  for (const name of LOSSES) {
    it(`${name}: value and gradient, on 2-D and 3-D predictions`, () => {
      const loss = arrayLoss(lossId(name));
      assert.ok(loss, `${name} is computed on the whole-model path`);
      const fn = tfjsLoss(name);
      for (const [i, shape] of [[4, 3], [2, 3, 4], [5, 1]].entries()) {
        if (name.includes('categorical_crossentropy') && shape[shape.length - 1] === 1) continue;
        const { yTrue, yPred } = sample(name, shape, 7 + i);
        const expected = tf.tidy(() => tf.mean(fn(yTrue, yPred)).dataSync()[0]);
        const expectedGrad = tf.tidy(() => tf.grad((p: tf.Tensor) => tf.mean(fn(yTrue, p)))(yPred).dataSync());
        const grad = new Float32Array(yPred.size);
        const value = loss.compute(yTrue.dataSync() as Float32Array, yPred.dataSync() as Float32Array, shape[shape.length - 1], grad);
        assertClose([value], [expected], `${name}${JSON.stringify(shape)} value`);
        assertClose(grad, expectedGrad, `${name}${JSON.stringify(shape)} gradient`);
      }
    });
  }

  it('the losses tfjs cannot be matched by here fall back (no array loss)', () => {
    assert.equal(arrayLoss(lossId('categorical_hinge')), null);
  });

  const METRICS: [string, string, (t: tf.Tensor, p: tf.Tensor) => tf.Tensor][] = [
    ['accuracy', 'mse', kerasMetrics.binaryAccuracy],
    ['accuracy', 'binary_crossentropy', kerasMetrics.binaryAccuracy],
    ['accuracy', 'categorical_crossentropy', kerasMetrics.categoricalAccuracy],
    ['accuracy', 'sparse_categorical_crossentropy', kerasMetrics.sparseCategoricalAccuracy],
    ['binary_accuracy', 'mse', kerasMetrics.binaryAccuracy],
    ['categorical_accuracy', 'mse', kerasMetrics.categoricalAccuracy],
    ['mae', 'mse', kerasMetrics.get("mae") as never],
    ['mse', 'mae', kerasMetrics.get("mse") as never],
    ['mape', 'mse', kerasMetrics.get("mape") as never],
    ['binary_crossentropy', 'mse', kerasMetrics.binaryCrossentropy],
    ['categorical_crossentropy', 'mse', kerasMetrics.categoricalCrossentropy],
  ];
  for (const [metricName, lossName, fn] of METRICS) {
    it(`metric ${metricName} (loss ${lossName})`, () => {
      const binary = metricName.includes('binary') || (metricName === 'accuracy' && (lossName === 'mse' || lossName === 'binary_crossentropy'));
      const shape = binary && metricName === 'accuracy' && lossName === 'mse' ? [6, 1] : [6, 3];
      const dataFor = metricName.includes('categorical') ? 'categorical_crossentropy' : lossName === 'sparse_categorical_crossentropy' ? lossName : binary ? 'binary_crossentropy' : 'mse';
      const { yTrue, yPred } = sample(dataFor, shape, 21);
      const metric = arrayMetric(metricName, lossId(lossName), shape[1]);
      assert.ok(metric);
      const expected = tf.tidy(() => tf.mean(fn(yTrue, yPred)).dataSync()[0]);
      assertClose([metric.compute(yTrue.dataSync() as Float32Array, yPred.dataSync() as Float32Array, shape[1])], [expected], metricName);
    });
  }

  it('precision and recall fall back to tfjs (no array metric)', () => {
    assert.equal(arrayMetric('precision', 'binaryCrossentropy', 1), null);
  });
});
