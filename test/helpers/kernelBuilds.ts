// Which builds of the fused kernels this checkout has and this machine loads, for the tests that
// run every build (simd/module.ts): the native AVX2 one loads where `npm run build` compiled it
// (a C compiler and Node's headers) and the CPU has AVX2 and FMA; the WebAssembly binaries
// wherever the build ran. A test run where the native build is missing asserts the fallback
// instead of skipping (test/unit/training-fused-native.test.ts).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { elementwiseActivation, type ElementwiseActivation } from '../../src/training/fused/activations';
import { GATES, KernelInput, RecurrentKind } from '../../src/training/fused/kernel';
import { multiply, Product } from '../../src/training/fused/matmul';
import { sequenceKernel } from '../../src/training/fused/sequence';
import { loadSimdKernels, NATIVE_FILE, SimdBinary, setSimdEnabled, simdKernels, useSimdBinary } from '../../src/training/fused/simd/module';
import { seededRandom } from './random';
import { ROOT } from './engine';

export const NATIVE_BUILT = existsSync(join(ROOT, 'dist', NATIVE_FILE));
/** The native build is there and loads here (SEQMODEL_NATIVE_KERNELS=0 rules it out). */
export const NATIVE = NATIVE_BUILT && loadSimdKernels('native')?.binary === 'native';

/** A kernel implementation a suite runs on: one build, or the TypeScript loops. */
export type Implementation = 'native' | 'WebAssembly' | 'TypeScript';

/** The implementations to run suites on here: the native one where it loads, wasm where built. */
export function implementations(wasmBuilt: boolean): Implementation[] {
  return [...(NATIVE ? ['native' as const] : []), ...(wasmBuilt ? ['WebAssembly' as const] : []), 'TypeScript'];
}

/**
 * Switches the kernels to an implementation: the native build, the wasm binary the automatic
 * choice would take without it, or none (TypeScript).
 */
export function useImplementation(implementation: Implementation): void {
  setSimdEnabled(implementation !== 'TypeScript');
  const wasm: SimdBinary = process.env['SEQMODEL_RELAXED_SIMD'] === '0' ? 'plain' : 'relaxed';
  useSimdBinary(implementation === 'native' ? 'native' : wasm);
}

/** Back to the automatic choice. */
export function automaticImplementation(): void {
  setSimdEnabled(true);
  useSimdBinary('auto');
}

/**
 * The build a fresh process picks by itself under `env` (added to this one's, with
 * SEQMODEL_RELAXED_SIMD cleared) and the LSTM kernel name a run would report
 * (test/helpers/simdBinaryProbe.ts).
 */
export function probeBuild(env: Record<string, string>): { binary: string | null; kernel: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'simdBinaryProbe.ts')], {
    encoding: 'utf8', env: { ...process.env, SEQMODEL_RELAXED_SIMD: '', ...env }, timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { binary: string | null; kernel: string };
}

/**
 * |a − b| ≤ 1e-5 · max(|b|, floor · b's largest magnitude), element by element. A product's
 * entry that cancels to near 0 carries the rounding of its largest partial sums, so products
 * compare against the largest entry (floor 1); the kernels' outputs element-wise down to 1% of it.
 */
