// AssemblyScript (compiled to WebAssembly with 128-bit SIMD by scripts/build-wasm.mjs) for the
// matrix products: gemm (C += A·B, A read by row or by column), which the whole-sequence kernels
// (recurrent.as.ts) call for every step's product and for the recurrent kernel's gradient, and
// ../matmul.ts exposes to TypeScript on Float32Arrays. Pointers are byte addresses of float32
// arrays in this module's memory, placed by the caller from heapBase().
import { madd } from './madd.as';

export function heapBase(): usize {
  return __heap_base;
}

/**
 * out[b, j] += Σ_k a[b, k] · m[k, from + j] on rows that start every aStride (a) and outStride
 * (out) floats, so the whole-sequence kernels read and write one step of a (batch, steps, ·)
 * array in place.
 */
export function addRowsTimesMatrixStrided(
  a: usize, aStride: i32, rows: i32, inner: i32, m: usize, mCols: i32, from: i32, width: i32, out: usize, outStride: i32,
): void {
  gemm(rows, width, inner, a, aStride, 1, m + (<usize>from << 2), mCols, out, outStride);
}

/**
 * c[i, j] += Σ_k a(i, k) · b[k, j] for i < m, j < n, k < depth, where a(i, k) is the float at
 * a + 4·(i·aRow + k·aCol): aCol = 1 reads a's rows (A·B), aRow = 1 its columns (Aᵀ·B), so a
 * transposed left factor needs no transposed copy. b's and c's rows start every bRow and cRow
 * floats. Every pointer is a byte address in this memory; nothing needs alignment.
 *
 * Two rows by sixteen columns of c stay in eight registers over the whole depth: c is loaded
 * and stored once per tile, and each step of k loads four vectors of b and two broadcasts of
 * a for eight multiply-adds (madd.as.ts: fused in the relaxed-SIMD binary). (Four rows by eight
 * and four by twelve measured no faster here: V8 gives wasm 16 vector registers on x64, and
 * 128-bit mul + add is what bounds it.)
 *
 * A deep product (a recurrent kernel's gradient sums over every step of every sample) runs in
 * slices of DEPTH_BLOCK values of k, so the slice of b every tile walks stays in the cache
 * rather than streaming all of b again for each tile of c.
 */
export function gemm(m: i32, n: i32, depth: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, c: usize, cRow: i32): void {
  if (n == 1 && oneColumn(m, depth, a, aRow, aCol, b, bRow, c, cRow)) return;
  const ac = <usize>aCol << 2;
  const br = <usize>bRow << 2;
  for (let k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
    const kn = min(DEPTH_BLOCK, depth - k0);
    gemmSlice(m, n, kn, a + <usize>k0 * ac, aRow, aCol, b + <usize>k0 * br, bRow, c, cRow);
  }
}

const DEPTH_BLOCK = 256;

/**
 * gemm for one column of c (a Dense(1) on every step, its kernel's gradient, its bias's), where
 * the tiles have nothing to fill and rowTail's scalar loop took a tenth of a SimpleRNN(64)
 * batch with Dense(1) on each step. The four lanes go along what is contiguous instead: k when
 * a's rows and b's column are (a dot product per row of c), else the rows of c when a is read
 * down its columns (Aᵀ·b) and c's column is contiguous. False, and nothing done, when neither.
 */
function oneColumn(m: i32, depth: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, c: usize, cRow: i32): bool {
  if (aCol == 1 && bRow == 1) {
    for (let i = 0; i < m; i++) {
      const ai = a + (<usize>i * <usize>aRow << 2);
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let k = 0;
      for (; k + 8 <= depth; k += 8) {
        const o = <usize>k << 2;
        s0 = madd(v128.load(ai + o), v128.load(b + o), s0);
        s1 = madd(v128.load(ai + o, 16), v128.load(b + o, 16), s1);
      }
      const v = f32x4.add(s0, s1);
      let s = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
      for (; k < depth; k++) s += load<f32>(ai + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
      const ci = c + (<usize>i * <usize>cRow << 2);
      store<f32>(ci, load<f32>(ci) + s);
    }
    return true;
  }
  if (aRow == 1 && cRow == 1) {
    const ac = <usize>aCol << 2;
    const br = <usize>bRow << 2;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = <usize>i << 2;
      let acc = v128.load(c + o);
      let ap = a + o;
      let bp = b;
      for (let k = 0; k < depth; k++) {
        acc = madd(v128.load(ap), v128.load32_splat(bp), acc);
        ap += ac;
        bp += br;
      }
      v128.store(c + o, acc);
    }
    for (; i < m; i++) {
      let s: f32 = 0;
      let ap = a + (<usize>i << 2);
      let bp = b;
      for (let k = 0; k < depth; k++) {
        s += load<f32>(ap) * load<f32>(bp);
        ap += ac;
        bp += br;
      }
      const ci = c + (<usize>i << 2);
      store<f32>(ci, load<f32>(ci) + s);
    }
    return true;
  }
  return false;
}

