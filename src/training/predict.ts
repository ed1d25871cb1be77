// The document's `predict MODEL [...]` statements, run on the trained model. A statement whose
// input does not fit the model gets its own error; the others still run.

import * as tf from '@tensorflow/tfjs';
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
  const expected = model.inputs[0].shape.slice(1);
  const steps = input.length;
  const features = steps > 0 ? input[0].length : 0;
  if (steps === 0) throw new Error('The input is empty.');
  if (input.some((row) => row.length !== features)) throw new Error('Every step of the input must have the same number of values.');
  if (input.some((row) => row.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) {
    throw new Error('The input holds a value that is not a finite number.');
  }
  let shape: number[];
  if (expected.length === 2) {
    shape = [steps, features];
  } else if (expected.length === 1) {
    // A model taking (length,), an Embedding's word ids: one value per step.
    if (features !== 1) throw new Error(`Model '${model.name}' takes one value per step; the input has ${features}.`);
    shape = [steps];
  } else {
    throw new Error(`Model '${model.name}' takes inputs of rank ${expected.length}; predict gives a list of steps.`);
  }
  expected.forEach((dim, i) => {
    if (dim !== null && dim !== shape[i]) {
      const what = i === 0 ? 'steps' : 'values per step';
      throw new Error(`Model '${model.name}' takes ${dim} ${what}; the input has ${shape[i]}.`);
    }
  });
  return tf.tensor(input.flat(), [1, ...shape], 'float32');
}
