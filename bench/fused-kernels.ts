// The fused recurrent layers (src/training/fused) against tfjs-layers's step-by-step layers:
// one training step's forward and backward pass (gradients of every weight and of the input)
// on the workloads, on each backend that loads, with the fused kernels compiled (the
// whole sequence in one call) and in TypeScript (the fallback when no build loads). The compiled
// rows time each build (simd/module.ts), interleaved run by run: the plain WebAssembly binary,
// the one with fused multiply-adds (relaxed SIMD), and the native AVX2 + FMA one where it loads.
// Layer-level only: the whole training loop, with data, optimizer and callbacks, is
// bench/training.ts.
//
// Then the batch split over two threads (src/training/fused/parallel.ts): wall-clock and CPU time
// (the process's, both threads) of the same steps with one thread and with two, and where the
// split starts to pay (MIN_SPLIT_WORK).
//
// Run: npm run bench -- fused-kernels   (or: node --import tsx bench/fused-kernels.ts [--quick] [--threads])
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '../src/training/tf';
import { initBackend } from '../src/training/backend';
import type { BackendName } from '../src/training/backendPreference';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../src/training/fused/layers';
import { loadSimdKernels, SimdBinary, SimdKernels, setSimdEnabled, simdKernels, useSimdBinary } from '../src/training/fused/simd/module';
import { elementwiseActivation } from '../src/training/fused/activations';
import { GATES, KernelInput } from '../src/training/fused/kernel';
import { batchWork, kernelThreadCounts, MIN_SPLIT_WORK, runKernel, configureSplit } from '../src/training/fused/parallel';
import { kernelThreadReady, setKernelThreadsEnabled } from '../src/training/fused/threadHost';
import { ResetAfterGRU } from '../src/training/layers/gru-reset-after';
import { ms, table, time } from './lib/measure';

const QUICK = process.argv.includes('--quick');
const THREADS_ONLY = process.argv.includes('--threads');

interface Workload {
  label: string;
  batch: number;
  steps: number;
  features: number;
  make: (fused: boolean) => tf.layers.Layer;
  /** Measured by --threads only (the one-thread tables skip it: plain tfjs would take minutes). */
  threadsOnly?: boolean;
}

// Timing does not depend on the weights' values: skip tfjs's slow orthogonal initializer.
const FAST_INIT = { recurrentInitializer: tf.initializers.glorotUniform({}) };

const WORKLOADS: Workload[] = [
  // The seed LSTM (examples/forecast.seqmodel `lstm`): LSTM(50, relu) on windows of 3, 3 samples a batch.
  { label: 'seed LSTM(50, relu), (3, 1), batch 3', batch: 3, steps: 3, features: 1,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 50, activation: 'relu' }) : tf.layers.lstm({ ...FAST_INIT, units: 50, activation: 'relu' })) },
  // The sentiment model's LSTM(32) after Embedding(10000, 32), reviews of 500 words.
  { label: 'sentiment LSTM(32), (500, 32), batch 32', batch: 32, steps: 500, features: 32,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 32 }) : tf.layers.lstm({ ...FAST_INIT, units: 32 })) },
  // The example as written trains in batches of 128.
  { label: 'sentiment LSTM(32), (500, 32), batch 128', batch: 128, steps: 500, features: 32, threadsOnly: true,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 32 }) : tf.layers.lstm({ ...FAST_INIT, units: 32 })) },
  { label: 'LSTM(64), (30, 3), batch 64, sequences', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedLSTM({ ...FAST_INIT, units: 64, returnSequences: true }) : tf.layers.lstm({ ...FAST_INIT, units: 64, returnSequences: true })) },
  { label: 'GRU(64), reset_after, (30, 3), batch 64', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedResetAfterGRU({ ...FAST_INIT, units: 64 }) : new ResetAfterGRU({ ...FAST_INIT, units: 64 })) },
  { label: 'GRU(64), reset_after=False, (30, 3), batch 64', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedGRU({ ...FAST_INIT, units: 64 }) : tf.layers.gru({ ...FAST_INIT, units: 64 })) },
  { label: 'SimpleRNN(64), (30, 3), batch 64', batch: 64, steps: 30, features: 3,
    make: (f) => (f ? new FusedSimpleRNN({ ...FAST_INIT, units: 64 }) : tf.layers.simpleRNN({ ...FAST_INIT, units: 64 })) },
];

