// A linear-time UnsortedSegmentSum kernel for the wasm and cpu backends.
//
// Why: the Embedding layer's gradient (the gradient of Gather) is an UnsortedSegmentSum over
// the vocabulary. tfjs 4.22's wasm backend has no such kernel ("Kernel 'UnsortedSegmentSum'
// not registered for backend 'wasm'"), and the cpu backend's loops over every segment id,
// building a mask over all the data each time: O(vocabulary × ids × dim), about 35 minutes for
// one batch of Embedding(10000, 32). Summing each row into its segment is O(ids × dim).
import * as tf from '../tf';

type TypedArray = Float32Array | Int32Array | Uint8Array;

/** The few backend calls the kernel needs, so one loop serves both backends. */
interface TensorIO {
  /** Allocates the output; returns its TensorInfo and a zeroed view to write into. */
  allocate(shape: number[], dtype: tf.DataType): { info: tf.TensorInfo; values: TypedArray };
  read(t: tf.TensorInfo): TypedArray;
}

// Minimal shapes of the two backends' objects (their classes are not exported as types here).
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): TypedArray;
}
interface CpuBackendLike {
  readSync(dataId: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: TypedArray): tf.TensorInfo;
}

function wasmIO(backend: WasmBackendLike): TensorIO {
  return {
    allocate(shape, dtype) {
      const info = backend.makeOutput(shape, dtype);
      const values = backend.typedArrayFromHeap(info);
      values.fill(0); // malloc'd heap memory is not zeroed
      return { info, values };
    },
    // Views into the wasm heap; taken after allocate() because allocating may grow (and so
    // detach) the heap buffer.
    read: (t) => backend.typedArrayFromHeap(t),
  };
}

function cpuIO(backend: CpuBackendLike): TensorIO {
  return {
    allocate(shape, dtype) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
      return { info: backend.makeTensorInfo(shape, dtype, values), values };
    },
    read: (t) => backend.readSync(t.dataId) as TypedArray,
  };
}

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

function makeKernel(ioFor: (backend: object) => TensorIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tf.TensorInfo;
    const segmentIds = inputs.segmentIds as tf.TensorInfo;
    const numSegments = Number((attrs as { numSegments: number }).numSegments);
    const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
    const io = ioFor(backend as object);
    const out = io.allocate(outShape, x.dtype);
    segmentSumInto(io.read(x), io.read(segmentIds), numSegments, out.values);
    return out.info;
  };
}

const registered = new Set<string>();

/**
 * Installs the kernel for 'wasm' or 'cpu' (replacing cpu's own). Idempotent. Call after the
 * backend has been registered (importing its package registers it).
 */
export function registerFastUnsortedSegmentSum(backendName: string): void {
  if (registered.has(backendName)) return;
  let kernelFunc: tf.KernelFunc;
  if (backendName === 'wasm') kernelFunc = makeKernel((b) => wasmIO(b as WasmBackendLike));
  else if (backendName === 'cpu') kernelFunc = makeKernel((b) => cpuIO(b as CpuBackendLike));
  else throw new Error(`No fast UnsortedSegmentSum for backend '${backendName}'`);
  if (tf.getKernel('UnsortedSegmentSum', backendName) != null) {
    tf.unregisterKernel('UnsortedSegmentSum', backendName);
  }
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc });
  registered.add(backendName);
}
