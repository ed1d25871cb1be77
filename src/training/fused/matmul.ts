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
import { SimdName, simdKernels, simdName } from './simd/module';

/**
 * Which implementation runs the products: reported as part of a layer's kernel name
 * ('native-avx2' when the native build loaded, 'wasm-simd-fma' when the fused-multiply-add binary did).
 */
export function matmulImplementation(): SimdName | 'js' {
  return simdName() ?? 'js';
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
  /** n values added to every row of C (a layer's bias); only when not accumulating. */
  rowBias?: Float32Array;
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
  if (p.rowBias !== undefined && (p.accumulate || p.rowBias.length !== n)) {
    throw new RangeError(`matmul: a row bias of ${p.rowBias.length} values for ${n} columns${p.accumulate ? ', accumulating' : ''}`);
  }
  return {
    a: p.a.transpose ? resolve('A', p.a, k, m) : resolve('A', p.a, m, k),
    b: p.b.transpose ? resolve('B', p.b, n, k) : resolve('B', p.b, k, n),
    c: resolve('C', p.c, m, n),
  };
}

/** C (+)= op(A) · op(B): in WebAssembly when the module loads, else in TypeScript. */
export function multiply(p: Product): void {
  multiplyAll([p]);
}

/**
 * Several products in order, as if one multiply after another (a later one may read an earlier
 * one's C). In WebAssembly, an array that several of them read (a layer's gradient feeding both
 * the input's and the kernel's gradient) is copied into the module once.
 */
export function multiplyAll(products: Product[]): void {
  const checked = products.map(checkedProduct);
  if (simdKernels() === null) products.forEach((p, i) => multiplyJs(p, checked[i]));
  else multiplyWasm(products, checked);
}

/** The TypeScript product alone (what runs when the module does not load), for tests and benchmarks. */
export function multiplyInTypeScript(p: Product): void {
  multiplyJs(p, checkedProduct(p));
}

function multiplyJs(p: Product, { a, b, c }: { a: Resolved; b: Resolved; c: Resolved }): void {
  const { m, n, k } = p;
  if (!p.accumulate) fillRows(c.data, c.offset, m, n, c.stride, p.rowBias);
  // A's element (i, q) is at aBase + i·aI + q·aQ: rows read along, or a transposed A down its columns.
  const [aI, aQ] = p.a.transpose ? [1, a.stride] : [a.stride, 1];
  productLoops(p.b.transpose === true, m, n, k, a.data, a.offset, aI, aQ, b.data, b.offset, b.stride, c.data, c.offset, c.stride);
}

/**
 * C[i, j] += Σ_q A(i, q) · op(B)[q, j] on plain numbers and arrays (V8 optimises this far better
 * than loops reading operand objects: 1.5× in the TypeScript kernels' profile). B as stored
 * is k × n (row i of C gathers rows of B, the inner loop along contiguous rows) or, transposed,
 * n × k (each entry of C one dot product).
 */
function productLoops(
  bTransposed: boolean, m: number, n: number, k: number, A: Float32Array, aBase: number, aI: number, aQ: number,
  B: Float32Array, bBase: number, bStride: number, C: Float32Array, cBase: number, cStride: number,
): void {
  for (let i = 0; i < m; i++) {
    const cr = cBase + i * cStride;
    const ar = aBase + i * aI;
    if (bTransposed) {
      for (let j = 0; j < n; j++) {
        const br = bBase + j * bStride;
        let s = 0;
        for (let q = 0; q < k; q++) s += A[ar + q * aQ] * B[br + q];
        C[cr + j] += s;
      }
      continue;
    }
    for (let q = 0; q < k; q++) {
      const av = A[ar + q * aQ];
      if (av === 0) continue;
      const br = bBase + q * bStride;
      for (let j = 0; j < n; j++) C[cr + j] += av * B[br + j];
    }
  }
}

interface Checked {
  a: Resolved;
  b: Resolved;
  c: Resolved;
}

/** The floats [from, to) of an array that the products touch, and where they sit in the module. */
interface Placement {
  from: number;
  to: number;
  /** Whether its contents must be copied in: read by a product (not only written). */
  read: boolean;
  /** Float index in the module's memory of element `from`. */
  at: number;
}

function span(op: Resolved): [number, number] {
  return [op.offset, op.rows === 0 ? op.offset : op.offset + (op.rows - 1) * op.stride + op.cols];
}

/**
 * C's starting values before a product that overwrites it: every row the bias, or zeros. Rows
 * packed end to end (stride n) take one fill, or log2(m) copies of the bias rows already
 * written: one TypedArray call per row cost more than the product itself for a Dense(1) on
 * every step (1,920 rows of one value).
 */
export function fillRows(mem: Float32Array, at: number, m: number, n: number, stride: number, bias: Float32Array | undefined): void {
  if (m === 0 || n === 0) return;
  if (stride !== n) {
    for (let r = 0; r < m; r++) {
      if (bias) mem.set(bias, at + r * stride);
      else mem.fill(0, at + r * stride, at + r * stride + n);
    }
    return;
  }
  const end = at + m * n;
  if (!bias) {
    mem.fill(0, at, end);
    return;
  }
  mem.set(bias, at);
  for (let done = n; at + done < end; done *= 2) mem.copyWithin(at + done, at, Math.min(at + 2 * done, end) - done);
}

