// validation_split as Keras does it: the LAST fraction of the samples, cut before any
// shuffling (shuffling then mixes the training part only), with Keras's own arithmetic:
// split_at = floor(n · (1 − fraction)).

import { type Dataset, sampleCount, sliceSamples } from './dataset';
import { DataError } from './errors';

export interface SplitData {
  train: Dataset;
  validation: Dataset | null;
}

export function validationSplit(data: Dataset, fraction: number): SplitData {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new DataError(`validation_split must be at least 0 and less than 1, not ${fraction}.`);
  }
  const n = sampleCount(data.x);
  if (fraction === 0) return { train: data, validation: null };
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new DataError(
      `The data has ${n} sample(s), not enough to split into a training and a validation set ` +
        `with validation_split=${fraction}. Use more data or another validation_split.`,
    );
  }
  return {
    train: { x: sliceSamples(data.x, 0, splitAt), y: sliceSamples(data.y, 0, splitAt) },
    validation: { x: sliceSamples(data.x, splitAt, n), y: sliceSamples(data.y, splitAt, n) },
  };
}
