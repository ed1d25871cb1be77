// Does the data fit the model? Checked before fitting because tfjs's own complaint ("expected
// input1 to have shape [null,3,2] but got array with shape [5,3,1]") names internal tensors
// rather than the user's model and data statements.

import type * as tf from './tf';
import type { Dataset } from './data/dataset';
import { DataError } from './data/errors';

const fmt = (dims: (number | null)[]): string => `(${dims.map((d) => (d === null ? 'None' : String(d))).join(', ')}${dims.length === 1 ? ',' : ''})`;

function fits(expected: (number | null)[], actual: number[]): boolean {
  return expected.length === actual.length && expected.every((d, i) => d === null || d === actual[i]);
}

export function checkDataFitsModel(tfModel: tf.LayersModel, data: Dataset, names: { model: string; data: string; loss: string }): void {
  const input = tfModel.inputs[0].shape.slice(1);
  const sample = data.x.shape.slice(1);
  if (!fits(input, sample)) {
    throw new DataError(
      `Data '${names.data}' gives samples of shape ${fmt(sample)}, but model '${names.model}' takes inputs of shape ${fmt(input)}. ` +
        `Make the model's input(...) match the data.`,
    );
  }
  const output = tfModel.outputs[0].shape.slice(1);
  const target = data.y.shape.slice(1);
  // Sparse categorical targets are class numbers, (1,), against one output per class.
  const sparse = names.loss.toLowerCase() === 'sparse_categorical_crossentropy';
  if (!sparse && !fits(output, target)) {
    throw new DataError(
      `Model '${names.model}' outputs ${fmt(output)} per sample, but data '${names.data}' has targets of shape ${fmt(target)}. ` +
        `Make the last layer's units match the targets (for window(...), its horizon).`,
    );
  }
}