function gemmSlice(m: i32, n: i32, depth: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, c: usize, cRow: i32): void {
  const ar = <usize>aRow << 2;
  const ac = <usize>aCol << 2;
  const br = <usize>bRow << 2;
  const cr = <usize>cRow << 2;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + <usize>i * ar;
    const a1 = a0 + ar;
    const c0 = c + <usize>i * cr;
    const c1 = c0 + cr;
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      const o = c0 + (<usize>j << 2);
      const o2 = c1 + (<usize>j << 2);
      let x0 = v128.load(o);
      let x1 = v128.load(o, 16);
      let x2 = v128.load(o, 32);
      let x3 = v128.load(o, 48);
      let y0 = v128.load(o2);
      let y1 = v128.load(o2, 16);
      let y2 = v128.load(o2, 32);
      let y3 = v128.load(o2, 48);
      let ap = a0;
      let aq = a1;
      let bp = b + (<usize>j << 2);
      for (let k = 0; k < depth; k++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const b2 = v128.load(bp, 32);
        const b3 = v128.load(bp, 48);
        const s = v128.load32_splat(ap);
        const t = v128.load32_splat(aq);
        x0 = madd(s, b0, x0);
        x1 = madd(s, b1, x1);
        x2 = madd(s, b2, x2);
        x3 = madd(s, b3, x3);
        y0 = madd(t, b0, y0);
        y1 = madd(t, b1, y1);
        y2 = madd(t, b2, y2);
        y3 = madd(t, b3, y3);
        ap += ac;
        aq += ac;
        bp += br;
      }
      v128.store(o, x0);
      v128.store(o, x1, 16);
      v128.store(o, x2, 32);
      v128.store(o, x3, 48);
      v128.store(o2, y0);
      v128.store(o2, y1, 16);
      v128.store(o2, y2, 32);
      v128.store(o2, y3, 48);
    }
    if (j < n) {
      rowTail(a0, ac, depth, b, br, j, n, c0);
      rowTail(a1, ac, depth, b, br, j, n, c1);
    }
  }
  if (i < m) rowTail(a + <usize>i * ar, ac, depth, b, br, 0, n, c + <usize>i * cr);
}

/** One row's columns [j, n) of gemm's product: four at a time, then one at a time. */
function rowTail(ap0: usize, ac: usize, depth: i32, b: usize, br: usize, j: i32, n: i32, cr: usize): void {
  for (; j + 4 <= n; j += 4) {
    const o = cr + (<usize>j << 2);
    let acc = v128.load(o);
    let ap = ap0;
    let bp = b + (<usize>j << 2);
    for (let k = 0; k < depth; k++) {
      acc = madd(v128.load32_splat(ap), v128.load(bp), acc);
      ap += ac;
      bp += br;
    }
    v128.store(o, acc);
  }
  for (; j < n; j++) {
    const o = cr + (<usize>j << 2);
    let s = load<f32>(o);
    let ap = ap0;
    let bp = b + (<usize>j << 2);
    for (let k = 0; k < depth; k++) {
      s += load<f32>(ap) * load<f32>(bp);
      ap += ac;
      bp += br;
    }
    store<f32>(o, s);
  }
}

/**
 * out += leftᵀ · d's columns [from, from + width): a recurrent kernel's gradient over every step
 * at once (left: rows × units, d: rows × dCols, out: units × dCols, written at its columns
 * [from, from + width)). gemm reads left's columns in place.
 */
export function addTransposedProduct(left: usize, rows: i32, units: i32, d: usize, dCols: i32, from: i32, width: i32, out: usize): void {
  const at = <usize>from << 2;
  gemm(units, width, rows, left, 1, units, d + at, dCols, out + at, dCols);
}

/** dst (cols × rows) = the transpose of src (rows × cols). */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + ((<usize>c * rows + r) << 2), load<f32>(src + ((<usize>r * cols + c) << 2)));
    }
  }
}
