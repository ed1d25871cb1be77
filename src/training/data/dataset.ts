// Training data in the form tfjs takes it: flat Float32Arrays with their shapes, so that a
// large data set is one allocation and can be handed to tf.tensor without copying.

export interface ArrayData {
  values: Float32Array;
  /** Sample count first: (n, steps, features), (n, horizon), (n, maxlen), ... */
  shape: number[];
}

export interface Dataset {
  x: ArrayData;
  y: ArrayData;
  /** The names of one-hot targets' classes, in order, when the data names them (a label column). */
  classNames?: string[];
}

/** Number of samples of a data set (its first dimension). */
export function sampleCount(data: ArrayData): number {
  return data.shape[0] ?? 0;
}

/** Values per sample: the product of every dimension after the first. */
export function sampleSize(data: ArrayData): number {
  let size = 1;
  for (let i = 1; i < data.shape.length; i++) size *= data.shape[i];
  return size;
}

/** Samples [start, end) of a data set; a view, not a copy. */
export function sliceSamples(data: ArrayData, start: number, end: number): ArrayData {
  const size = sampleSize(data);
  return {
    values: data.values.subarray(start * size, end * size),
    shape: [end - start, ...data.shape.slice(1)],
  };
}

/** Samples in the given order (a copy). */
export function takeSamples(data: ArrayData, order: ArrayLike<number>): ArrayData {
  const values = new Float32Array(order.length * sampleSize(data));
  takeSamplesInto(data, order, 0, order.length, values);
  return { values, shape: [order.length, ...data.shape.slice(1)] };
}

/**
 * Samples order[start .. start + count) copied one after another into `out` (which holds at
 * least count samples): a training loop's batch, into a buffer it reuses every batch.
 */
export function takeSamplesInto(data: ArrayData, order: ArrayLike<number>, start: number, count: number, out: Float32Array): void {
  const size = sampleSize(data);
  const values = data.values;
  for (let i = 0; i < count; i++) {
    const from = order[start + i] * size;
    // A short sample (a window of a few dozen values) copies faster by a loop than through a
    // subarray, an object per sample for the garbage collector; a long one (a review) by set.
    if (size < SHORT_SAMPLE) for (let j = 0; j < size; j++) out[i * size + j] = values[from + j];
    else out.set(values.subarray(from, from + size), i * size);
  }
}

const SHORT_SAMPLE = 256;

/** Sample i as nested arrays, for previews and tests. */
export function sampleToArray(data: ArrayData, i: number): unknown {
  const size = sampleSize(data);
  const flat = Array.from(data.values.subarray(i * size, (i + 1) * size));
  return nest(flat, data.shape.slice(1));
}

function nest(flat: number[], dims: number[]): unknown {
  if (dims.length <= 1) return flat;
  const [first, ...rest] = dims;
  const stride = flat.length / first;
  const out: unknown[] = [];
  for (let i = 0; i < first; i++) out.push(nest(flat.slice(i * stride, (i + 1) * stride), rest));
  return out;
}
