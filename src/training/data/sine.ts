// A noisy sine wave: amplitude · sin(2π t / period) + noise · N(0, 1), one feature per step.
// Wrapped in window(...) it is the classic first forecasting exercise with a known answer.

import { DataError } from './errors';
import { createRandom } from './random';
import type { Series } from './series';

export interface SineOptions {
  length: number;
  period: number;
  amplitude: number;
  noise: number;
  seed: number;
}

export function sineSeries(options: SineOptions): Series {
  const { length, period, amplitude, noise, seed } = options;
  if (!Number.isInteger(length) || length < 1) throw new DataError(`sine(): length must be a positive integer, not ${length}.`);
  if (!(period > 0)) throw new DataError(`sine(): period must be positive, not ${period}.`);
  if (!(noise >= 0)) throw new DataError(`sine(): noise must be zero or positive, not ${noise}.`);
  const random = createRandom(seed);
  const values = new Float32Array(length);
  for (let t = 0; t < length; t++) {
    values[t] = amplitude * Math.sin((2 * Math.PI * t) / period) + (noise > 0 ? noise * random.normal() : 0);
  }
  return { values, length, features: 1, target: values.slice() };
}
