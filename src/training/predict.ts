// The document's `predict MODEL [...]` statements, run on the trained model. A statement whose
// input does not fit the model gets its own error; the others still run.

import * as tf from './tf';
import { predictInputProblem } from '../language';
import type { NestedNumbers, PredictionResult } from './protocol';

export function predictOne(model: tf.LayersModel, input: number[][]): PredictionResult {
  try {
    const tensor = inputTensor(model, input);
    const output = tf.tidy(() => {
      const out = model.predict(tensor);
      const first = (t: tf.Tensor): NestedNumbers => (t.arraySync() as NestedNumbers[])[0];
      return Array.isArray(out) ? out.map(first) : first(out);
    });
    tensor.dispose();
    return { input, output };
  } catch (err) {
    return { input, output: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** One sample as a batch of one, shaped as the model takes it. */
function inputTensor(model: tf.LayersModel, input: number[][]): tf.Tensor {
  const inputShape = model.inputs[0].shape;
  const problem = predictInputProblem(input, { name: model.name, inputShape });
  if (problem) throw new Error(problem);
  // A model taking (length,), an Embedding's word ids, gets one value per step.
  const shape = inputShape.length === 2 ? [input.length] : [input.length, input[0].length];
  return tf.tensor(input.flat(), [1, ...shape], 'float32');
}
