// What this project's replacement kernels (kernels/*.ts) need from a tfjs backend, for the two
// backends they serve: read an input's values, allocate a zeroed output. One loop then serves
// wasm and cpu alike. Also the one way to install such a kernel over the backend's own.
import * as tf from '../tf';

export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** The few backend calls a kernel needs. */
export interface TensorIO {
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

/** A kernel written against TensorIO, given the kernel call's inputs and attributes. */
export type IOKernel = (io: TensorIO, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo;

const installed = new Set<string>();

/**
 * Installs `kernel` as `kernelName` for 'wasm' or 'cpu', replacing the backend's own. Idempotent.
 * Call after the backend has been registered (importing its package registers it).
 */
export function replaceKernel(kernelName: string, backendName: string, kernel: IOKernel): void {
  const key = `${kernelName}/${backendName}`;
  if (installed.has(key)) return;
  let ioFor: (backend: object) => TensorIO;
  if (backendName === 'wasm') ioFor = (b) => wasmIO(b as WasmBackendLike);
  else if (backendName === 'cpu') ioFor = (b) => cpuIO(b as CpuBackendLike);
  else throw new Error(`No ${kernelName} kernel of this project's for backend '${backendName}'`);
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) =>
    kernel(ioFor(backend as object), inputs, (attrs ?? {}) as tf.NamedAttrMap);
  if (tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
  installed.add(key);
}
