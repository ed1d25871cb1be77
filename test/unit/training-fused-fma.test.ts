// The two builds of the fused kernels' WebAssembly (scripts/build-wasm.mjs): the relaxed-SIMD one,
// whose multiply-adds are fused, and the plain one. Both load, compute the same products and the
// same LSTM and GRU passes up to rounding, and the choice between them (simd/module.ts,
// simd/relaxedSimd.ts) falls back to the plain one wherever relaxed SIMD is unavailable or
// turned off.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { elementwiseActivation } from '../../src/training/fused/activations';
import { GATES, KernelInput, RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { multiply, Product } from '../../src/training/fused/matmul';
import { sequenceKernel } from '../../src/training/fused/sequence';
import { loadSimdKernels, preferredBinary, RELAXED_WASM_FILE, SimdBinary, simdKernels, useSimdBinary, WASM_FILE } from '../../src/training/fused/simd/module';
import { probeRelaxedSimd, relaxedSimdSupported } from '../../src/training/fused/simd/relaxedSimd';
import { ROOT } from '../helpers/engine';
import { seededRandom } from '../helpers/random';

const BUILT = [WASM_FILE, RELAXED_WASM_FILE].every((f) => existsSync(join(ROOT, 'dist', f)));

/**
 * |a − b| ≤ 1e-5 · max(|b|, floor · b's largest magnitude), element by element. A product's
 * entry that cancels to near 0 carries the rounding of its largest partial sums, so products
 * compare against the largest entry (floor 1); the kernels' outputs element-wise down to 1% of it.
 */
function assertAgree(a: Float32Array, b: Float32Array, what: string, floor = 1e-2): void {
  const rel = 1e-5;
  assert.equal(a.length, b.length, `${what}: length`);
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < b.length; i++) {
    assert.ok(Number.isFinite(a[i]), `${what}[${i}]: ${a[i]}`);
    assert.ok(Math.abs(a[i] - b[i]) <= rel * Math.max(Math.abs(b[i]), floor * scale), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Runs `body` with the kernels on one binary, then goes back to the automatic choice. */
function on<T>(binary: SimdBinary, body: () => T): T {
  useSimdBinary(binary);
  try {
    assert.equal(simdKernels()?.binary, binary, `the ${binary} binary runs`);
    return body();
  } finally {
    useSimdBinary('auto');
  }
}

function kernelInput(kind: RecurrentKind, seed: number): KernelInput {
  const next = seededRandom(seed);
  const batch = 3;
  const steps = 7;
  const units = 9; // off the 4-lane vector and the gemm's 16-column tile
  const gu = GATES[kind] * units;
  const floats = (n: number, scale = 1) => Float32Array.from({ length: n }, () => next() * scale);
  return {
    batch, steps, units,
    xproj: floats(batch * steps * gu),
    recurrentKernel: floats(units * gu, 0.5),
    recurrentBias: kind === 'gru-reset-after' ? floats(gu, 0.3) : null,
    h0: floats(batch * units),
    c0: kind === 'lstm' ? floats(batch * units) : null,
    mask: null,
    recurrentMask: null,
    activation: elementwiseActivation('tanh')!,
    recurrentActivation: elementwiseActivation('sigmoid')!,
  };
}

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
    const next = seededRandom(21);
    const cases: Omit<Product, 'a' | 'b' | 'c'>[] = [{ m: 5, n: 35, k: 3 }, { m: 17, n: 48, k: 300 }, { m: 64, n: 256, k: 64 }, { m: 6, n: 37, k: 601, accumulate: true }];
    for (const shape of cases) {
      for (const transposeA of [false, true]) {
        const a = Float32Array.from({ length: shape.m * shape.k }, next);
        const b = Float32Array.from({ length: shape.k * shape.n }, next);
        const c0 = Float32Array.from({ length: shape.m * shape.n }, next);
        const run = () => {
          const c = c0.slice();
          multiply({ ...shape, a: { data: a, transpose: transposeA }, b: { data: b }, c: { data: c } });
          return c;
        };
        assertAgree(on('relaxed', run), on('plain', run), `${shape.m}×${shape.k}·${shape.k}×${shape.n} transposeA=${transposeA}`, 1);
      }
    }
  });

  for (const kind of ['lstm', 'gru', 'gru-reset-after'] as RecurrentKind[]) {
    it(`run the same ${kind} forward and backward pass to 1e-5`, () => {
      const k = kernelInput(kind, 5);
      const dy = Float32Array.from({ length: k.batch * (k.steps + STATES[kind]) * k.units }, seededRandom(6));
      const pass = () => {
        const kernel = sequenceKernel(kind, k);
        assert.ok(kernel, `${kind} runs its whole sequence in WebAssembly`);
        const forward = kernel(k);
        const g = forward.backward(dy);
        return { y: forward.y.slice(), dxproj: g.dxproj.slice(), dh0: g.dh0.slice(), dRecurrentKernel: g.dRecurrentKernel?.slice() ?? null };
      };
      const relaxed = on('relaxed', pass);
      const plain = on('plain', pass);
      assertAgree(relaxed.y, plain.y, `${kind} y`);
      assertAgree(relaxed.dxproj, plain.dxproj, `${kind} dxproj`);
      assertAgree(relaxed.dh0, plain.dh0, `${kind} dh0`);
      assert.ok(relaxed.dRecurrentKernel && plain.dRecurrentKernel, 'the WebAssembly kernels sum the recurrent kernel\'s gradient');
      assertAgree(relaxed.dRecurrentKernel, plain.dRecurrentKernel, `${kind} dRecurrentKernel`);
    });
  }

  it('the choice: relaxed where the runtime validates it, plain where it does not or SEQMODEL_RELAXED_SIMD=0', () => {
    assert.equal(preferredBinary({}, () => true), 'relaxed');
    assert.equal(preferredBinary({}, () => false), 'plain');
    assert.equal(preferredBinary({ SEQMODEL_RELAXED_SIMD: '0' }, () => true), 'plain');
    assert.equal(preferredBinary({ SEQMODEL_RELAXED_SIMD: '1' }, () => true), 'relaxed');
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
      assert.equal(preferredBinary({}), answer ? 'relaxed' : 'plain');
      assert.equal(loadSimdKernels('relaxed')?.binary, answer ? 'relaxed' : 'plain');
      assert.equal(calls, 0, 'WebAssembly.validate is not called again');
    } finally {
      WebAssembly.validate = validate;
    }
  });

  it('a fresh process picks the relaxed binary and says so in the kernel name, or the plain one with SEQMODEL_RELAXED_SIMD=0', () => {
    const probe = (env: Record<string, string>) => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'simdBinaryProbe.ts')], {
        encoding: 'utf8', env: { ...process.env, SEQMODEL_RELAXED_SIMD: '', ...env }, timeout: 60_000,
      });
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout) as { binary: string | null; kernel: string };
    };
    assert.deepEqual(probe({}), { binary: 'relaxed', kernel: 'lstm/wasm-simd-fma' });
    assert.deepEqual(probe({ SEQMODEL_RELAXED_SIMD: '0' }), { binary: 'plain', kernel: 'lstm/wasm-simd' });
    assert.deepEqual(probe({ SEQMODEL_FUSED_SIMD: '0' }), { binary: null, kernel: 'lstm/js' });
  });
});
