// The native build of the fused kernels (src/training/fused/native/: C with AVX2 + FMA, a
// Node-API addon with the wasm module's exports): it computes what the WebAssembly FMA binary
// computes (products, every kernel's forward and backward pass with masks, recurrent dropout,
// initial states, unit counts off the 8-lane vector), refuses regions outside its memory with a
// RangeError instead of crashing, grows its memory as WebAssembly.Memory does, and the choice
// falls back to WebAssembly when the addon is missing, will not load, or is turned off
// (SEQMODEL_NATIVE_KERNELS=0). Where this machine could not build or load it, the tests assert
// that fallback. Agreement with tfjs-layers and finite differences: training-fused.test.ts runs
// its suites on the native build too.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { loadNativeExports, loadSimdKernels, preferredBinary } from '../../src/training/fused/simd/module';
import { assertAgree, assertSamePasses, assertSameProducts, KernelCase, kernelInput, NATIVE, NATIVE_BUILT, probeBuild } from '../helpers/kernelBuilds';
import { seededRandom } from '../helpers/random';

/** Whether this CPU has what the native kernels need (Linux: /proc/cpuinfo's flags). */
function cpuHasAvx2Fma(): boolean {
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].split(/\s+/) ?? [];
    return flags.includes('avx2') && flags.includes('fma');
  } catch {
    return false;
  }
}

