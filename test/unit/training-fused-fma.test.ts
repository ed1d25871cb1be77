// The two builds of the fused kernels' WebAssembly (scripts/build-wasm.mjs): the relaxed-SIMD one,
// whose multiply-adds are fused, and the plain one. Both load, compute the same products and the
// same LSTM and GRU passes up to rounding, and the choice between them (simd/module.ts,
// simd/relaxedSimd.ts) falls back to the plain one wherever relaxed SIMD is unavailable or
// turned off.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { loadSimdKernels, preferredBinary, RELAXED_WASM_FILE, WASM_FILE } from '../../src/training/fused/simd/module';
import { probeRelaxedSimd, relaxedSimdSupported } from '../../src/training/fused/simd/relaxedSimd';
import { ROOT } from '../helpers/engine';
import { assertSamePasses, assertSameProducts, kernelInput, probeBuild } from '../helpers/kernelBuilds';
import { seededRandom } from '../helpers/random';

const BUILT = [WASM_FILE, RELAXED_WASM_FILE].every((f) => existsSync(join(ROOT, 'dist', f)));

describe('training/fused: the fused-multiply-add (relaxed SIMD) and plain WebAssembly binaries', function () {
  before(function () {
    // The build makes both (npm run build).
    assert.ok(BUILT, 'dist/fused-kernels.wasm and dist/fused-kernels-relaxed.wasm: `npm run build` compiles them');
  });

  it('both load, each as itself (relaxed SIMD is there from Node 20 on, with the V8 flag relaxedSimd.ts sets)', () => {
    assert.equal(loadSimdKernels('relaxed')?.binary, 'relaxed');
    assert.equal(loadSimdKernels('plain')?.binary, 'plain');
    assert.ok(relaxedSimdSupported(), 'this Node validates relaxed SIMD');
  });

  it('compute the same products to 1e-5 of their largest entry (shallow, deep past the depth slice, transposed, accumulated)', () => {
    assertSameProducts('relaxed', 'plain', [{ m: 5, n: 35, k: 3 }, { m: 17, n: 48, k: 300 }, { m: 64, n: 256, k: 64 }, { m: 6, n: 37, k: 601, accumulate: true }], 21);
  });

  for (const kind of ['lstm', 'gru', 'gru-reset-after'] as RecurrentKind[]) {
    it(`run the same ${kind} forward and backward pass to 1e-5`, () => {
      const k = kernelInput(kind, { units: 9 }, 5); // off the 4-lane vector and the gemm's 16-column tile
      const dy = Float32Array.from({ length: k.batch * (k.steps + STATES[kind]) * k.units }, seededRandom(6));
      assertSamePasses('relaxed', 'plain', kind, k, dy, kind);
    });
  }

  it('the choice without the native build: relaxed where the runtime validates it, plain where it does not or SEQMODEL_RELAXED_SIMD=0', () => {
    const noNative = { SEQMODEL_NATIVE_KERNELS: '0' };
    assert.equal(preferredBinary(noNative, () => true), 'relaxed');
    assert.equal(preferredBinary(noNative, () => false), 'plain');
    assert.equal(preferredBinary({ ...noNative, SEQMODEL_RELAXED_SIMD: '0' }, () => true), 'plain');
    assert.equal(preferredBinary({ ...noNative, SEQMODEL_RELAXED_SIMD: '1' }, () => true), 'relaxed');
  });

  it('the probe: sets the V8 flag only when relaxed SIMD fails without it, and never throws', () => {
    const flags: string[] = [];
    // A runtime that has it (Node 22+, Electron): no flag.
    assert.equal(probeRelaxedSimd(() => true, (f) => flags.push(f)), true);
    assert.equal(flags.length, 0, 'no flag set');
    // Node 20: only with the flag.
    let enabled = false;
    assert.equal(probeRelaxedSimd(() => enabled, (f) => { flags.push(f); enabled = true; }), true);
    assert.deepEqual(flags, ['--experimental-wasm-relaxed-simd']);
    // A V8 without the feature, or one that ignores the flag: plain.
    assert.equal(probeRelaxedSimd(() => false, () => undefined), false);
    // A runtime that refuses flags (a browser's stub of node:v8 throws), or whose validate throws: plain, no crash.
    assert.equal(probeRelaxedSimd(() => false, () => { throw new Error('node:v8 is not available in a browser'); }), false);
    assert.equal(probeRelaxedSimd(() => { throw new Error('no WebAssembly'); }, () => undefined), false);
  });

  it('the probe runs once per process: choosing the binary and loading it reuse its answer', () => {
    const answer = relaxedSimdSupported();
    const validate = WebAssembly.validate;
    let calls = 0;
    WebAssembly.validate = (bytes) => {
      calls++;
      return validate(bytes);
    };
    try {
      assert.equal(relaxedSimdSupported(), answer);
      assert.equal(preferredBinary({ SEQMODEL_NATIVE_KERNELS: '0' }), answer ? 'relaxed' : 'plain');
      assert.equal(loadSimdKernels('relaxed')?.binary, answer ? 'relaxed' : 'plain');
      assert.equal(calls, 0, 'WebAssembly.validate is not called again');
    } finally {
      WebAssembly.validate = validate;
    }
  });

  it('a fresh process without the native build picks the relaxed binary and says so in the kernel name, or the plain one with SEQMODEL_RELAXED_SIMD=0', () => {
    const probe = (env: Record<string, string>) => probeBuild({ SEQMODEL_NATIVE_KERNELS: '0', ...env });
    assert.deepEqual(probe({}), { binary: 'relaxed', kernel: 'lstm/wasm-simd-fma' });
    assert.deepEqual(probe({ SEQMODEL_RELAXED_SIMD: '0' }), { binary: 'plain', kernel: 'lstm/wasm-simd' });
    assert.deepEqual(probe({ SEQMODEL_FUSED_SIMD: '0' }), { binary: null, kernel: 'lstm/js' });
  });
});
