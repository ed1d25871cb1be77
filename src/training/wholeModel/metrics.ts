// The metrics of the whole-model path, each the batch's value as tfjs-layers computes it: the
// metric function's result averaged over every position (training.ts: mean(metricFn(y, ŷ))).
// 'accuracy' is binary, categorical or sparse as tfjs picks it (by the output's last dimension
// and the loss); the error metrics are the losses' values (tfjs's metrics are those functions).
import { lossId as lossIdOf } from '../compileSettings';
import { arrayLoss, type ArrayLoss } from './losses';

export interface ArrayMetric {
  /** The batch's value; yTrue is laid out as for the loss. */
  compute(yTrue: Float32Array, yPred: Float32Array, lastDim: number): number;
}

function argMax(values: ArrayLike<number>, at: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (values[at + j] > values[at + best]) best = j;
  return best;
}

const binaryAccuracy: ArrayMetric = {
  compute(yTrue, yPred) {
    let hits = 0;
    for (let i = 0; i < yPred.length; i++) if (yTrue[i] === (yPred[i] > 0.5 ? 1 : 0)) hits++;
    return hits / yPred.length;
  },
};

const categoricalAccuracy: ArrayMetric = {
  compute(yTrue, yPred, k) {
    const rows = yPred.length / k;
    let hits = 0;
    for (let r = 0; r < rows; r++) if (argMax(yTrue, r * k, k) === argMax(yPred, r * k, k)) hits++;
    return hits / rows;
  },
};

const sparseCategoricalAccuracy: ArrayMetric = {
  compute(yTrue, yPred, k) {
    const rows = yPred.length / k;
    let hits = 0;
    for (let r = 0; r < rows; r++) if (yTrue[r] === argMax(yPred, r * k, k)) hits++;
    return hits / rows;
  },
};

function fromLoss(loss: ArrayLoss): ArrayMetric {
  return { compute: (yTrue, yPred, k) => loss.compute(yTrue, yPred, k, null) };
}

/** tfjs-layers's choice for metrics=['accuracy'] (training.ts compile). */
function accuracyFor(lossId: string, lastDim: number): ArrayMetric {
  if (lastDim === 1 || lossId === 'binaryCrossentropy') return binaryAccuracy;
  if (lossId === 'sparseCategoricalCrossentropy') return sparseCategoricalAccuracy;
  return categoricalAccuracy;
}

/** The metrics (of planMetrics's list) that compute as the loss of the same name does. */
const LOSS_METRICS = new Set([
  'mae', 'mean_absolute_error', 'mse', 'mean_squared_error', 'mape', 'mean_absolute_percentage_error',
  'binary_crossentropy', 'categorical_crossentropy',
]);

/** The metric the user named (as planMetrics accepts it), or null: it trains on tfjs. */
export function arrayMetric(name: string, lossId: string, lastDim: number): ArrayMetric | null {
  const key = name.toLowerCase();
  if (key === 'accuracy' || key === 'acc') return accuracyFor(lossId, lastDim);
  if (key === 'binary_accuracy') return binaryAccuracy;
  if (key === 'categorical_accuracy') return categoricalAccuracy;
  if (key === 'sparse_categorical_accuracy') return sparseCategoricalAccuracy;
  const loss = LOSS_METRICS.has(key) ? arrayLoss(lossIdOf(key)) : null;
  return loss ? fromLoss(loss) : null;
}
