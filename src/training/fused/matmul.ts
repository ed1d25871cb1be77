// The two small matrix products of one recurrent step, over rows of a larger Float32Array: the
// batch's states times the recurrent kernel (forward), and gradients times its transpose
// (backward). The big products (all steps' input projection, the recurrent kernel's gradient over
// all steps) go to tfjs's matMul instead; these are what must stay inside the step loop, and
// they are most of a recurrent layer's arithmetic.
//
// Row b of `a` starts at aBase + b·aStride, so a step's rows can be read in place from a
// (batch, steps, width) array. The WebAssembly SIMD build (simd/matmul.as.ts) computes them when
// it loads, on copies of the rows in its memory (copying is O(rows·(inner + width)), the product
// O(rows·inner·width)); otherwise the TypeScript loops below do.
import { simdKernels } from './simd/module';

/** Which implementation runs the products: reported as part of a layer's kernel name. */
export function matmulImplementation(): 'wasm-simd' | 'js' {
  return simdKernels() === null ? 'js' : 'wasm-simd';
}

type Product = (
  a: Float32Array, aBase: number, aStride: number, rows: number, inner: number,
  m: Float32Array, mCols: number, from: number, to: number,
  out: Float32Array, outBase: number, outStride: number,
) => void;

/** A product run in the wasm module: a's and out's rows and m copied in, out's rows copied back. */
function inWasm(transposed: boolean): Product {
  return (a, aBase, aStride, rows, inner, m, mCols, from, to, out, outBase, outStride) => {
    const simd = simdKernels()!;
    const width = to - from;
    const aWidth = transposed ? width : inner;
    const outWidth = transposed ? inner : width;
    const mem = simd.scratch(rows * aWidth + m.length + rows * outWidth);
    const aAt = simd.base / 4;
    const mAt = aAt + rows * aWidth;
    const outAt = mAt + m.length;
    // When transposed, a's rows are the gradients of columns [from, to): aBase already points there.
    for (let b = 0; b < rows; b++) {
      const from0 = aBase + b * aStride;
      mem.set(a.subarray(from0, from0 + aWidth), aAt + b * aWidth);
      const o = outBase + b * outStride;
      mem.set(out.subarray(o, o + outWidth), outAt + b * outWidth);
    }
    mem.set(m, mAt);
    const fn = transposed ? simd.exports.addRowsTimesMatrixT : simd.exports.addRowsTimesMatrix;
    fn(aAt * 4, rows, inner, mAt * 4, mCols, from, width, outAt * 4);
    for (let b = 0; b < rows; b++) {
      const o = outBase + b * outStride;
      out.set(mem.subarray(outAt + b * outWidth, outAt + (b + 1) * outWidth), o);
    }
  };
}

/**
 * out[b, j] += Σ_k a[b, k] · m[k, j] for j in [from, to) of m's columns, k < inner; out's
 * row b starts at outBase + b·outStride and is indexed by j − from.
 */
export function addRowsTimesMatrixJs(
  a: Float32Array, aBase: number, aStride: number, rows: number, inner: number,
  m: Float32Array, mCols: number, from: number, to: number,
  out: Float32Array, outBase: number, outStride: number,
): void {
  const width = to - from;
  for (let b = 0; b < rows; b++) {
    const ar = aBase + b * aStride;
    const or = outBase + b * outStride;
    for (let k = 0; k < inner; k++) {
      const av = a[ar + k];
      if (av === 0) continue;
      const mr = k * mCols + from;
      for (let j = 0; j < width; j++) out[or + j] += av * m[mr + j];
    }
  }
}

/**
 * out[b, k] += Σ_j a[b, j] · m[k, from + j] for k < inner, j < to − from: a times the
 * transpose of m's columns [from, to).
 */
export function addRowsTimesMatrixTJs(
  a: Float32Array, aBase: number, aStride: number, rows: number, inner: number,
  m: Float32Array, mCols: number, from: number, to: number,
  out: Float32Array, outBase: number, outStride: number,
): void {
  const width = to - from;
  for (let b = 0; b < rows; b++) {
    const ar = aBase + b * aStride;
    const or = outBase + b * outStride;
    for (let k = 0; k < inner; k++) {
      const mr = k * mCols + from;
      let s = 0;
      for (let j = 0; j < width; j++) s += a[ar + j] * m[mr + j];
      out[or + k] += s;
    }
  }
}

const wasmProduct = inWasm(false);
const wasmProductT = inWasm(true);

export const addRowsTimesMatrix: Product = (...args) =>
  (simdKernels() === null ? addRowsTimesMatrixJs : wasmProduct)(...args);

export const addRowsTimesMatrixT: Product = (...args) =>
  (simdKernels() === null ? addRowsTimesMatrixTJs : wasmProductT)(...args);