function multiplyWasm(products: Product[], checked: Checked[]): void {
  const simd = simdKernels()!;
  const placements = new Map<Float32Array, Placement>();
  const use = (op: Resolved, read: boolean) => {
    const [from, to] = span(op);
    const known = placements.get(op.data);
    if (known) {
      known.from = Math.min(known.from, from);
      known.to = Math.max(known.to, to);
      known.read ||= read;
    } else {
      placements.set(op.data, { from, to, read, at: 0 });
    }
  };
  checked.forEach(({ a, b, c }, i) => {
    use(a, true);
    // A transposed B is written transposed (k × n) into a region of its own, straight from its array.
    if (!products[i].b.transpose) use(b, true);
    use(c, products[i].accumulate === true);
  });
  // Past a held tape, so a product between a layer's forward and backward passes keeps it in place.
  const start = simd.freeFrom() / 4;
  let next = start;
  for (const p of placements.values()) {
    p.at = next;
    next += Math.ceil((p.to - p.from) / 4) * 4;
  }
  const transposedAt = checked.map(({ b }, i) => {
    if (!products[i].b.transpose) return -1;
    const at = next;
    next += Math.ceil((b.rows * b.cols) / 4) * 4;
    return at;
  });
  const mem = simd.scratch(next - start, start * 4);
  for (const [data, p] of placements) if (p.read) mem.set(data.subarray(p.from, p.to), p.at);
  const where = (op: Resolved) => {
    const p = placements.get(op.data)!;
    return p.at + op.offset - p.from;
  };
  products.forEach((product, i) => {
    const { m, n, k } = product;
    const { a, b, c } = checked[i];
    const cAt = where(c);
    if (!product.accumulate) fillRows(mem, cAt, m, n, c.stride, product.rowBias);
    let bAt: number;
    let bRow: number;
    if (product.b.transpose) {
      bAt = transposedAt[i];
      bRow = n;
      const B = b.data;
      for (let j = 0; j < n; j++) {
        const from = b.offset + j * b.stride;
        for (let q = 0; q < k; q++) mem[bAt + q * n + j] = B[from + q];
      }
    } else {
      bAt = where(b);
      bRow = b.stride;
    }
    // A as stored: m × k rows read along (aRow = stride, aCol = 1), or k × m read down its columns.
    const [aRow, aCol] = product.a.transpose ? [1, a.stride] : [a.stride, 1];
    if (m > 0 && n > 0) simd.exports.gemm(m, n, k, where(a) * 4, aRow, aCol, bAt * 4, bRow, cAt * 4, c.stride);
  });
  checked.forEach(({ c }, i) => {
    const cAt = where(c);
    const { m, n } = products[i];
    if (c.stride === n) c.data.set(mem.subarray(cAt, cAt + m * n), c.offset);
    else for (let r = 0; r < m; r++) c.data.set(mem.subarray(cAt + r * c.stride, cAt + r * c.stride + n), c.offset + r * c.stride);
  });
}

/** out[j] = Σ_r x[r, j] over rows × cols (a bias's gradient), as the product onesᵀ · x, for multiplyAll. */
export function columnSumsProduct(x: Float32Array, rows: number, cols: number, out: Float32Array): Product {
  return { m: 1, n: cols, k: rows, a: { data: onesOf(rows) }, b: { data: x }, c: { data: out } };
}

/** Products only read it: one array of ones serves every call (a batch's bias gradients each needed one). */
let ones = new Float32Array(0);

export function onesOf(length: number): Float32Array {
  if (ones.length < length) ones = new Float32Array(Math.max(length, 2 * ones.length)).fill(1);
  return ones.subarray(0, length);
}

/** to[i] += d[i]: a gradient added into an accumulator of the same length. */
export function addInto(to: Float32Array, d: Float32Array): void {
  for (let i = 0; i < to.length; i++) to[i] += d[i];
}

/** out[j] = Σ_r x[r, j] over rows × cols. */
export function columnSums(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  multiply(columnSumsProduct(x, rows, cols, out));
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

/**
 * out[k, j] += Σ_r a[r, k] · m[r, from + j] for k < cols, j < to − from: aᵀ times m's columns
 * [from, to), with a (rows, cols) dense and out's row k at outBase + k·outStride. A layer's
 * weight gradient (inputsᵀ · output gradients) over a whole batch, in the row products' argument
 * style for the whole-model layers.
 */
export function addTransposedTimesMatrix(
  a: Float32Array, rows: number, cols: number,
  m: Float32Array, mCols: number, from: number, to: number,
  out: Float32Array, outBase: number, outStride: number,
): void {
  multiply({
    m: cols,
    n: to - from,
    k: rows,
    a: { data: a, stride: cols, transpose: true },
    b: { data: m, offset: from, stride: mCols },
    c: { data: out, offset: outBase, stride: outStride },
    accumulate: true,
  });
}
