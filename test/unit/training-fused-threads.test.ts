// A recurrent kernel's batch split over two threads (src/training/fused/parallel.ts) computes
// what the one-thread kernel computes: per-sample results exactly (they concatenate), the
// recurrent kernel's gradient to 1e-5 relative (a sum over the batch in another order). For
// every kind, both implementations (WebAssembly and TypeScript), with masks, recurrent dropout
// masks, initial states, odd batches, stacked calls and forward passes never differentiated;
// and a thread that dies costs nothing but the speed.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import * as tf from '../../src/training/tf';
import { seededRandom as random } from '../helpers/random';
import { initBackend } from '../../src/training/backend';
import { elementwiseActivation } from '../../src/training/fused/activations';
import { singleThreadKernel } from '../../src/training/fused/choice';
import { GATES, KernelGradients, KernelInput, RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { FusedLSTM, FusedResetAfterGRU } from '../../src/training/fused/layers';
import { configureSplit, kernelThreadCounts, MIN_SPLIT_WORK, PATIENCE_MS, runKernel } from '../../src/training/fused/parallel';
import { setSimdEnabled } from '../../src/training/fused/simd/module';
import { KERNEL_THREAD_FILE, kernelThreadReady, kernelThreadWorker, setKernelThreadsEnabled } from '../../src/training/fused/threadHost';
import { NATIVE_FILE, WASM_FILES } from '../../src/training/fused/simd/module';
import { ROOT } from '../helpers/engine';
import { withTempDir } from '../helpers/temp-dir';
import { automaticImplementation, implementations, NATIVE, useImplementation } from '../helpers/kernelBuilds';
import { ensureBuilt } from './lsp-client';

const KINDS: RecurrentKind[] = ['lstm', 'gru', 'gru-reset-after', 'simple-rnn'];
const TWO_CORES = availableParallelism() > 1;

interface Options {
  batch: number;
  steps?: number;
  units?: number;
  mask?: boolean;
  recurrentMask?: boolean;
  states?: boolean;
  activation?: string;
  seed?: number;
}

function input(kind: RecurrentKind, o: Options): KernelInput {
  const next = random(o.seed ?? 3);
  const steps = o.steps ?? 6;
  const units = o.units ?? 5;
  const gu = GATES[kind] * units;
  const floats = (n: number, scale = 1) => Float32Array.from({ length: n }, () => next() * scale);
  // Leading, inner and trailing masked steps across the samples; some samples fully unmasked.
  const mask = o.mask ? Uint8Array.from({ length: o.batch * steps }, (_, i) => ((i * 7) % 5 === 1 || i % steps === 0 && i % 3 === 0 ? 0 : 1)) : null;
  return {
    batch: o.batch,
    steps,
    units,
    xproj: floats(o.batch * steps * gu),
    recurrentKernel: floats(units * gu, 0.6),
    recurrentBias: kind === 'gru-reset-after' ? floats(gu, 0.3) : null,
    h0: o.states ? floats(o.batch * units) : new Float32Array(o.batch * units),
    c0: o.states && kind === 'lstm' ? floats(o.batch * units) : null,
    mask,
    recurrentMask: o.recurrentMask ? Float32Array.from({ length: o.batch * units }, () => (next() > -0.4 ? 1 / 0.7 : 0)) : null,
    activation: elementwiseActivation(o.activation ?? 'tanh')!,
    recurrentActivation: elementwiseActivation('sigmoid')!,
  };
}

function assertClose(actual: Float32Array | null, expected: Float32Array | null, what: string, rel = 1e-5): void {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual, what);
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    const tolerance = rel * Math.max(Math.abs(expected[i]), 1e-2 * scale) + 1e-7;
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** The recurrent kernel's gradient, from the kernel's own sum or its factors (what op.ts does). */
function kernelGradient(g: KernelGradients, k: KernelInput, kind: RecurrentKind): Float32Array {
  if (g.dRecurrentKernel) return g.dRecurrentKernel;
  const gu = GATES[kind] * k.units;
  const rows = k.batch * k.steps;
  const out = new Float32Array(k.units * gu);
  for (const { left, from, to } of g.productInputs) {
    for (let r = 0; r < rows; r++) for (let i = 0; i < k.units; i++) for (let j = from; j < to; j++) out[i * gu + j] += left[r * k.units + i] * g.dProducts[r * gu + j];
  }
  return out;
}

function dyFor(kind: RecurrentKind, k: KernelInput, seed: number): Float32Array {
  const next = random(seed);
  return Float32Array.from({ length: k.batch * (k.steps + STATES[kind]) * k.units }, () => next());
}

function assertSameGradients(split: KernelGradients, single: KernelGradients, k: KernelInput, kind: RecurrentKind, what: string): void {
  assertClose(split.dxproj, single.dxproj, `${what} dxproj`);
  assertClose(split.dProducts, single.dProducts, `${what} dProducts`);
  assertClose(split.dh0, single.dh0, `${what} dh0`);
  assertClose(split.dc0, single.dc0, `${what} dc0`);
  assertClose(kernelGradient(split, k, kind), kernelGradient(single, k, kind), `${what} dRecurrentKernel`);
}

/** Runs one case split (runKernel) and on one thread; asserts both agree and the split happened. */
function compare(kind: RecurrentKind, o: Options): void {
  const k = input(kind, o);
  const before = kernelThreadCounts().split;
  const split = runKernel(kind, k);
  assert.equal(kernelThreadCounts().split, before + (TWO_CORES ? 1 : 0), 'the batch was split');
  const single = singleThreadKernel(kind, k)(k);
  const what = `${kind} ${JSON.stringify(o)}`;
  assertClose(split.y, single.y, `${what} y`, 0);
  const dy = dyFor(kind, k, 11);
  assertSameGradients(split.backward(dy), single.backward(dy), k, kind, what);
}

describe('training/fused: the batch split over two threads', function () {
  this.timeout(120_000);

  before(async () => {
    // On by default wherever there is a second core (SEQMODEL_THREADS unset).
    delete process.env['SEQMODEL_THREADS'];
    configureSplit({ minWork: 0, adaptive: false });
    await setKernelThreadsEnabled(true);
    assert.equal(await kernelThreadReady(), TWO_CORES, 'the kernel thread starts where there are two cores');
  });
  // Each test starts with a ready thread (one it lost, or turned off, is replaced).
  beforeEach(async () => assert.equal(await kernelThreadReady(), TWO_CORES));
  after(async () => {
    configureSplit({});
    setSimdEnabled(true);
    // Back to the default for the suites that run after this one: a fresh thread, started on first use.
    await setKernelThreadsEnabled(false);
    await setKernelThreadsEnabled(true);
  });

  for (const implementation of implementations(true)) {
    describe(`${implementation} kernels`, () => {
      before(() => useImplementation(implementation));
      after(() => automaticImplementation());

      for (const kind of KINDS) {
        it(`${kind}: odd and even batches, masks, recurrent dropout masks, initial states`, () => {
          compare(kind, { batch: 5 });
          compare(kind, { batch: 2, steps: 1, units: 1 });
          compare(kind, { batch: 8, mask: true, seed: 5 });
          compare(kind, { batch: 7, recurrentMask: true, states: true, seed: 9 });
          compare(kind, { batch: 5, mask: true, recurrentMask: true, states: true, units: 9, steps: 11, seed: 13 });
          // An activation the WebAssembly kernels lack: the TypeScript kernel on both threads.
          compare(kind, { batch: 3, activation: 'elu', mask: true, seed: 17 });
        });
      }

      it('stacked layers: two forward passes, then their backward passes in reverse order', () => {
        const ka = input('lstm', { batch: 6, mask: true, seed: 21 });
        const kb = input('gru-reset-after', { batch: 6, states: true, seed: 23 });
        const [sa, sb] = [runKernel('lstm', ka), runKernel('gru-reset-after', kb)];
        const [oa, ob] = [singleThreadKernel('lstm', ka)(ka), singleThreadKernel('gru-reset-after', kb)(kb)];
        const [da, db] = [dyFor('lstm', ka, 1), dyFor('gru-reset-after', kb, 2)];
        assertSameGradients(sb.backward(db), ob.backward(db), kb, 'gru-reset-after', 'second layer');
        assertSameGradients(sa.backward(da), oa.backward(da), ka, 'lstm', 'first layer');
      });

      it('forward passes never differentiated (Predict) leave later training intact', () => {
        for (let i = 0; i < 40; i++) runKernel('simple-rnn', input('simple-rnn', { batch: 4, seed: 100 + i }));
        for (let i = 0; i < 40; i++) runKernel('gru', input('gru', { batch: 4, seed: 200 + i }), { forwardOnly: true });
        compare('lstm', { batch: 5, mask: true, seed: 31 });
      });

      it('a backward pass after a forward pass said to need none: that half is recomputed, same gradients', () => {
        const k = input('lstm', { batch: 5, mask: true, recurrentMask: true, states: true, seed: 33 });
        const split = runKernel('lstm', k, { forwardOnly: true });
        const single = singleThreadKernel('lstm', k)(k);
        assertClose(split.y, single.y, 'y', 0);
        const dy = dyFor('lstm', k, 35);
        assertSameGradients(split.backward(dy), single.backward(dy), k, 'lstm', 'recomputed');
      });
    });
  }

  it('through the layers: go_backwards LSTM and reset_after GRU, outputs and every gradient as on one thread', async () => {
    await initBackend('wasm');
    const next = random(41);
    const x = tf.tensor3d(Array.from({ length: 5 * 7 * 3 }, () => next()), [5, 7, 3]);
    // In training, and outside it (then the thread keeps no tape: the backward pass recomputes its half).
    for (const [layer, training] of [
      [new FusedLSTM({ units: 4, goBackwards: true, returnSequences: true }), true],
      [new FusedResetAfterGRU({ units: 4, goBackwards: true }), true],
      [new FusedLSTM({ units: 3, goBackwards: true }), false],
    ] as const) {
      layer.apply(x); // builds it
      const run = () => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, { training }) as tf.Tensor)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
        return { y: value.dataSync() as Float32Array, grads: Object.values(grads).map((g) => g.dataSync() as Float32Array) };
      };
      const before = kernelThreadCounts().split;
      const split = run();
      assert.equal(kernelThreadCounts().split, before + (TWO_CORES ? 1 : 0), 'the batch was split');
      await setKernelThreadsEnabled(false);
      const single = run();
      await setKernelThreadsEnabled(true);
      assert.equal(await kernelThreadReady(), TWO_CORES);
      assertClose(split.y, single.y, `${layer.name} loss`);
      split.grads.forEach((g, i) => assertClose(g, single.grads[i], `${layer.name} gradient ${i}`));
    }
  });

  it('watched: a shape of call splits for its first calls, then keeps the faster way, with the same results either way', () => {
    configureSplit({ minWork: 0 });
    try {
      const k = input('gru', { batch: 6, steps: 20, units: 8 });
      const dy = dyFor('gru', k, 71);
      const expected = singleThreadKernel('gru', k)(k);
      const gradients = expected.backward(dy);
      const counted = () => kernelThreadCounts();
      const start = counted();
      const check = (i: number) => {
        const f = runKernel('gru', k);
        assertClose(f.y, expected.y, 'y', 0);
        assertSameGradients(f.backward(dy), gradients, k, 'gru', `call ${i}`);
      };
      for (let i = 0; i < 5; i++) check(i);
      const probed = counted();
      // Never a whole batch on one thread while watching: that would grow this thread's memory.
      assert.deepEqual([probed.split - start.split, probed.single - start.single], TWO_CORES ? [5, 0] : [0, 5]);
      for (let i = 5; i < 15; i++) check(i);
      const decided = counted();
      const ways = [decided.split - probed.split, decided.single - probed.single];
      assert.ok(ways.includes(10) && ways.includes(0), `one way after watching: ${ways}`);
    } finally {
      configureSplit({ minWork: 0, adaptive: false });
    }
  });

  it('the first call large enough waits for a thread still starting, and splits', async () => {
    await setKernelThreadsEnabled(false);
    await setKernelThreadsEnabled(true); // allowed, not started: runKernel starts it
    const before = kernelThreadCounts().split;
    compareOn('lstm', input('lstm', { batch: 4, seed: 73 }));
    assert.equal(kernelThreadCounts().split, before + (TWO_CORES ? 1 : 0), 'split on the first call');
  });

  // With the native build beside the bundles where it loads here, and without it (a machine
  // that could not compile it): the wasm binary runs both halves then.
  for (const native of NATIVE ? [true, false] : [false]) it(`as it ships: dist/kernel-thread.js serves a caller bundled beside it (as dist/worker.js is), ${native ? 'native build' : 'no native build: wasm'}`, async () => {
    ensureBuilt();
    await withTempDir('thread', async (dir) => {
      for (const f of [KERNEL_THREAD_FILE, ...WASM_FILES, ...(native ? [NATIVE_FILE] : [])]) copyFileSync(join(ROOT, 'dist', f), join(dir, f));
      await esbuild.build({
        entryPoints: [join(ROOT, 'test', 'helpers', 'bundledThreadCaller.ts')],
        bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: join(dir, 'caller.js'), logLevel: 'silent',
      });
      const run = spawnSync(process.execPath, [join(dir, 'caller.js')], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(run.stdout) as { ready: boolean; binary: string | null; split: number; difference: number };
      assert.deepEqual({ ready: result.ready, binary: result.binary, split: result.split }, { ready: TWO_CORES, binary: native ? 'native' : 'relaxed', split: TWO_CORES ? 1 : 0 });
      assert.ok(result.difference < 1e-5, `largest difference from one thread: ${result.difference}`);
      assert.equal(run.stderr, '', 'no warning');
    });
  });

  it('a thread ended from outside during a request (no word from it): the call waits out its patience, then computes the half itself', async () => {
    if (!TWO_CORES) return assert.equal(kernelThreadWorker(), null, 'one core: no thread to lose');
    await losingThreads(async (warnings) => {
      const k = input('gru-reset-after', { batch: 5, mask: true, states: true, seed: 57 });
      void kernelThreadWorker()!.terminate(); // not awaited: the request below races the ending
      const t0 = Date.now();
      const split = runKernel('gru-reset-after', k);
      assert.ok(Date.now() - t0 < PATIENCE_MS + 2_000, 'bounded by the patience');
      const single = singleThreadKernel('gru-reset-after', k)(k);
      assertClose(split.y, single.y, 'y', 0);
      const dy = dyFor('gru-reset-after', k, 59);
      assertSameGradients(split.backward(dy), single.backward(dy), k, 'gru-reset-after', 'after the thread was ended');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /kernel thread stopped/);
    });
  });

  it('SEQMODEL_THREADS=1 keeps every call on one thread', async () => {
    process.env['SEQMODEL_THREADS'] = '1';
    try {
      await setKernelThreadsEnabled(true);
      assert.equal(await kernelThreadReady(), false);
      const before = kernelThreadCounts();
      const k = input('lstm', { batch: 6 });
      assertClose(runKernel('lstm', k).y, singleThreadKernel('lstm', k)(k).y, 'y', 0);
      assert.deepEqual(kernelThreadCounts(), { split: before.split, single: before.single + 1 });
    } finally {
      delete process.env['SEQMODEL_THREADS'];
      await setKernelThreadsEnabled(true);
    }
    assert.equal(await kernelThreadReady(), TWO_CORES);
  });

  it('a thread that dies between the forward and the backward pass: the run goes on, on one thread, said once', async () => {
    if (!TWO_CORES) return assert.equal(kernelThreadWorker(), null, 'one core: no thread to lose');
    await losingThreads(async (warnings) => {
      for (const kind of KINDS) {
        await setKernelThreadsEnabled(true);
        assert.ok(await kernelThreadReady());
        const k = input(kind, { batch: 5, mask: true, recurrentMask: true, states: true, seed: 51 });
        const split = runKernel(kind, k);
        await kernelThreadWorker()!.terminate();
        const single = singleThreadKernel(kind, k)(k);
        const dy = dyFor(kind, k, 53);
        assertSameGradients(split.backward(dy), single.backward(dy), k, kind, `${kind} after the thread died`);
        // Later calls run on one thread, and still agree.
        const before = kernelThreadCounts().split;
        compareOn(kind, k);
        assert.equal(kernelThreadCounts().split, before, 'no split once the thread is gone');
      }
      assert.equal(warnings.length, KINDS.length, 'one warning per lost thread');
      assert.match(warnings[0], /kernel thread stopped .*continue on one thread/);
    });
  });
});

/** Runs `body` with console.warn's lines collected, then starts a new thread for the next tests. */
async function losingThreads(body: (warnings: string[]) => Promise<void>): Promise<void> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  try {
    await body(warnings);
  } finally {
    console.warn = warn;
    await setKernelThreadsEnabled(true);
  }
}

/** Like compare, without asserting that a split happened. */
function compareOn(kind: RecurrentKind, k: KernelInput): void {
  const a = runKernel(kind, k);
  const b = singleThreadKernel(kind, k)(k);
  assertClose(a.y, b.y, 'y', 0);
  const dy = dyFor(kind, k, 61);
  assertSameGradients(a.backward(dy), b.backward(dy), k, kind, kind);
}