/** One forward + backward pass of the workload's layer, and its disposal. */
function stepper(w: Workload, fused: boolean): { once: () => void; dispose: () => void } {
  const layer = w.make(fused);
  const x = tf.variable(tf.randomNormal([w.batch, w.steps, w.features]));
  layer.apply(x);
  const vars = [x, ...layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val)];
  const once = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  return { once, dispose: () => { x.dispose(); layer.dispose(); } };
}

/** Median wall and CPU milliseconds of one forward + backward pass. */
function step(w: Workload, fused: boolean, runs: number): { median: number; cpu: number } {
  const { once, dispose } = stepper(w, fused);
  const t = time(once, { runs, warmup: 2 });
  dispose();
  return t;
}

/** Switches the kernels to one binary; throws when that binary did not load here. */
function on(binary: SimdBinary): SimdKernels {
  useSimdBinary(binary);
  const simd = simdKernels();
  if (simd?.binary !== binary) throw new Error(`the ${binary} build of the kernels did not load (npm run build; relaxed SIMD needs Node 20+, native AVX2 + FMA)`);
  return simd;
}

const BUILD_NAMES: Record<SimdBinary, string> = { plain: 'plain', relaxed: 'FMA', native: 'native' };
/** The builds to time: both WebAssembly binaries, and the native one where it loads. */
const BUILDS: SimdBinary[] = ['plain', 'relaxed', ...(loadSimdKernels('native')?.binary === 'native' ? ['native' as const] : [])];
const NATIVE = BUILDS.includes('native');

/**
 * Median CPU milliseconds of the fused layer's pass on each build, alternating run by run (same
 * layer, same weights), so a change in the shared machine's load touches all alike. A build
 * that did not load here reads NaN.
 */
function stepBinaries(w: Workload, runs: number): Record<SimdBinary, number> {
  const { once, dispose } = stepper(w, true);
  const cpu: Record<SimdBinary, number[]> = { plain: [], relaxed: [], native: [] };
  for (let i = -2; i < runs; i++) {
    for (const binary of BUILDS) {
      on(binary);
      const c0 = process.cpuUsage();
      once();
      const c = process.cpuUsage(c0);
      if (i >= 0) cpu[binary].push((c.user + c.system) / 1000);
    }
  }
  useSimdBinary('auto');
  dispose();
  const median = (xs: number[]) => (xs.length === 0 ? NaN : xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
  return { plain: median(cpu.plain), relaxed: median(cpu.relaxed), native: median(cpu.native) };
}

function load(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

/**
 * Median wall and CPU milliseconds of `once` on one thread and split, the two interleaved run by
 * run so that a change in the machine's load (it is shared) touches both alike. CPU time is the
 * process's (process.cpuUsage: every thread's), so the split's is both halves plus the hand-off.
 */
function bothWays(once: () => void, runs: number, minWork = MIN_SPLIT_WORK): { one: number; two: number; oneCpu: number; twoCpu: number; split: boolean } {
  const oneThread = () => configureSplit({ minWork: Infinity });
  const split = () => configureSplit({ minWork, adaptive: false });
  for (const way of [oneThread, split, oneThread, split]) {
    way();
    once();
  }
  const wall = { one: [] as number[], two: [] as number[] };
  const cpu = { one: [] as number[], two: [] as number[] };
  const before = kernelThreadCounts().split;
  for (let i = 0; i < runs; i++) {
    for (const [way, key] of [[oneThread, 'one'], [split, 'two']] as const) {
      way();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      once();
      wall[key].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[key].push((c.user + c.system) / 1000);
    }
  }
  const didSplit = kernelThreadCounts().split > before;
  configureSplit({});
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { one: median(wall.one), two: median(wall.two), oneCpu: median(cpu.one), twoCpu: median(cpu.two), split: didSplit };
}

/** One thread against two, wall clock: what a user waits for. */
async function threads(): Promise<void> {
  await initBackend('wasm');
  await setKernelThreadsEnabled(true);
  await kernelThreadReady();
  const rows: string[][] = [];
  for (const w of WORKLOADS) {
    const runs = w.steps > 100 ? (QUICK ? 3 : 9) : QUICK ? 5 : 30;
    const layer = w.make(true);
    const x = tf.variable(tf.randomNormal([w.batch, w.steps, w.features]));
    layer.apply(x);
    const vars = [x, ...layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val)];
    const { one, two, oneCpu, twoCpu, split } = bothWays(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    }, runs);
    x.dispose();
    layer.dispose();
    const rate = (msPerStep: number) => `${Math.round((w.batch * 1000) / msPerStep).toLocaleString('en-US')}/s`;
    rows.push([w.label, split ? 'yes' : 'no (too small)', ms(one), ms(two), rate(one), rate(two), `${(one / two).toFixed(2)}×`, ms(oneCpu), ms(twoCpu), load()]);
  }
  console.log(`\nbackend wasm, WebAssembly kernels: one thread vs the batch split over two, wall clock of a training step's forward + backward (median, interleaved); ${availableParallelism()} cores, load ${load()}`);
  table(['workload', 'split', 'wall 1 thread', 'wall split', 'samples/s 1', 'samples/s split', 'speed-up', 'CPU 1 thread', 'CPU split', 'load 1m 5m 15m'], rows);

  // Where the split starts to pay: LSTM kernels alone (no tfjs around them), work per half in
  // multiply-adds (batchWork) against the time of one and of two threads.
  const sizes = [[4, 10, 8], [8, 10, 16], [8, 20, 16], [16, 20, 16], [16, 20, 32], [32, 30, 32], [32, 30, 64], [64, 30, 64]];
  const kernelRows: string[][] = [];
  for (const [batch, steps, units] of sizes) {
    const k = lstmInput(batch, steps, units);
    const dy = new Float32Array(batch * (steps + 2) * units).fill(0.01);
    const { one, two, oneCpu, twoCpu } = bothWays(() => void runKernel('lstm', k).backward(dy), QUICK ? 20 : 100, 0);
    const work = batchWork('lstm', batch, steps, units);
    kernelRows.push([`LSTM(${units}), ${steps} steps, batch ${batch}`, (work / 1e6).toFixed(2), ms(one), ms(two), `${(one / two).toFixed(2)}×`, ms(oneCpu), ms(twoCpu), work >= MIN_SPLIT_WORK ? 'splits (watched)' : 'one thread']);
  }
  console.log(`\nthe LSTM kernel alone, forward + backward (median wall, interleaved), load ${load()}; below ${(MIN_SPLIT_WORK / 1e6).toFixed(1)} M multiply-adds a half runKernel does not try the split`);
  table(['kernel', 'M mul-adds a half', '1 thread', '2 threads', 'speed-up', 'CPU 1', 'CPU 2', 'runKernel'], kernelRows);
}