export function assertAgree(a: Float32Array, b: Float32Array, what: string, floor = 1e-2): void {
  const rel = 1e-5;
  assert.equal(a.length, b.length, `${what}: length`);
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < b.length; i++) {
    assert.ok(Number.isFinite(a[i]), `${what}[${i}]: ${a[i]}`);
    assert.ok(Math.abs(a[i] - b[i]) <= rel * Math.max(Math.abs(b[i]), floor * scale), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Runs `body` with the kernels on one build, then goes back to the automatic choice. */
export function onBuild<T>(binary: SimdBinary, body: () => T): T {
  useSimdBinary(binary);
  try {
    assert.equal(simdKernels()?.binary, binary, `the ${binary} build runs`);
    return body();
  } finally {
    useSimdBinary('auto');
  }
}

/** Asserts two builds compute the same products (matmul.ts's multiply, A read as is and transposed). */
export function assertSameProducts(x: SimdBinary, y: SimdBinary, shapes: Omit<Product, 'a' | 'b' | 'c'>[], seed: number): void {
  const next = seededRandom(seed);
  for (const shape of shapes) {
    for (const transposeA of [false, true]) {
      const a = Float32Array.from({ length: shape.m * shape.k }, next);
      const b = Float32Array.from({ length: shape.k * shape.n }, next);
      const c0 = Float32Array.from({ length: shape.m * shape.n }, next);
      const run = () => {
        const c = c0.slice();
        multiply({ ...shape, a: { data: a, transpose: transposeA }, b: { data: b }, c: { data: c } });
        return c;
      };
      assertAgree(onBuild(x, run), onBuild(y, run), `${shape.m}×${shape.k}·${shape.k}×${shape.n} transposeA=${transposeA}`, 1);
    }
  }
}

/**
 * Asserts two builds run the same whole-sequence forward and backward pass of `kind` on `k`:
 * output, input projection's and initial states' gradients, the recurrent kernel's gradient.
 */
export function assertSamePasses(x: SimdBinary, y: SimdBinary, kind: RecurrentKind, k: KernelInput, dy: Float32Array, what: string): void {
  const pass = () => {
    const kernel = sequenceKernel(kind, k);
    assert.ok(kernel, `${kind} runs its whole sequence in the kernels`);
    const forward = kernel(k);
    const g = forward.backward(dy);
    return { y: forward.y.slice(), dxproj: g.dxproj.slice(), dh0: g.dh0.slice(), dc0: g.dc0?.slice() ?? null, dR: g.dRecurrentKernel?.slice() ?? null };
  };
  const a = onBuild(x, pass);
  const b = onBuild(y, pass);
  assertAgree(a.y, b.y, `${what} y`);
  assertAgree(a.dxproj, b.dxproj, `${what} dxproj`);
  assertAgree(a.dh0, b.dh0, `${what} dh0`);
  assert.equal(a.dc0 === null, b.dc0 === null, `${what}: dc0 on both or neither`);
  if (a.dc0 && b.dc0) assertAgree(a.dc0, b.dc0, `${what} dc0`);
  assert.ok(a.dR && b.dR, 'both sum the recurrent kernel\'s gradient');
  assertAgree(a.dR, b.dR, `${what} dRecurrentKernel`);
}

/** A whole-sequence kernel's case: units, and which options it has. */
export interface KernelCase {
  units: number;
  mask?: boolean;
  dropout?: boolean;
  activation?: string;
  recurrentActivation?: string;
}

/**
 * A random input of five samples of six steps for `kind`'s kernel, with the recurrent bias and
 * initial states its kind has, and the options `c` asks for.
 */
export function kernelInput(kind: RecurrentKind, c: KernelCase, seed: number): KernelInput {
  return kernelInputFrom(kind, { batch: 5, steps: 6, ...c }, seededRandom(seed));
}

/**
 * kernelInput's arrays for any batch (2 or more) and steps (4 or more), drawn from `next`, with
 * the activations `activation` names (bench/ab/kernel-trees.ts passes each checkout's own).
 */
export function kernelInputFrom(
  kind: RecurrentKind, c: KernelCase & { batch: number; steps: number }, next: () => number,
  activation: (name: string) => ElementwiseActivation | null = elementwiseActivation,
): KernelInput {
  const { batch, steps, units } = c;
  const gu = GATES[kind] * units;
  const floats = (n: number, scale = 1) => Float32Array.from({ length: n }, () => next() * scale);
  return {
    batch, steps, units,
    xproj: floats(batch * steps * gu),
    recurrentKernel: floats(units * gu, 0.5),
    recurrentBias: kind === 'gru-reset-after' ? floats(gu, 0.3) : null,
    h0: floats(batch * units),
    c0: kind === 'lstm' ? floats(batch * units) : null,
    // Sample 1 masked at steps 0 and 3, the last sample from step 2 on (padding at the end).
    mask: c.mask ? Uint8Array.from({ length: batch * steps }, (_, i) => (i === steps || i === steps + 3 || i >= (batch - 1) * steps + 2 ? 0 : 1)) : null,
    recurrentMask: c.dropout ? Float32Array.from({ length: batch * units }, (_, i) => (i % 3 === 0 ? 0 : 1.5)) : null,
    activation: activation(c.activation ?? 'tanh')!,
    recurrentActivation: activation(c.recurrentActivation ?? 'sigmoid')!,
  };
}
