// The one home of matrix products on Float32Arrays: C (+)= op(A) · op(B), where op transposes or
// not, over rows that start at any offset and stride, so callers read one step of a
// (batch, steps, width) array in place or a block of columns of a weight matrix. The fused
// recurrent kernels use it for their step products, the fused layers for the input projection
// of every step at once and its gradients (projection.ts), and any other layer may call it
// for a Dense product.
//
// The WebAssembly SIMD build (simd/matmul.as.ts's gemm) computes it when it loads, on copies of
// the operands in its memory (copying is O(m·k + k·n + m·n), the product O(m·k·n)); otherwise
// the TypeScript loops below do.
import { simdKernels } from './simd/module';

/** Which implementation runs the products: reported as part of a layer's kernel name. */
export function matmulImplementation(): 'wasm-simd' | 'js' {
  return simdKernels() === null ? 'js' : 'wasm-simd';
}

/**
 * One operand: element (r, c) of the matrix as stored is data[offset + r·stride + c]. stride
 * defaults to the stored row length (columns), offset to 0.
 */
export interface Operand {
  data: Float32Array;
  offset?: number;
  stride?: number;
}

export interface Product {
  /** Rows of C and of op(A). */
  m: number;
  /** Columns of C and of op(B). */
  n: number;
  /** Columns of op(A), rows of op(B): the summed dimension. */
  k: number;
  /** m × k, or stored k × m when transposeA. */
  a: Operand & { transpose?: boolean };
  /** k × n, or stored n × k when transposeB. */
  b: Operand & { transpose?: boolean };
  /** m × n: added to when accumulate, else overwritten. */
  c: Operand;
  accumulate?: boolean;
}

interface Resolved {
  data: Float32Array;
  offset: number;
  stride: number;
  /** Stored rows and columns. */
  rows: number;
  cols: number;
}

function resolve(name: string, op: Operand, rows: number, cols: number): Resolved {
  const offset = op.offset ?? 0;
  const stride = op.stride ?? cols;
  if (!Number.isInteger(offset) || !Number.isInteger(stride) || offset < 0 || (rows > 1 && stride < cols)) {
    throw new RangeError(`matmul: ${name} has offset ${offset} and row stride ${stride} for ${cols} columns`);
  }
  const end = rows === 0 || cols === 0 ? offset : offset + (rows - 1) * stride + cols;
  if (end > op.data.length) {
    throw new RangeError(`matmul: ${name} needs ${end} floats (${rows} × ${cols}, offset ${offset}, stride ${stride}), it has ${op.data.length}`);
  }
  return { data: op.data, offset, stride, rows, cols };
}

function checkedProduct(p: Product): { a: Resolved; b: Resolved; c: Resolved } {
  const { m, n, k } = p;
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`matmul: ${name} is ${v}, not a size`);
  }
  return {
    a: p.a.transpose ? resolve('A', p.a, k, m) : resolve('A', p.a, m, k),
    b: p.b.transpose ? resolve('B', p.b, n, k) : resolve('B', p.b, k, n),
    c: resolve('C', p.c, m, n),
  };
}

/** C (+)= op(A) · op(B): in WebAssembly when the module loads, else in TypeScript. */
export function multiply(p: Product): void {
  const checked = checkedProduct(p);
  if (simdKernels() === null) multiplyJs(p, checked);
  else multiplyWasm(p, checked);
}

/** The TypeScript product alone (what runs when the module does not load), for tests and benchmarks. */
export function multiplyInTypeScript(p: Product): void {
  multiplyJs(p, checkedProduct(p));
}

function multiplyJs(p: Product, { a, b, c }: { a: Resolved; b: Resolved; c: Resolved }): void {
  const { m, n, k } = p;
  const A = a.data;
  const B = b.data;
  const C = c.data;
  if (!p.accumulate) {
    for (let i = 0; i < m; i++) C.fill(0, c.offset + i * c.stride, c.offset + i * c.stride + n);
  }
  const ta = p.a.transpose === true;
  if (p.b.transpose) {
    // Rows of B as stored are op(B)'s columns: each entry of C is one dot product.
    for (let i = 0; i < m; i++) {
      const cr = c.offset + i * c.stride;
      for (let j = 0; j < n; j++) {
        const br = b.offset + j * b.stride;
        let s = 0;
        if (ta) for (let q = 0; q < k; q++) s += A[a.offset + q * a.stride + i] * B[br + q];
        else for (let q = 0, ar = a.offset + i * a.stride; q < k; q++) s += A[ar + q] * B[br + q];
        C[cr + j] += s;
      }
    }
    return;
  }
  // Row i of C gathers rows of B scaled by A's entries: the inner loop runs along contiguous rows.
  for (let i = 0; i < m; i++) {
    const cr = c.offset + i * c.stride;
    for (let q = 0; q < k; q++) {
      const av = ta ? A[a.offset + q * a.stride + i] : A[a.offset + i * a.stride + q];
      if (av === 0) continue;
      const br = b.offset + q * b.stride;
      for (let j = 0; j < n; j++) C[cr + j] += av * B[br + j];
    }
  }
}