describe('training/fused: the native (AVX2 + FMA) build of the kernels', function () {
  this.timeout(60_000);

  it('is built wherever this machine has what the build needs (x64, a C compiler, Node\'s headers)', async () => {
    const { nativeToolchain } = await import('../../scripts/build-native.mjs');
    const toolchain = nativeToolchain();
    // Where the tools are, a missing build is a failed compile, not a machine without them.
    if (toolchain.missing === undefined) assert.ok(NATIVE_BUILT, 'npm run build compiles dist/fused-kernels-native.node here');
    else assert.match(toolchain.missing, /no build for|need x64|no Node headers|no C compiler/);
  });

  it('loads where it was built and the CPU has AVX2 and FMA; elsewhere the choice falls back to WebAssembly', () => {
    const loaded = loadSimdKernels('native');
    if (NATIVE_BUILT && cpuHasAvx2Fma() && process.env['SEQMODEL_NATIVE_KERNELS'] !== '0') {
      assert.ok(NATIVE, 'dist/fused-kernels-native.node is built and the CPU has AVX2 and FMA, so it must load');
      assert.equal(loaded?.binary, 'native');
    } else {
      assert.equal(NATIVE, false);
      assert.equal(loaded?.binary, 'relaxed', 'without the native build, the relaxed wasm binary');
    }
  });

  it('the choice: native unless SEQMODEL_NATIVE_KERNELS=0, then the wasm binaries as before', () => {
    assert.equal(preferredBinary({}, () => true), 'native');
    assert.equal(preferredBinary({ SEQMODEL_RELAXED_SIMD: '0' }, () => true), 'native');
    assert.equal(preferredBinary({ SEQMODEL_NATIVE_KERNELS: '0' }, () => true), 'relaxed');
    assert.equal(preferredBinary({ SEQMODEL_NATIVE_KERNELS: '0', SEQMODEL_RELAXED_SIMD: '0' }, () => true), 'plain');
  });

  it('a missing or foreign addon file, or SEQMODEL_NATIVE_KERNELS=0, loads nothing and throws nothing', () => {
    assert.equal(loadNativeExports({}, '/nonexistent/fused-kernels-native.node'), null);
    // Not a shared object at all (another platform's build fails the same way in dlopen).
    assert.equal(loadNativeExports({}, __filename), null);
    assert.equal(loadNativeExports({ SEQMODEL_NATIVE_KERNELS: '0' }), null);
  });

  it('a fresh process picks it by itself and names it in the kernel name; SEQMODEL_NATIVE_KERNELS=0 runs the wasm FMA binary', () => {
    assert.deepEqual(probeBuild({ SEQMODEL_NATIVE_KERNELS: '' }), NATIVE ? { binary: 'native', kernel: 'lstm/native-avx2' } : { binary: 'relaxed', kernel: 'lstm/wasm-simd-fma' });
    assert.deepEqual(probeBuild({ SEQMODEL_NATIVE_KERNELS: '0' }), { binary: 'relaxed', kernel: 'lstm/wasm-simd-fma' });
    assert.deepEqual(probeBuild({ SEQMODEL_NATIVE_KERNELS: '', SEQMODEL_FUSED_SIMD: '0' }), { binary: null, kernel: 'lstm/js' });
  });

  // Only where it loads: the first test above asserts the fallback on a machine without it.
  if (NATIVE) describe('where it loads', () => {
    it('computes the wasm FMA binary\'s products to 1e-5 of their largest entry (tiles, tails, one column, transposed, deep)', () => {
      assertSameProducts('native', 'relaxed', [
        { m: 5, n: 35, k: 3 }, { m: 17, n: 48, k: 300 }, { m: 64, n: 256, k: 64 }, { m: 6, n: 37, k: 601, accumulate: true },
        { m: 3, n: 1, k: 29 }, { m: 13, n: 1, k: 7 }, { m: 7, n: 8, k: 5 }, { m: 1, n: 23, k: 9 },
      ], 31);
    });

    const cases: KernelCase[] = [
      { units: 13 }, // one full 8-lane vector and a 5-lane tail
      { units: 8, mask: true },
      { units: 3, dropout: true },
      { units: 19, mask: true, dropout: true, activation: 'relu', recurrentActivation: 'hardSigmoid' },
      { units: 6, activation: 'softsign', recurrentActivation: 'swish' },
    ];
    for (const kind of ['lstm', 'gru', 'gru-reset-after', 'simple-rnn'] as RecurrentKind[]) {
      it(`runs the same ${kind} forward and backward passes as the wasm FMA binary to 1e-5 (masks, recurrent dropout, activations, tails)`, () => {
        cases.forEach((c, i) => {
          const k = kernelInput(kind, c, 40 + i);
          const dy = Float32Array.from({ length: k.batch * (k.steps + STATES[kind]) * k.units }, seededRandom(60 + i));
          assertSamePasses('native', 'relaxed', kind, k, dy, `${kind} ${JSON.stringify(c)}`);
        });
      });
    }

    it('refuses arguments outside its memory or out of range with a RangeError naming them, and keeps working', () => {
      const simd = loadSimdKernels('native')!;
      const bytes = simd.exports.memory.buffer.byteLength;
      const base = simd.base;
      simd.scratch(64);
      // C's rows would run past the end of the memory.
      assert.throws(() => simd.exports.gemm(4, 4, 4, base, 4, 1, base, 4, bytes - 16, 4), RangeError);
      assert.throws(() => simd.exports.gemm(4, 4, 4, 0, 4, 1, base, 4, base, 4), /outside the memory/);
      assert.throws(() => simd.exports.transpose(base, 1000, 1000, base), /outside the memory/);
      // lstmForward's y, (B, T + 2, U) floats, placed near the end.
      const args = (y: number, act = 5) => [2, 3, 4, base, base, base, base, base, base, base, base, base, base, y, 0, 0, act, 3];
      assert.throws(() => simd.exports.lstmForward(...args(bytes - 64)), /lstmForward argument 14: 160 bytes at \d+ are outside the memory/);
      assert.throws(() => simd.exports.lstmForward(...args(base, 9)), /not an activation code/);
      assert.throws(() => simd.exports.lstmForward(...args(base + 0.5)), /not a whole number/);
      assert.throws(() => simd.exports.lstmForward(...args(NaN)), /argument 14 is not a whole number/);
      assert.throws(() => simd.exports.gemm(4, 4, Infinity, base, 4, 1, base, 4, base, 4), /gemm argument 3 is not a whole number/);
      assert.throws(() => (simd.exports.gemm as (...a: unknown[]) => void)(4, 4, '4', base, 4, 1, base, 4, base, 4), /gemm argument 3 is not a whole number/);
      assert.throws(() => simd.exports.lstmForward(2, 3, 4), /takes 18 arguments, got 3/);
      // Counts whose sizes would wrap around 64 bits, and a region wrapping past 2^64 from its start.
      const huge = 2 ** 31 - 1;
      assert.throws(() => simd.exports.lstmForward(huge, huge, huge, base, base, base, base, base, base, base, base, base, base, base, 0, 0, 5, 3), /outside the memory/);
      assert.throws(() => simd.exports.transpose(base, huge, huge, base), /outside the memory/);
      assert.throws(() => simd.exports.gemm(huge, huge, huge, base, huge, huge, base, huge, base, huge), /outside the memory/);
      assert.throws(() => simd.exports.memory.grow(-1), RangeError);
      // Still computes after refusing.
      const mem = simd.scratch(12);
      mem.set([1, 2, 3, 4, 0, 0, 0, 0, 0], base / 4);
      simd.exports.gemm(1, 1, 4, base, 4, 1, base, 1, base + 32, 1);
      assert.equal(simd.scratch(12)[base / 4 + 8], 30);
    });

    it('gathers rows of a table by id and adds gradients back per row (Embedding → recurrent), and refuses an id past its memory', () => {
      const simd = loadSimdKernels('native')!;
      const rows = simd.exports as unknown as {
        gatherRows(table: number, ids: number, n: number, width: number, out: number): void;
        scatterAddRows(d: number, ids: number, n: number, width: number, table: number): void;
      };
      const width = 13; // off the 8-lane vector
      const tableRows = 5;
      const ids = [4, 0, 4, 2, 1, 4];
      const next = seededRandom(71);
      const table = Float32Array.from({ length: tableRows * width }, next);
      const d = Float32Array.from({ length: ids.length * width }, next);
      const at = { table: simd.base, ids: simd.base + 4 * tableRows * width, out: simd.base + 4 * (tableRows * width + ids.length) };
      const d0 = at.out + 4 * ids.length * width;
      const mem = simd.scratch((d0 - simd.base) / 4 + d.length);
      mem.set(table, at.table / 4);
      new Int32Array(mem.buffer).set(ids, at.ids / 4);
      rows.gatherRows(at.table, at.ids, ids.length, width, at.out);
      ids.forEach((id, r) => assert.deepEqual(mem.slice(at.out / 4 + r * width, at.out / 4 + (r + 1) * width), table.slice(id * width, (id + 1) * width)));
      mem.set(d, d0 / 4);
      rows.scatterAddRows(d0, at.ids, ids.length, width, at.table);
      const expected = table.slice();
      ids.forEach((id, r) => { for (let j = 0; j < width; j++) expected[id * width + j] += d[r * width + j]; });
      assertAgree(mem.slice(at.table / 4, at.table / 4 + expected.length), expected, 'table after scatterAddRows');
      new Int32Array(mem.buffer)[at.ids / 4 + 3] = mem.buffer.byteLength; // a row far past the memory
      assert.throws(() => rows.gatherRows(at.table, at.ids, ids.length, width, at.out), /gatherRows: id \d+ \(position 3\) is a row outside the memory/);
      new Int32Array(mem.buffer)[at.ids / 4 + 3] = -1;
      assert.throws(() => rows.scatterAddRows(d0, at.ids, ids.length, width, at.table), /scatterAddRows: id -1 \(position 3\)/);
    });

    it('grows its memory as WebAssembly.Memory does: old size in pages returned, contents kept, the old buffer detached', () => {
      const simd = loadSimdKernels('native')!;
      const before = simd.exports.memory.buffer;
      const pages = before.byteLength / 65536;
      new Float32Array(before)[simd.base / 4] = 42;
      assert.equal(simd.exports.memory.grow(2), pages);
      const after = simd.exports.memory.buffer;
      assert.notEqual(after, before);
      assert.equal(after.byteLength, (pages + 2) * 65536);
      assert.equal(before.byteLength, 0, 'the old buffer is detached');
      assert.equal(new Float32Array(after)[simd.base / 4], 42);
      // scratch() re-views after a grow it makes itself.
      const view = simd.scratch((after.byteLength + 65536) / 4);
      assert.equal(view.buffer, simd.exports.memory.buffer);
      assert.equal(view[simd.base / 4], 42);
    });
  });
});
