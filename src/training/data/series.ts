// A series in memory: `length` time steps of `features` values each, plus the values of the
// column being forecast. Flat typed arrays because a CSV series may have millions of rows.

import { DataError } from './errors';

export interface Series {
  /** length × features, row-major (step by step). */
  values: Float32Array;
  length: number;
  features: number;
  /** The forecast column's value at every step (a feature column or a separate one). */
  target: Float32Array;
  /** Feature names when known (a CSV header), for messages. */
  names?: string[];
  /** Each step's class, when the series has a label column. */
  labels?: SeriesLabels;
}

export interface SeriesLabels {
  /** The class number of every step, indexing classNames. */
  ids: Uint16Array;
  classNames: string[];
}

/**
 * A series from a literal: a flat list is one feature per step, a list of lists several.
 * The target is feature `targetIndex` (the first unless told).
 */
export function seriesFromValues(values: number[] | number[][], targetIndex = 0): Series {
  const rows: number[][] = values.map((v) => (Array.isArray(v) ? v : [v]));
  const length = rows.length;
  const features = length > 0 ? rows[0].length : 1;
  if (features === 0) throw new DataError('A series step has no values.');
  if (targetIndex < 0 || targetIndex >= features) {
    throw new DataError(`The target feature ${targetIndex} does not exist: the series has ${features} feature(s).`);
  }
  const flat = new Float32Array(length * features);
  const target = new Float32Array(length);
  rows.forEach((row, step) => {
    if (row.length !== features) {
      throw new DataError(`Step ${step + 1} of the series has ${row.length} value(s); the first step has ${features}.`);
    }
    row.forEach((value, f) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new DataError(`Step ${step + 1} of the series holds ${String(value)}, not a finite number.`);
      }
      flat[step * features + f] = value;
    });
    target[step] = row[targetIndex];
  });
  return { values: flat, length, features, target };
}
