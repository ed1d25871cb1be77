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
  const vecEnd = width & ~3;
  const mStride = <usize>mCols << 2;
  for (let b = 0; b < rows; b++) {
    const ar = a + ((<usize>b * inner) << 2);
    const or = out + ((<usize>b * width) << 2);
    let k = 0;
    // Four rows of m per pass: one load and store of out for four multiply-adds.
    for (; k + 4 <= inner; k += 4) {
      const a0 = f32x4.splat(load<f32>(ar + (<usize>k << 2)));
      const a1 = f32x4.splat(load<f32>(ar + (<usize>(k + 1) << 2)));
      const a2 = f32x4.splat(load<f32>(ar + (<usize>(k + 2) << 2)));
      const a3 = f32x4.splat(load<f32>(ar + (<usize>(k + 3) << 2)));
      const m0 = m + ((<usize>k * mCols + from) << 2);
      const m1 = m0 + mStride;
      const m2 = m1 + mStride;
      const m3 = m2 + mStride;
      let j = 0;
      for (; j < vecEnd; j += 4) {
        const off = <usize>j << 2;
        let acc = v128.load(or + off);
        acc = f32x4.add(acc, f32x4.mul(a0, v128.load(m0 + off)));
        acc = f32x4.add(acc, f32x4.mul(a1, v128.load(m1 + off)));
        acc = f32x4.add(acc, f32x4.mul(a2, v128.load(m2 + off)));
        acc = f32x4.add(acc, f32x4.mul(a3, v128.load(m3 + off)));
        v128.store(or + off, acc);
      }
      for (; j < width; j++) {
        const off = <usize>j << 2;
        const s = load<f32>(ar + (<usize>k << 2)) * load<f32>(m0 + off)
          + load<f32>(ar + (<usize>(k + 1) << 2)) * load<f32>(m1 + off)
          + load<f32>(ar + (<usize>(k + 2) << 2)) * load<f32>(m2 + off)
          + load<f32>(ar + (<usize>(k + 3) << 2)) * load<f32>(m3 + off);
        store<f32>(or + off, load<f32>(or + off) + s);
      }
    }
    for (; k < inner; k++) {
      const av = load<f32>(ar + (<usize>k << 2));
      const a0 = f32x4.splat(av);
      const m0 = m + ((<usize>k * mCols + from) << 2);
      let j = 0;
      for (; j < vecEnd; j += 4) {
        const off = <usize>j << 2;
        v128.store(or + off, f32x4.add(v128.load(or + off), f32x4.mul(a0, v128.load(m0 + off))));
      }
      for (; j < width; j++) {
        const off = <usize>j << 2;
        store<f32>(or + off, load<f32>(or + off) + av * load<f32>(m0 + off));
      }
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