function bytesOf(floats: number): number {
  return Math.ceil(floats / 4) * 16;
}

/** Copies a stored matrix's rows into mem (contiguous, cols floats each) at float index `at`. */
function copyIn(mem: Float32Array, at: number, op: Resolved): void {
  if (op.stride === op.cols) {
    mem.set(op.data.subarray(op.offset, op.offset + op.rows * op.cols), at);
    return;
  }
  for (let r = 0; r < op.rows; r++) {
    const from = op.offset + r * op.stride;
    mem.set(op.data.subarray(from, from + op.cols), at + r * op.cols);
  }
}

function multiplyWasm(p: Product, { a, b, c }: { a: Resolved; b: Resolved; c: Resolved }): void {
  const { m, n, k } = p;
  if (m === 0 || n === 0) return;
  const simd = simdKernels()!;
  // Past a held tape, so a product between a layer's forward and backward passes keeps it in place.
  const start = simd.freeFrom();
  const aAt = start;
  const bAt = aAt + bytesOf(a.rows * a.cols);
  // A transposed B is turned into k × n in the module (it is a weight matrix: small beside C).
  const btAt = bAt + bytesOf(b.rows * b.cols);
  const cAt = btAt + (p.b.transpose ? bytesOf(k * n) : 0);
  const end = cAt + bytesOf(m * n);
  const mem = simd.scratch((end - start) / 4, start);
  copyIn(mem, aAt / 4, a);
  copyIn(mem, bAt / 4, b);
  if (p.accumulate) copyIn(mem, cAt / 4, c);
  else mem.fill(0, cAt / 4, cAt / 4 + m * n);
  let bRows = bAt;
  if (p.b.transpose) {
    simd.exports.transpose(bAt, n, k, btAt);
    bRows = btAt;
  }
  // A as stored: m × k rows read along (aRow = k, aCol = 1), or k × m read down its columns.
  if (p.a.transpose) simd.exports.gemm(m, n, k, aAt, 1, m, bRows, n, cAt, n);
  else simd.exports.gemm(m, n, k, aAt, k, 1, bRows, n, cAt, n);
  const out = cAt / 4;
  if (c.stride === n) {
    c.data.set(mem.subarray(out, out + m * n), c.offset);
    return;
  }
  for (let i = 0; i < m; i++) c.data.set(mem.subarray(out + i * n, out + (i + 1) * n), c.offset + i * c.stride);
}

/** out[j] (+)= Σ_r x[r, j] over rows × cols: a bias's gradient, as the product onesᵀ · x. */
export function columnSums(x: Float32Array, rows: number, cols: number, out: Float32Array, accumulate = false): void {
  multiply({ m: 1, n: cols, k: rows, a: { data: new Float32Array(rows).fill(1) }, b: { data: x }, c: { data: out }, accumulate });
}

// The step products of the recurrent kernels, in the argument order they were written with:
// rows of `a` (row b at aBase + b·aStride) times columns [from, to) of m (inner × mCols, row-major),
// into rows of `out` (row b at outBase + b·outStride, indexed by j − from).
type StepProduct = (
  a: Float32Array, aBase: number, aStride: number, rows: number, inner: number,
  m: Float32Array, mCols: number, from: number, to: number,
  out: Float32Array, outBase: number, outStride: number,
) => void;

function stepProduct(run: (p: Product) => void, transposed: boolean): StepProduct {
  return (a, aBase, aStride, rows, inner, m, mCols, from, to, out, outBase, outStride) => {
    const width = to - from;
    const weights = { data: m, offset: from, stride: mCols };
    run(transposed
      // out[b, q] += Σ_j a[b, j] · m[q, from + j]: A (rows × width) times those columns' transpose.
      ? { m: rows, n: inner, k: width, a: { data: a, offset: aBase, stride: aStride }, b: { ...weights, transpose: true }, c: { data: out, offset: outBase, stride: outStride }, accumulate: true }
      // out[b, j] += Σ_q a[b, q] · m[q, from + j].
      : { m: rows, n: width, k: inner, a: { data: a, offset: aBase, stride: aStride }, b: weights, c: { data: out, offset: outBase, stride: outStride }, accumulate: true });
  };
}

/** out[b, j] += Σ_k a[b, k] · m[k, from + j] for j in [from, to), k < inner. */
export const addRowsTimesMatrix: StepProduct = stepProduct(multiply, false);
/** out[b, k] += Σ_j a[b, j] · m[k, from + j] for k < inner, j < to − from: a times the transpose of m's columns. */
export const addRowsTimesMatrixT: StepProduct = stepProduct(multiply, true);
/** The same two in TypeScript alone. */
export const addRowsTimesMatrixJs: StepProduct = stepProduct(multiplyInTypeScript, false);
export const addRowsTimesMatrixTJs: StepProduct = stepProduct(multiplyInTypeScript, true);
