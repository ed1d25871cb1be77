// The LSTMs lecture's echo problem: a sequence of random integers in [0, features), one-hot encoded,
// whose label is the one-hot of the integer at position `index`. The network must remember
// one step of the sequence, which is what the lecture's LSTM(25) → Dense(features, softmax) learns.

import type { Dataset } from './dataset';
import { DataError } from './errors';
import { createRandom } from './random';

export interface EchoOptions {
  samples: number;
  length: number;
  features: number;
  index: number;
  seed: number;
}

export function echoData(options: EchoOptions): Dataset {
  const { samples, length, features, index, seed } = options;
  for (const [name, value] of [['samples', samples], ['length', length], ['features', features]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new DataError(`echo(): ${name} must be a positive integer, not ${value}.`);
  }
  if (features < 2) throw new DataError('echo(): features must be at least 2 (one-hot classes).');
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new DataError(`echo(): index ${index} is not a position of a sequence of length ${length} (0 to ${length - 1}).`);
  }
  const random = createRandom(seed);
  const x = new Float32Array(samples * length * features);
  const y = new Float32Array(samples * features);
  for (let s = 0; s < samples; s++) {
    for (let t = 0; t < length; t++) {
      const value = random.int(features);
      x[(s * length + t) * features + value] = 1;
      if (t === index) y[s * features + value] = 1;
    }
  }
  return { x: { values: x, shape: [samples, length, features] }, y: { values: y, shape: [samples, features] } };
}
