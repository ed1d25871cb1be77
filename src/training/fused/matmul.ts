// The two small matrix products of one recurrent step, over rows of a larger Float32Array: the
// batch's states times the recurrent kernel (forward), and gradients times its transpose
// (backward). The big products (all steps' input projection, the recurrent kernel's gradient over
// all steps) go to tfjs's matMul instead; these are what must stay inside the step loop.
//
// Row b of `a` starts at aBase + b·aStride, so a step's rows can be read in place from a
// (batch, steps, width) array. Loops run over contiguous memory in the innermost position.

/**
 * out[b, j] += Σ_k a[b, k] · m[k, j] for j in [from, to) of m's columns, k < inner; out's
 * row b starts at outBase + b·outStride and is indexed by j − from.
 */
export function addRowsTimesMatrix(
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
export function addRowsTimesMatrixT(
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
