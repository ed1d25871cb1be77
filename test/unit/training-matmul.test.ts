// The general product of src/training/fused/matmul.ts (C (+)= op(A)·op(B) on Float32Arrays) against
// the definition written out in float64, on sizes off the SIMD tile (1, 3, 5, 17 rows and columns,
// depths past the module's depth slice), with offsets and row strides, in WebAssembly (when
// built) and in TypeScript.
import { strict as assert } from 'node:assert';
import { columnSums, multiply, multiplyAll, multiplyInTypeScript, Product } from '../../src/training/fused/matmul';
import { simdKernels } from '../../src/training/fused/simd/module';
import { seededRandom } from '../helpers/random';

/** C as the definition gives it, for the product's operands as they are now. */
function reference(p: Product): Float64Array {
  const { m, n, k } = p;
  const at = (op: Product['a'], r: number, c: number) => op.data[(op.offset ?? 0) + r * (op.stride ?? 0) + c];
  const aStride = p.a.stride ?? (p.a.transpose ? m : k);
  const bStride = p.b.stride ?? (p.b.transpose ? k : n);
  const cStride = p.c.stride ?? n;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = p.accumulate ? p.c.data[(p.c.offset ?? 0) + i * cStride + j] : (p.rowBias?.[j] ?? 0);
      for (let q = 0; q < k; q++) {
        const a = p.a.transpose ? at({ ...p.a, stride: aStride }, q, i) : at({ ...p.a, stride: aStride }, i, q);
        const b = p.b.transpose ? at({ ...p.b, stride: bStride }, j, q) : at({ ...p.b, stride: bStride }, q, j);
        s += a * b;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

/** A product with each operand placed at an offset inside a larger array, rows `pad` floats apart beyond their width. */
function randomProduct(next: () => number, m: number, n: number, k: number, opts: { ta?: boolean; tb?: boolean; pad?: number; accumulate?: boolean; bias?: boolean }): Product {
  const pad = opts.pad ?? 0;
  const operand = (rows: number, cols: number) => {
    const stride = cols + pad;
    const offset = pad ? 3 : 0;
    return { data: Float32Array.from({ length: offset + rows * stride + pad }, next), offset, stride: pad ? stride : undefined };
  };
  return {
    m, n, k,
    a: { ...(opts.ta ? operand(k, m) : operand(m, k)), transpose: opts.ta },
    b: { ...(opts.tb ? operand(n, k) : operand(k, n)), transpose: opts.tb },
    c: operand(m, n),
    accumulate: opts.accumulate,
    rowBias: opts.bias ? Float32Array.from({ length: n }, next) : undefined,
  };
}

/** Runs the product on copies of C and checks C's block against the reference and every other float unchanged. */
function check(run: (p: Product) => void, p: Product, label: string): void {
  const want = reference(p);
  const before = p.c.data.slice();
  const got = { ...p, c: { ...p.c, data: p.c.data.slice() } };
  run(got);
  const stride = p.c.stride ?? p.n;
  const offset = p.c.offset ?? 0;
  const inBlock = new Set<number>();
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      const at = offset + i * stride + j;
      inBlock.add(at);
      const e = want[i * p.n + j];
      assert.ok(Math.abs(got.c.data[at] - e) <= 1e-5 * Math.max(1, Math.abs(e)) * Math.sqrt(p.k + 1), `${label} C[${i}, ${j}]: ${got.c.data[at]} vs ${e}`);
    }
  }
  before.forEach((v, at) => {
    if (!inBlock.has(at)) assert.equal(got.c.data[at], v, `${label}: float ${at} outside C's block changed`);
  });
}

const IMPLEMENTATIONS: [string, (p: Product) => void][] = [['multiply', multiply], ['TypeScript', multiplyInTypeScript]];

