// AssemblyScript (compiled to WebAssembly with 128-bit SIMD by scripts/build-wasm.mjs) for the two
// small matrix products of a recurrent step; ../matmul.ts describes them and calls these when
// the module loads. Buffers are contiguous float32 arrays in this module's memory, placed by the
// caller from heapBase():
//   a: rows × inner, m: inner × mCols (columns [from, from + width) used), out: rows × width.
// Four lanes at a time, with a scalar tail for widths that are not multiples of 4.

export function heapBase(): usize {
  return __heap_base;
}

/** out[b, j] += Σ_k a[b, k] · m[k, from + j] */
export function addRowsTimesMatrix(a: usize, rows: i32, inner: i32, m: usize, mCols: i32, from: i32, width: i32, out: usize): void {
  addRowsTimesMatrixStrided(a, inner, rows, inner, m, mCols, from, width, out, width);
}

/**
 * The same product on rows that start every aStride (a) and outStride (out) floats, so the
 * whole-sequence kernels read and write one step of a (batch, steps, ·) array in place.
 * Two rows by sixteen columns stay in eight registers over the whole inner loop: out is loaded
 * and stored once per tile, and each step of k loads four vectors of m for eight multiply-adds.
 */
export function addRowsTimesMatrixStrided(
  a: usize, aStride: i32, rows: i32, inner: i32, m: usize, mCols: i32, from: i32, width: i32, out: usize, outStride: i32,
): void {
  const mStride = <usize>mCols << 2;
  const mFrom = m + (<usize>from << 2);
  let b = 0;
  for (; b + 2 <= rows; b += 2) {
    const ar = a + ((<usize>b * aStride) << 2);
    const ar2 = ar + ((<usize>aStride) << 2);
    const or = out + ((<usize>b * outStride) << 2);
    const or2 = or + ((<usize>outStride) << 2);
    let j = 0;
    for (; j + 16 <= width; j += 16) {
      const o = or + (<usize>j << 2);
      const o2 = or2 + (<usize>j << 2);
      let acc0 = v128.load(o);
      let acc1 = v128.load(o, 16);
      let acc2 = v128.load(o, 32);
      let acc3 = v128.load(o, 48);
      let bcc0 = v128.load(o2);
      let bcc1 = v128.load(o2, 16);
      let bcc2 = v128.load(o2, 32);
      let bcc3 = v128.load(o2, 48);
      let mp = mFrom + (<usize>j << 2);
      for (let k = 0; k < inner; k++) {
        const av = f32x4.splat(load<f32>(ar + (<usize>k << 2)));
        const bv = f32x4.splat(load<f32>(ar2 + (<usize>k << 2)));
        const m0 = v128.load(mp);
        const m1 = v128.load(mp, 16);
        const m2 = v128.load(mp, 32);
        const m3 = v128.load(mp, 48);
        acc0 = f32x4.add(acc0, f32x4.mul(av, m0));
        acc1 = f32x4.add(acc1, f32x4.mul(av, m1));
        acc2 = f32x4.add(acc2, f32x4.mul(av, m2));
        acc3 = f32x4.add(acc3, f32x4.mul(av, m3));
        bcc0 = f32x4.add(bcc0, f32x4.mul(bv, m0));
        bcc1 = f32x4.add(bcc1, f32x4.mul(bv, m1));
        bcc2 = f32x4.add(bcc2, f32x4.mul(bv, m2));
        bcc3 = f32x4.add(bcc3, f32x4.mul(bv, m3));
        mp += mStride;
      }
      v128.store(o, acc0);
      v128.store(o, acc1, 16);
      v128.store(o, acc2, 32);
      v128.store(o, acc3, 48);
      v128.store(o2, bcc0);
      v128.store(o2, bcc1, 16);
      v128.store(o2, bcc2, 32);
      v128.store(o2, bcc3, 48);
    }
    if (j < width) {
      rowTail(ar, inner, mFrom, mStride, j, width, or);
      rowTail(ar2, inner, mFrom, mStride, j, width, or2);
    }
  }
  for (; b < rows; b++) {
    rowTail(a + ((<usize>b * aStride) << 2), inner, mFrom, mStride, 0, width, out + ((<usize>b * outStride) << 2));
  }
}

/** One row's columns [j, width) of the product: four at a time, then one at a time. */
function rowTail(ar: usize, inner: i32, mFrom: usize, mStride: usize, j: i32, width: i32, or: usize): void {
  for (; j + 4 <= width; j += 4) {
    const o = or + (<usize>j << 2);
    let acc = v128.load(o);
    let mp = mFrom + (<usize>j << 2);
    for (let k = 0; k < inner; k++) {
      acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(ar + (<usize>k << 2))), v128.load(mp)));
      mp += mStride;
    }
    v128.store(o, acc);
  }
  for (; j < width; j++) {
    const o = or + (<usize>j << 2);
    let s = load<f32>(o);
    let mp = mFrom + (<usize>j << 2);
    for (let k = 0; k < inner; k++) {
      s += load<f32>(ar + (<usize>k << 2)) * load<f32>(mp);
      mp += mStride;
    }
    store<f32>(o, s);
  }
}

/**
 * out += leftᵀ · d's columns [from, from + width): a recurrent kernel's gradient over every step
 * at once (left: rows × units, d: rows × dCols, out: units × dCols, written at its columns
 * [from, from + width)). leftT is room for units × rows floats.
 */
export function addTransposedProduct(left: usize, rows: i32, units: i32, d: usize, dCols: i32, from: i32, width: i32, leftT: usize, out: usize): void {
  transpose(left, rows, units, leftT);
  addRowsTimesMatrixStrided(leftT, rows, units, rows, d, dCols, from, width, out + (<usize>from << 2), dCols);
}

/** dst (cols × rows) = the transpose of src (rows × cols). */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + ((<usize>c * rows + r) << 2), load<f32>(src + ((<usize>r * cols + c) << 2)));
    }
  }
}

/** out[b, k] += Σ_j a[b, j] · m[k, from + j], for k < inner: a times the transpose of m's columns. */
export function addRowsTimesMatrixT(a: usize, rows: i32, inner: i32, m: usize, mCols: i32, from: i32, width: i32, out: usize): void {
  const vecEnd = width & ~3;
  for (let b = 0; b < rows; b++) {
    const ar = a + ((<usize>b * width) << 2);
    const or = out + ((<usize>b * inner) << 2);
    for (let k = 0; k < inner; k++) {
      const mr = m + ((<usize>k * mCols + from) << 2);
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j < vecEnd; j += 4) {
        const off = <usize>j << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(ar + off), v128.load(mr + off)));
      }
      let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; j < width; j++) {
        const off = <usize>j << 2;
        s += load<f32>(ar + off) * load<f32>(mr + off);
      }
      const o = or + (<usize>k << 2);
      store<f32>(o, load<f32>(o) + s);
    }
  }
}
