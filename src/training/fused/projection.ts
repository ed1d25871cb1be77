// A recurrent layer's input projection for every step at once, and its gradients: the largest
// products of a long sequence (the sentiment model's 16,000 rows of 32 features times a 32 × 128
// kernel, three times a training step). Done on Float32Arrays by matmul.ts, so the projection
// never becomes a tfjs tensor between the input and the recurrent kernel: tfjs would copy it in
// and out of its own memory, and add the bias with a broadcast that measured slower than the
// product itself.
import { columnSumsProduct, multiply, multiplyAll } from './matmul';

/** (rows × width) = x (rows × features) · kernel (features × width) + bias on every row. */
export function projectInputs(x: Float32Array, rows: number, features: number, kernel: Float32Array, width: number, bias: Float32Array | null): Float32Array {
  const out = new Float32Array(rows * width);
  multiply({ m: rows, n: width, k: features, a: { data: x }, b: { data: kernel }, c: { data: out }, rowBias: bias ?? undefined });
  return out;
}

export interface ProjectionGradients {
  /** (rows × features) */
  dx: Float32Array;
  /** (features × width) */
  dKernel: Float32Array;
  /** (width), when the projection has a bias. */
  dBias: Float32Array | null;
}

/** The gradients of projectInputs, from the projection's gradient dOut (rows × width). */
export function projectionGradients(
  x: Float32Array, rows: number, features: number, kernel: Float32Array, width: number, hasBias: boolean, dOut: Float32Array,
): ProjectionGradients {
  const dx = new Float32Array(rows * features);
  const dKernel = new Float32Array(features * width);
  const dBias = hasBias ? new Float32Array(width) : null;
  // One call, so dOut (the largest array) goes into the WebAssembly module once for all three.
  multiplyAll([
    { m: rows, n: features, k: width, a: { data: dOut }, b: { data: kernel, transpose: true }, c: { data: dx } },
    { m: features, n: width, k: rows, a: { data: x, transpose: true }, b: { data: dOut }, c: { data: dKernel } },
    ...(dBias ? [columnSumsProduct(dOut, rows, width, dBias)] : []),
  ]);
  return { dx, dKernel, dBias };
}