describe('training/fused: matmul, C (+)= op(A)·op(B) on Float32Arrays', () => {
  it('equals the definition for sizes off the vector width, every transpose, offsets and row strides', () => {
    const next = seededRandom(11);
    const sizes = [1, 3, 5, 17];
    for (const [name, run] of IMPLEMENTATIONS) {
      for (const m of sizes) {
        for (const n of [...sizes, 16, 35]) {
          for (const k of sizes) {
            for (const ta of [false, true]) {
              for (const tb of [false, true]) {
                const pad = (m + n + k) % 3 === 0 ? 0 : 2;
                const accumulate = (m * n) % 2 === 1;
                const p = randomProduct(next, m, n, k, { ta, tb, pad, accumulate, bias: !accumulate && k === 3 });
                check(run, p, `${name} ${m}×${k}·${k}×${n} ta=${ta} tb=${tb} pad=${pad} accumulate=${accumulate}`);
              }
            }
          }
        }
      }
    }
  });

  it('sums deep products (more steps than one cache slice) and wide ones correctly', () => {
    const next = seededRandom(12);
    for (const [name, run] of IMPLEMENTATIONS) {
      check(run, randomProduct(next, 6, 37, 601, { ta: true }), `${name} deep Aᵀ·B`);
      check(run, randomProduct(next, 33, 70, 9, { pad: 5, accumulate: true }), `${name} wide strided`);
    }
  });

  it('computes one column of C (Dense(1) on every step, its kernel\'s and bias\'s gradients) in each layout', () => {
    const next = seededRandom(14);
    for (const [name, run] of IMPLEMENTATIONS) {
      for (const [m, k] of [[37, 70], [70, 37], [4, 9], [6, 1], [1, 23]]) {
        for (const ta of [false, true]) {
          for (const pad of [0, 2]) {
            for (const accumulate of [false, true]) {
              const p = randomProduct(next, m, 1, k, { ta, pad, accumulate, bias: !accumulate });
              check(run, p, `${name} ${m}×${k}·${k}×1 ta=${ta} pad=${pad} accumulate=${accumulate}`);
            }
          }
        }
      }
    }
  });

  it('runs several products in order, a later one reading an earlier one\'s result, an operand shared', () => {
    const next = seededRandom(13);
    const x = Float32Array.from({ length: 7 * 5 }, next);
    const w = Float32Array.from({ length: 5 * 6 }, next);
    const v = Float32Array.from({ length: 6 * 4 }, next);
    const h = new Float32Array(7 * 6);
    const y = new Float32Array(7 * 4);
    // h = x·w, y = h·v, then h += x·w again: x read twice, h written, read, then accumulated.
    multiplyAll([
      { m: 7, n: 6, k: 5, a: { data: x }, b: { data: w }, c: { data: h } },
      { m: 7, n: 4, k: 6, a: { data: h }, b: { data: v }, c: { data: y } },
      { m: 7, n: 6, k: 5, a: { data: x }, b: { data: w }, c: { data: h }, accumulate: true },
    ]);
    const h1 = reference({ m: 7, n: 6, k: 5, a: { data: x }, b: { data: w }, c: { data: new Float32Array(42) } });
    const y1 = reference({ m: 7, n: 4, k: 6, a: { data: Float32Array.from(h1) }, b: { data: v }, c: { data: new Float32Array(28) } });
    h1.forEach((e, i) => assert.ok(Math.abs(h[i] - 2 * e) <= 1e-5 * Math.max(1, Math.abs(e)), `h[${i}]: ${h[i]} vs ${2 * e}`));
    y1.forEach((e, i) => assert.ok(Math.abs(y[i] - e) <= 1e-5 * Math.max(1, Math.abs(e)), `y[${i}]: ${y[i]} vs ${e}`));
  });

  it('gives column sums (a bias\'s gradient)', () => {
    const x = Float32Array.from({ length: 9 * 5 }, (_, i) => i % 5 + Math.floor(i / 5) * 0.5);
    const out = new Float32Array(5);
    columnSums(x, 9, 5, out);
    assert.deepEqual(Array.from(out), [0, 1, 2, 3, 4].map((j) => 9 * j + 0.5 * 36));
  });

  it('leaves a held tape in place: a product between a layer\'s forward and backward passes evicts nothing', () => {
    const simd = simdKernels();
    assert.ok(simd, 'dist/fused-kernels.wasm did not load: `npm run build` compiles it');
    let evicted = false;
    const reservation = simd.reserve(simd.base + 4096, () => { evicted = true; });
    multiply({ m: 3, n: 3, k: 3, a: { data: new Float32Array(9).fill(1) }, b: { data: new Float32Array(9).fill(2) }, c: { data: new Float32Array(9) } });
    assert.equal(evicted, false);
    assert.ok(reservation.held());
    simd.release(reservation);
  });

  it('says what is wrong with operands that do not fit, before computing anything', () => {
    const f = (n: number) => new Float32Array(n);
    assert.throws(() => multiply({ m: 2, n: 3, k: 4, a: { data: f(7) }, b: { data: f(12) }, c: { data: f(6) } }), /matmul: A needs 8 floats \(2 × 4, offset 0, stride 4\), it has 7/);
    assert.throws(() => multiply({ m: 2, n: 3, k: 4, a: { data: f(8) }, b: { data: f(12), stride: 2 }, c: { data: f(6) } }), /matmul: B has offset 0 and row stride 2 for 3 columns/);
    assert.throws(() => multiply({ m: 2, n: 3, k: 4, a: { data: f(8) }, b: { data: f(12), transpose: true }, c: { data: f(5) } }), /matmul: C needs 6 floats/);
    assert.throws(() => multiply({ m: 2.5, n: 3, k: 4, a: { data: f(8) }, b: { data: f(12) }, c: { data: f(6) } }), /matmul: m is 2.5, not a size/);
    assert.throws(() => multiply({ m: 1, n: 2, k: 1, a: { data: f(1) }, b: { data: f(2) }, c: { data: f(2) }, accumulate: true, rowBias: f(2) }), /a row bias of 2 values for 2 columns, accumulating/);
  });
});
