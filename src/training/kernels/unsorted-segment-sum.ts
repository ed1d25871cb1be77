// A linear-time UnsortedSegmentSum kernel for the wasm and cpu backends.
//
// Why: the Embedding layer's gradient (the gradient of Gather) is an UnsortedSegmentSum over
// the vocabulary. tfjs 4.22's wasm backend has no such kernel ("Kernel 'UnsortedSegmentSum'
// not registered for backend 'wasm'"), and the cpu backend's loops over every segment id,
// building a mask over all the data each time: O(vocabulary × ids × dim), about 35 minutes for
// one batch of Embedding(10000, 32). Summing each row into its segment is O(ids × dim).
import type * as tf from '../tf';
import { replaceKernel, type IOKernel } from './tensor-io';

/**
 * out[segmentIds[i], ...] += x[i, ...]. segmentIds' shape is a prefix of x's; ids outside
 * [0, numSegments) are dropped, as TensorFlow does on GPU and tfjs's cpu kernel does.
 */
export function segmentSumInto(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  numSegments: number,
  out: { [i: number]: number },
): void {
  const n = ids.length;
  const inner = n === 0 ? 0 : x.length / n;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    const src = i * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
}

const unsortedSegmentSum: IOKernel = (io, inputs, attrs) => {
  const x = inputs.x as tf.TensorInfo;
  const segmentIds = inputs.segmentIds as tf.TensorInfo;
  const numSegments = Number(attrs.numSegments);
  const out = io.allocate([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  segmentSumInto(io.read(x), io.read(segmentIds), numSegments, out.values);
  return out.info;
};

/**
 * Installs the kernel for 'wasm' or 'cpu' (replacing cpu's own). Idempotent. Call after the
 * backend has been registered (importing its package registers it).
 */
export function registerFastUnsortedSegmentSum(backendName: string): void {
  replaceKernel('UnsortedSegmentSum', backendName, unsortedSegmentSum);
}
