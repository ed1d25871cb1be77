// What the prediction panel shows after a run, computed in the worker while the trained model
// and the data are still in memory (the extension host never runs tfjs): for forecasting, a few
// input windows with the predicted and the true continuation; for classification, a few
// sequences with their probabilities and, over the validation data, every true and predicted
// class for a confusion matrix.

import * as tf from './tf';
import { argmax, classProbabilities, type DataSpec } from '../language';
import { type ArrayData, type Dataset, sampleCount, sampleSize, takeSamples } from './data/dataset';
import type { Evaluation } from './protocol';

/** Forecast windows shown: enough to see the fit, few enough to read. */
const FORECAST_SAMPLES = 12;
/** Classification sequences listed (the seed's echo output prints a handful). */
const CLASSIFICATION_SAMPLES = 10;
/** Upper bound of samples predicted for the confusion matrix, to keep the worker's last step short. */
const CONFUSION_SAMPLES = 5000;

/** Indices spread evenly over [0, n), at most `count` of them. */
export function spreadIndices(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1)));
}

function rows(data: ArrayData, index: number): number[] {
  const size = sampleSize(data);
  return Array.from(data.values.subarray(index * size, (index + 1) * size));
}

/** One sample's input as steps × features (a 1-D sample, word ids, is one value per step). */
function inputRows(data: ArrayData, index: number): number[][] {
  const flat = rows(data, index);
  const features = data.shape.length >= 3 ? data.shape[data.shape.length - 1] : 1;
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += features) out.push(flat.slice(i, i + features));
  return out;
}

/** A trained model's outputs for samples x, one row (the output flattened) per sample. */
export type Predictor = (x: ArrayData) => number[][];

/** The tfjs model's own predict. */
function tfjsPredictor(model: tf.LayersModel): Predictor {
  return (x) => predictRows(model, x);
}

function predictRows(model: tf.LayersModel, x: ArrayData): number[][] {
  return tf.tidy(() => {
    const input = tf.tensor(x.values, x.shape, 'float32');
    const out = model.predict(input) as tf.Tensor;
    return out.reshape([x.shape[0], -1]).arraySync() as number[][];
  });
}

/** The true class of a label row: one-hot, a class id (sparse labels) or a 0/1 target. */
function trueClass(label: number[], classes: number): number {
  if (label.length > 1) return argmax(label);
  return classes === 2 ? (label[0] >= 0.5 ? 1 : 0) : Math.round(label[0]);
}


/**
 * Evaluates the trained model on the data it was trained on: the validation part when there
 * is one (what the model has not fitted), else the whole data set (a short series has no
 * validation split). Returns null for data it cannot describe. `predict` is how: the model's
 * tfjs predict by default; a run trained on the whole-model path passes that path's forward
 * pass (wholeModel/loop.ts), which gives the same outputs without tfjs's per-op overhead (the
 * sentiment example's 400 validation reviews took about as long through tfjs as training 400).
 */
export function evaluate(model: tf.LayersModel, spec: DataSpec, all: Dataset, validation: Dataset | null, predict: Predictor = tfjsPredictor(model)): Evaluation | null {
  if (model.outputs.length !== 1) return null;
  const data = validation ?? all;
  const n = sampleCount(data.x);
  if (n === 0) return null;

  if (spec.kind === 'window') {
    const picks = spreadIndices(n, FORECAST_SAMPLES);
    const predicted = predict(takeSamples(data.x, picks));
    return {
      task: 'forecast',
      fromValidation: validation !== null,
      samples: picks.map((index, i) => ({ input: inputRows(data.x, index), predicted: predicted[i], actual: rows(data.y, index) })),
    };
  }

  const picks = spreadIndices(n, Math.min(n, CONFUSION_SAMPLES));
  const outputs = predict(takeSamples(data.x, picks));
  const classes = classProbabilities(outputs[0]).length;
  const expected = picks.map((index) => trueClass(rows(data.y, index), classes));
  const predictedClasses = outputs.map((o) => argmax(classProbabilities(o)));
  const listed = spreadIndices(picks.length, CLASSIFICATION_SAMPLES);
  return {
    task: 'classification',
    fromValidation: validation !== null,
    samples: listed.map((i) => ({ input: inputRows(data.x, picks[i]), expected: expected[i], probabilities: classProbabilities(outputs[i]) })),
    expected,
    predicted: predictedClasses,
    ...(all.classNames ? { classNames: all.classNames } : {}),
  };
}
