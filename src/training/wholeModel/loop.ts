// The epochs-and-batches loop of the whole-model path: fitLoop's contract (the same options,
// hooks, shuffle, batches, averaging and validation, through fitLoop's runEpochs), with every
// batch run over Float32Arrays: the layers forward, the loss and its gradient, the metrics,
// the layers backward, the optimizer. The weights go back into the model's tfjs variables when
// fitting ends, however it ends (finished, stopped, diverged, or an exception), so everything
// after training (predictions, saving, Open Run, Export to Keras) sees the trained tfjs model.
import * as tf from '../tf';
import { type ArrayData, type Dataset, sampleCount, sliceSamples, takeSamplesInto } from '../data/dataset';
import { type FitHooks, type FitOptions, runEpochs } from '../fitLoop';
import type { Activations, Weight } from './layer';
import { Reusable } from './layers/buffers';
import { applyPenalty } from './layers/regularizer';
import type { WholeModelPlan } from './plan';

export type ArrayPair = Pick<Dataset, 'x' | 'y'>;

/** Every layer's weights, in model order. */
function weightsOf(plan: WholeModelPlan): Weight[] {
  return plan.layers.flatMap((layer) => layer.weights);
}

/** Copies the trained values into the model's tfjs variables. */
export function writeBack(plan: WholeModelPlan): void {
  for (const w of weightsOf(plan)) {
    // A copy: on the cpu backend a tensor may keep the very array it is made from.
    tf.tidy(() => {
      w.variable.write(tf.tensor(w.values.slice(), w.variable.read().shape, 'float32'));
    });
  }
}

/** Forward through every layer. */
function forwardAll(plan: WholeModelPlan, x: ArrayData, training: boolean): Activations {
  let a: Activations = { values: x.values, shape: x.shape, mask: null };
  for (const layer of plan.layers) a = layer.forward(a, training);
  return a;
}

/**
 * The planned model's outputs for x (training=false: no dropout, BatchNormalization's moving
 * statistics), in batches of batchSize, one row per sample: what tfjs's model.predict gives for
 * the trained weights (the layers' arrays, which writeBack copies into the model), without
 * building the batch as tensors. The run's evaluation (evaluation.ts) predicts through this.
 */
export function wholeModelPredict(plan: WholeModelPlan, x: ArrayData, batchSize: number): number[][] {
  const n = sampleCount(x);
  const out: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const y = forwardAll(plan, sliceSamples(x, start, start + size), false).values;
    const width = y.length / size;
    for (let i = 0; i < size; i++) out.push(Array.from(y.subarray(i * width, (i + 1) * width)));
  }
  return out;
}

/** Trains the planned model on train (validating on validation after each epoch); writes the weights back at the end. */
export async function wholeModelFit(plan: WholeModelPlan, train: ArrayPair, validation: ArrayPair | null, options: FitOptions, hooks: FitHooks): Promise<void> {
  const weights = weightsOf(plan);
  const lastDim = plan.outputShape[plan.outputShape.length - 1] ?? 1;
  const n = sampleCount(train.x);
  const batchX = new Reusable();
  const batchY = new Reusable();
  const outputGradient = new Reusable();
  const results = new Float64Array(plan.names.length);

  const forward = (x: ArrayData, training: boolean): Activations => forwardAll(plan, x, training);
  /** The loss (its gradient into grad when given) and metrics of a prediction, into results. */
  const score = (yTrue: Float32Array, yPred: Float32Array, grad: Float32Array | null): Float64Array => {
    results[0] = plan.loss.compute(yTrue, yPred, lastDim, grad);
    for (let i = 0; i < plan.metrics.length; i++) results[i + 1] = plan.metrics[i].compute(yTrue, yPred, lastDim);
    return results;
  };
  /** A batch of samples order[start, start + size): the data itself when it is every sample. */
  const take = (data: ArrayData, buffer: Reusable, order: number[], start: number, size: number): ArrayData => {
    if (size === sampleCount(data)) return data;
    const perSample = data.values.length / sampleCount(data);
    const values = buffer.take(size * perSample);
    takeSamplesInto(data, order, start, size, values);
    return { values, shape: [size, ...data.shape.slice(1)] };
  };

  try {
    await runEpochs(
      {
        names: plan.names,
        samples: n,
        trainBatch: (order, start, size) => {
          const x = take(train.x, batchX, order, start, size);
          const y = take(train.y, batchY, order, start, size);
          for (const w of weights) w.grad.fill(0);
          const prediction = forward(x, true);
          const dPrediction = outputGradient.take(prediction.values.length);
          score(y.values, prediction.values, dPrediction);
          let d: Float32Array | null = dPrediction;
          for (let i = plan.layers.length - 1; i >= 0 && d !== null; i--) d = plan.layers[i].backward(d, i > 0);
          // The regularizers' penalties join the training loss, as in tfjs's train function.
          for (const w of weights) if (w.penalty) results[0] += applyPenalty(w.values, w.grad, w.penalty);
          plan.optimizer.step(weights);
          return results;
        },
        validationSamples: validation ? sampleCount(validation.x) : 0,
        testBatch: (start, size) => {
          const x = sliceSamples(validation!.x, start, start + size);
          const y = sliceSamples(validation!.y, start, start + size);
          return score(y.values, forward(x, false).values, null);
        },
      },
      options,
      hooks,
    );
  } finally {
    writeBack(plan);
  }
}