function lstmInput(batch: number, steps: number, units: number): KernelInput {
  const gu = GATES.lstm * units;
  const fill = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * scale);
  return {
    batch, steps, units,
    xproj: fill(batch * steps * gu, 1), recurrentKernel: fill(units * gu, 0.3), recurrentBias: null,
    h0: new Float32Array(batch * units), c0: null, mask: null, recurrentMask: null,
    activation: elementwiseActivation('tanh')!, recurrentActivation: elementwiseActivation('sigmoid')!,
  };
}

async function main(): Promise<void> {
  if (!THREADS_ONLY) {
    products();
    await oneThread();
  }
  await threads();
}

/**
 * The products alone (simd/matmul.as.ts's gemm on operands already in the module's memory, as
 * the whole-sequence kernels call it) on each binary, interleaved: GFLOP/s (2·m·n·k a product)
 * from CPU time, where fused multiply-adds change the most.
 */
function products(): void {
  const shapes: [string, number, number, number, boolean][] = [
    ['LSTM(64) step: (64, 64)·(64, 256)', 64, 256, 64, false],
    ['LSTM(64) dR: (1920, 64)ᵀ·(1920, 256)', 64, 256, 1920, true],
    ['sentiment LSTM(32) step: (32, 32)·(32, 128)', 32, 128, 32, false],
  ];
  const rows: string[][] = [];
  for (const [label, m, n, k, transposeA] of shapes) {
    const flops = 2 * m * n * k;
    const runs = Math.max(20, Math.min(2000, Math.round(2e9 / flops)));
    const cpu: Record<SimdBinary, number> = { plain: 0, relaxed: 0, native: 0 };
    const gemm: Record<SimdBinary, () => void> = { plain: () => undefined, relaxed: () => undefined, native: () => undefined };
    for (const binary of BUILDS) {
      const simd = on(binary);
      const a = simd.base;
      const b = a + 4 * m * k;
      const c = b + 4 * k * n;
      const mem = simd.scratch(m * k + k * n + m * n);
      for (let i = 0; i < m * k + k * n; i++) mem[a / 4 + i] = Math.sin(i * 0.37);
      gemm[binary] = transposeA
        ? () => simd.exports.gemm(m, n, k, a, 1, m, b, n, c, n)
        : () => simd.exports.gemm(m, n, k, a, k, 1, b, n, c, n);
    }
    // Rounds of `runs` products on each binary in turn, so the load touches both alike.
    for (let round = -1; round < 5; round++) {
      for (const binary of BUILDS) {
        const c0 = process.cpuUsage();
        for (let i = 0; i < runs; i++) gemm[binary]();
        const used = process.cpuUsage(c0);
        if (round >= 0) cpu[binary] += (used.user + used.system) / 1000;
      }
    }
    const each = (binary: SimdBinary) => cpu[binary] / (5 * runs);
    const gflops = (msEach: number) => (flops / msEach / 1e6).toFixed(1);
    rows.push([
      label, ...BUILDS.map((b) => ms(each(b))), ...BUILDS.map((b) => gflops(each(b))), `${(each('plain') / each('relaxed')).toFixed(2)}×`,
      ...(NATIVE ? [`${(each('relaxed') / each('native')).toFixed(2)}×`] : []),
    ]);
  }
  useSimdBinary('auto');
  console.log(`\nthe products alone (gemm in the kernels' memory), mean CPU time, the builds in alternating rounds; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (!NATIVE) console.log('(the native build did not load here: npm run build compiles it where a C compiler and Node\'s headers are; it needs AVX2 and FMA)');
  table(['product', ...BUILDS.map((b) => `CPU ${BUILD_NAMES[b]}`), ...BUILDS.map((b) => `GFLOP/s ${BUILD_NAMES[b]}`), 'FMA/plain', ...(NATIVE ? ['native/FMA'] : [])], rows);
}

/** The kernels' own speed, one thread (the split is measured by threads()). */
async function oneThread(): Promise<void> {
  await setKernelThreadsEnabled(false);
  const backends: BackendName[] = ['wasm', 'cpu'];
  for (const backend of backends) {
    await initBackend(backend);
    const rows: string[][] = [];
    for (const w of WORKLOADS.filter((x) => !x.threadsOnly)) {
      const slowRuns = w.steps > 100 ? (QUICK ? 1 : 3) : QUICK ? 3 : 10;
      const plain = step(w, false, slowRuns);
      setSimdEnabled(false);
      const typescript = step(w, true, QUICK ? 3 : 10);
      setSimdEnabled(true);
      const fused = step(w, true, QUICK ? 5 : 20);
      const binaries = stepBinaries(w, QUICK ? 5 : 20);
      // Samples a second from CPU time: on a loaded machine, closer to what an idle one does.
      const rate = (msPerStep: number) => `${Math.round((w.batch * 1000) / msPerStep).toLocaleString('en-US')}/s`;
      rows.push([
        w.label, ms(plain.median), ms(fused.median), ms(plain.cpu), ms(typescript.cpu), ms(binaries.plain), ms(binaries.relaxed),
        rate(plain.cpu), rate(binaries.plain), rate(binaries.relaxed), `${(plain.cpu / fused.cpu).toFixed(1)}×`, `${(typescript.cpu / fused.cpu).toFixed(1)}×`,
        `${(binaries.plain / binaries.relaxed).toFixed(2)}×`,
        ...(NATIVE ? [ms(binaries.native), rate(binaries.native), `${(binaries.relaxed / binaries.native).toFixed(2)}×`] : []),
      ]);
    }
    // "fused": the build simdKernels picks here (native where it loads, else the FMA binary
    // wherever relaxed SIMD validates).
    console.log(`\nbackend ${backend}, forward + backward of one batch (median), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    table([
      'workload', 'wall tfjs', 'wall fused', 'CPU tfjs', 'CPU fused TS', 'CPU wasm', 'CPU wasm FMA', 'samples/s tfjs', 'samples/s wasm', 'samples/s wasm FMA',
      'fused/tfjs (CPU)', 'fused/TS (CPU)', 'FMA/plain (CPU)', ...(NATIVE ? ['CPU native', 'samples/s native', 'native/FMA (CPU)'] : []),
    ], rows);
  }
}

void main();
