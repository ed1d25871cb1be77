// Training speed: ours, plain tfjs-layers and PyTorch on the same workloads, in one run and one
// table, with the load average at the start and the end.
//
// Ours: the .seqmodel file → analyze → the worker's TrainingSession, run in-process (buildModel,
// compileSettings, loadData, validationSplit and the same fit loop with its callbacks; its
// progress messages are JSON-serialised as the IPC channel would). The time is the session's own
// fitting time (`seconds` of its done message), as the CLI reports it.
// Plain: the same sizes written the usual way (tf.sequential + tf.layers.*, compile, fit) on
// the same data, timed around model.fit.
// PyTorch: bench/torch_peer.py, the same sizes, batch size, optimizer and loss, at the faster of
// 1 and 2 threads, when a python3 with torch is there (bench/lib/torchPeer.ts).
// Then the worker's peak memory on the sentiment example, measured on the real worker process.
//
// Run: npm run bench -- training   (or: node --import tsx bench/training.ts [--quick] [--all-backends]
//      [--only TEXT]... [--ours])
// --only keeps the cases whose label contains TEXT (case-insensitive; repeat it or separate with
// commas); --ours times only our path (no plain tfjs, no PyTorch), for before/after comparisons.
// "ours CPU" is samples (or epochs) per CPU second of this process (process.cpuUsage, every
// thread): under a shared machine's load it moves far less than the wall-clock rate.
// --simd-binaries times ours alone on the wasm backend with each build of the fused kernels
// (WebAssembly plain and fused multiply-add, native AVX2 where it loads), alternating round by round.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '../src/training/tf';
import { analyze } from '../src/language';
import type { DataSpec, TrainSettings } from '../src/language';
import { initBackend } from '../src/training/backend';
import type { BackendName, BackendPreference } from '../src/training/backendPreference';
import { loadData } from '../src/training/data/load';
import type { StartMessage } from '../src/training/protocol';
import { trainingRequest, trainJobs } from '../src/training/trainPlan';
import { TrainingSession } from '../src/training/trainSession';
import { loadSimdKernels, type SimdBinary, simdKernels, useSimdBinary } from '../src/training/fused/simd/module';
import { table } from './lib/measure';
import { findTorchPython, type PeerModel, type PeerResult, type PeerWorkload, runPeer, TORCH_MISSING } from './lib/torchPeer';
import { workerPeak } from './lib/workerMemory';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const QUICK = process.argv.includes('--quick');
const ALL_BACKENDS = process.argv.includes('--all-backends');
const OURS_ONLY = process.argv.includes('--ours');
const SIMD_BINARIES = process.argv.includes('--simd-binaries');
/** The --only filters, lower-cased; empty: every case. */
const ONLY = process.argv
  .flatMap((arg, i) => (arg === '--only' ? (process.argv[i + 1] ?? '').split(',') : arg.startsWith('--only=') ? arg.slice(7).split(',') : []))
  .map((s) => s.trim().toLowerCase())
  .filter((s) => s !== '');
const selected = (c: { label: string }): boolean => ONLY.length === 0 || ONLY.some((s) => c.label.toLowerCase().includes(s));

type Unit = 'epochs/s' | 'samples/s';

interface Case {
  label: string;
  /** The .seqmodel file: in examples/, or the bench's generated folder (see SEQUENCES). */
  file: string;
  model: string;
  unit: Unit;
  /** Epochs timed in each round, the rounds (the best one counts), and the untimed warm-up's epochs. */
  epochs: number;
  rounds: number;
  warmupEpochs: number;
  /** Data and settings changes for the bench (none: the example as written). */
  data?: (spec: DataSpec) => DataSpec;
  warmupData?: (spec: DataSpec) => DataSpec;
  settings?: Partial<TrainSettings>;
  /** The usual tfjs-layers code for the same model, compiled; null where tfjs-layers has no such layer. */
  plain: (() => tf.Sequential) | null;
  /** The same model for bench/torch_peer.py. */
  peer: PeerModel;
}

/**
 * The generated workloads: (30, 3) windows of a three-column series, a recurrent layer of
 * comparable size outputting every step, Dense(1) on each step, Flatten to the 30 targets (the
 * window's next 30 values of the first column), batches of 64, no validation.
 */
const SEQ_STEPS = 30;
const SEQ_FEATURES = 3;
const SEQ_SAMPLES = QUICK ? 256 : 1280;
/** The generated models: name → the recurrent layer (the rest is the same for each). */
const SEQ_MODELS: [string, string][] = [
  ['lstm64', 'LSTM(64, return_sequences=True)'],
  ['gru64', 'GRU(64, return_sequences=True)'],
  ['gru64_reset_before', 'GRU(64, return_sequences=True, reset_after=False)'],
  ['rnn64', 'SimpleRNN(64, return_sequences=True)'],
  ['bilstm32', 'Bidirectional(LSTM(32, return_sequences=True))'],
];
const SEQUENCES = [
  `data seq = window(csv("series.csv"), steps=${SEQ_STEPS}, horizon=${SEQ_STEPS})`,
  ...SEQ_MODELS.map(([name, layer]) => `model ${name} {\n  input(${SEQ_STEPS}, ${SEQ_FEATURES})\n  ${layer}\n  Dense(1)\n  Flatten()\n}`),
  `train ${SEQ_MODELS.map(([name]) => name).join(', ')} on seq {\n  optimizer = adam(learning_rate=0.001)\n  loss = "mse"\n  batch_size = 64\n  epochs = 1\n  seed = 1\n}`,
].join('\n\n');

/** Writes the generated .seqmodel and its CSV series (and a short one for warm-ups); returns the file. */
function writeSequences(dir: string): string {
  const series = (rows: number) => {
    const lines = ['a,b,c'];
    for (let t = 0; t < rows; t++) lines.push([Math.sin(t / 7), Math.cos(t / 11), Math.sin(t / 3) * 0.5].map((v) => v.toFixed(5)).join(','));
    return `${lines.join('\n')}\n`;
  };
  // n windows of `steps` inputs and `steps` targets need n + 2·steps − 1 rows.
  writeFileSync(path.join(dir, 'series.csv'), series(SEQ_SAMPLES + 2 * SEQ_STEPS - 1));
  writeFileSync(path.join(dir, 'warmup.csv'), series(64 + 2 * SEQ_STEPS - 1));
  const file = path.join(dir, 'sequences.seqmodel');
  writeFileSync(file, SEQUENCES);
  return file;
}

const seqWarmup = (spec: DataSpec): DataSpec =>
  spec.kind === 'window' && spec.series.kind === 'csv' ? { ...spec, series: { ...spec.series, path: 'warmup.csv' } } : spec;

const SEQ_DIR = mkdtempSync(path.join(tmpdir(), 'seqmodel-bench-'));
const SEQ_FILE = writeSequences(SEQ_DIR);
const example = (name: string): string => path.join(EXAMPLES, name);

const adamMse = (model: tf.Sequential): tf.Sequential => {
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  return model;
};

const CASES: Case[] = [
  forecastCase('rnn', () => [tf.layers.simpleRNN({ units: 50, activation: 'sigmoid', inputShape: [3, 1] }), tf.layers.dense({ units: 2 })], {
    kind: 'simple_rnn',
    units: 50,
    activation: 'sigmoid',
  }),
  forecastCase(
    'rnn_bn',
    () => [
      tf.layers.batchNormalization({ inputShape: [3, 1] }),
      tf.layers.simpleRNN({ units: 50, activation: 'sigmoid' }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 2 }),
    ],
    { kind: 'simple_rnn', units: 50, activation: 'sigmoid' },
    true,
  ),
  forecastCase('lstm', () => [tf.layers.lstm({ units: 50, activation: 'relu', inputShape: [3, 1] }), tf.layers.dense({ units: 2 })], {
    kind: 'lstm',
    units: 50,
    activation: 'relu',
  }),
  {
    // 5000 samples, 4500 trained in 141 batches of 32, 500 validated: one epoch is timed.
    label: 'echo lstm',
    file: example('echo.seqmodel'),
    model: 'lstm',
    unit: 'epochs/s',
    epochs: 1,
    rounds: QUICK ? 1 : 2,
    warmupEpochs: 1,
    data: (spec) => (QUICK && spec.kind === 'echo' ? { ...spec, samples: 1000 } : spec),
    warmupData: (spec) => (spec.kind === 'echo' ? { ...spec, samples: 200 } : spec),
    plain: () => {
      const model = tf.sequential({
        layers: [tf.layers.lstm({ units: 25, inputShape: [5, 10] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
      });
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return model;
    },
    peer: { steps: 5, features: 10, one_hot: true, outputs: 10, recurrent: { kind: 'lstm', units: 25 } },
  },
  {
    // Embedding(10000, 32) → LSTM(32) → Dense(1) on 500 words: two batches of 32, no validation.
    label: 'sentiment lstm',
    file: example('imdb_sentiment.seqmodel'),
    model: 'lstm',
    unit: 'samples/s',
    epochs: 1,
    rounds: QUICK ? 1 : 2,
    warmupEpochs: 1,
    data: (spec) => (spec.kind === 'sentiment' ? { ...spec, samples: QUICK ? 32 : 64 } : spec),
    // Six warm-up batches: beyond compiling, they cover the two-thread split's probes (the first
    // five calls of a shape, parallel.ts), which a real epoch of hundreds of batches barely sees;
    // with one warm-up batch the two timed rounds measured little but the probes.
    warmupData: (spec) => (spec.kind === 'sentiment' ? { ...spec, samples: QUICK ? 32 : 192 } : spec),
    settings: { batchSize: 32, validationSplit: 0 },
    plain: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 10000, outputDim: 32, inputLength: 500 }),
          tf.layers.lstm({ units: 32 }),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      });
      model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy', metrics: ['acc'] });
      return model;
    },
    peer: { steps: 500, features: 32, vocab: 10000, outputs: 1, head: 'sigmoid', recurrent: { kind: 'lstm', units: 32 } },
  },
  sequenceCase('LSTM(64) (30, 3) every step', 'lstm64', () => tf.layers.lstm({ units: 64, returnSequences: true, inputShape: [SEQ_STEPS, SEQ_FEATURES] }), {
    kind: 'lstm',
    units: 64,
  }),
  // tfjs-layers's GRU is reset_after=False only (this project adds Keras's default as a layer of its own).
  sequenceCase('GRU(64) reset_after=True', 'gru64', null, { kind: 'gru', units: 64 }),
  sequenceCase('GRU(64) reset_after=False', 'gru64_reset_before', () => tf.layers.gru({ units: 64, returnSequences: true, inputShape: [SEQ_STEPS, SEQ_FEATURES] }), {
    kind: 'gru_reset_before',
    units: 64,
  }),
  sequenceCase('SimpleRNN(64)', 'rnn64', () => tf.layers.simpleRNN({ units: 64, returnSequences: true, inputShape: [SEQ_STEPS, SEQ_FEATURES] }), {
    kind: 'simple_rnn',
    units: 64,
  }),
  sequenceCase(
    'Bidirectional(LSTM(32))',
    'bilstm32',
    () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 32, returnSequences: true }) as tf.RNN, inputShape: [SEQ_STEPS, SEQ_FEATURES] }),
    { kind: 'lstm', units: 32, bidirectional: true },
  ),
];

/**
 * A model of examples/forecast.seqmodel as written: windows of 3 of one series, 2 outputs,
 * Adam on the mean squared error; epochs/s. `layers`: the usual tfjs-layers code for it.
 */
function forecastCase(model: string, layers: () => tf.layers.Layer[], recurrent: PeerModel['recurrent'], batchNorm = false): Case {
  return {
    label: `forecast ${model}`,
    file: example('forecast.seqmodel'),
    model,
    unit: 'epochs/s',
    epochs: QUICK ? 50 : 150,
    rounds: QUICK ? 1 : 3,
    warmupEpochs: 20,
    plain: () => adamMse(tf.sequential({ layers: layers() })),
    peer: { steps: 3, features: 1, outputs: 2, ...(batchNorm ? { batch_norm: true } : {}), recurrent },
  };
}

/** A generated (30, 3) workload: the recurrent layer, Dense(1) on every step, Flatten; samples/s. */
function sequenceCase(label: string, model: string, recurrent: (() => tf.layers.Layer) | null, peer: Omit<PeerModel['recurrent'], 'return_sequences'>): Case {
  return {
    label,
    file: SEQ_FILE,
    model,
    unit: 'samples/s',
    epochs: 1,
    rounds: QUICK ? 1 : 2,
    warmupEpochs: 1,
    warmupData: seqWarmup,
    plain: recurrent && (() => adamMse(tf.sequential({ layers: [recurrent(), tf.layers.dense({ units: 1 }), tf.layers.flatten()] }))),
    peer: { steps: SEQ_STEPS, features: SEQ_FEATURES, outputs: 1, recurrent: { ...peer, return_sequences: true } },
  };
}

/** The worker's start message for the case, as the CLI would send it (no saved run). */
function job(c: Case, backend: BackendPreference, warmup: boolean): StartMessage {
  const analysis = analyze(readFileSync(c.file, 'utf8'));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${c.file}: ${errors[0].message}`);
  const [trained] = trainJobs(analysis, c.model);
  if (!trained) throw new Error(`${c.file}: no trained model '${c.model}'`);
  const request = trainingRequest(analysis, trained, {
    documentPath: c.file,
    workspaceFolder: path.dirname(c.file),
    backend,
    allowOutside: false,
    save: false,
    batchRate: 4, // as the editor asks for
  });
  const change = warmup ? (c.warmupData ?? c.data) : c.data;
  const spec = change ? change(request.data.spec) : request.data.spec;
  const settings: TrainSettings = { ...request.settings, ...c.settings, epochs: warmup ? c.warmupEpochs : c.epochs };
  return { type: 'start', ...request, data: { ...request.data, spec }, settings, predicts: [], allowOutside: false };
}

interface Timed {
  seconds: number;
  samples: number;
}

interface OursTimed extends Timed {
  /** CPU seconds of this process (every thread) over the session's run. */
  cpuSeconds: number;
  samplesSplit: { train: number; validation: number };
  /** Which loop trained the model, and which path each recurrent layer: "whole model + fused". */
  paths: string;
  /** The first fused layer's kernel name (lstm/wasm-simd-fma), '—' without one. */
  kernel: string;
}

/** Our path: the worker's training session; returns its fitting seconds and samples trained. */
async function ours(c: Case, backend: BackendName, warmup: boolean): Promise<OursTimed> {
  const start = job(c, backend, warmup);
  let split = { train: 0, validation: 0 };
  // The fitting's CPU time: from 'ready' (fitting starts) to the last epoch message (the session
  // flushes its epochs as fitting ends), as `seconds` is the fitting's wall time.
  let cpuAtReady = process.cpuUsage();
  let cpu = { user: 0, system: 0 };
  const session = new TrainingSession(start, (message) => {
    if (message.type === 'ready') {
      split = message.samples;
      cpuAtReady = process.cpuUsage();
    }
    JSON.stringify(message); // what process.send does with it in the worker
    if (message.type === 'epoch' || message.type === 'epochs') cpu = process.cpuUsage(cpuAtReady);
  });
  const final = await session.run();
  if (final.type !== 'done') throw new Error(`${c.label}: ${final.type}: ${'message' in final ? final.message : ''}`);
  // The training loop (the model-level entry), then the recurrent layers' paths: "whole model + fused".
  const loop = final.paths.find((p) => p.layer === '');
  const layers = [...new Set(final.paths.filter((p) => p.layer !== '').map((p) => p.path))];
  const paths = [loop?.path === 'whole-model' ? 'whole model' : 'tfjs loop', ...layers].join(' + ');
  const fused = final.paths.find((p) => p.path === 'fused');
  const kernel = fused && 'kernel' in fused ? fused.kernel : '—';
  return { seconds: final.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, samples: split.train * final.epochs, samplesSplit: split, paths, kernel };
}

/** Plain tfjs-layers: model.fit on the same data with the example's batch size and split. */
async function plain(c: Case, build: () => tf.Sequential, backend: BackendName, warmup: boolean): Promise<Timed> {
  const start = job(c, backend, warmup);
  const { settings } = start;
  const dataset = await loadData(start.data.spec, { baseDir: start.baseDir, workspaceFolder: start.workspaceFolder, allowOutside: false });
  const xs = tf.tensor(dataset.x.values, dataset.x.shape, 'float32');
  const ys = tf.tensor(dataset.y.values, dataset.y.shape, 'float32');
  const model = quietly(build);
  const began = performance.now();
  await model.fit(xs, ys, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationSplit: settings.validationSplit,
    shuffle: settings.shuffle,
    verbose: 0,
  });
  const seconds = (performance.now() - began) / 1000;
  // tfjs, like Keras, trains on the first floor(n · (1 - split)) samples.
  const trained = Math.floor(dataset.x.shape[0] * (1 - settings.validationSplit));
  tf.dispose([xs, ys]);
  model.dispose();
  return { seconds, samples: trained * settings.epochs };
}

/** The case as bench/torch_peer.py trains it: the sizes ours trained, with the same settings. */
function peerWorkload(c: Case, samples: { train: number; validation: number }): PeerWorkload {
  const { settings } = job(c, 'cpu', false);
  return {
    ...c.peer,
    label: c.label,
    samples: samples.train,
    validation: samples.validation,
    batch: settings.batchSize,
    epochs: c.epochs,
    rounds: c.rounds,
    warmup_epochs: c.warmupEpochs,
    unit: c.unit,
    optimizer: { name: settings.optimizer.name, learning_rate: Number(settings.optimizer.args.learning_rate) },
    loss: settings.loss,
  };
}

/**
 * tfjs's own orthogonal initializer (the plain models' recurrent kernels) warns on every
 * matrix over 2000 elements; building is not timed, the warning would only bury the figures.
 */
function quietly<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('Orthogonal initializer')) warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

function rate(c: Case, r: Timed, seconds = r.seconds): number {
  return c.unit === 'epochs/s' ? c.epochs / seconds : r.samples / seconds;
}

function fmt(x: number | null): string {
  if (x === null) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

const ratio = (a: number, b: number | null): string => (b === null ? '—' : `${(a / b).toFixed(2)}×`);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The backends to time: the one `auto` picks (node if it loads, else wasm); every one with --all-backends. */
async function chooseBackends(): Promise<BackendName[]> {
  const backends: BackendName[] = [];
  try {
    await initBackend('node');
    backends.push('node');
  } catch (err) {
    console.log(`backend node: not available here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  if (backends.length === 0 || ALL_BACKENDS) backends.push('wasm');
  if (ALL_BACKENDS) backends.push('cpu');
  return backends;
}

/**
 * Ours on each build of the fused kernels (simd/module.ts: the plain and FMA WebAssembly
 * binaries, and the native AVX2 one where it loads), on the wasm backend, alternating round by
 * round so a change in the shared machine's load touches all alike: the best wall-clock rate
 * and the best rate per CPU second of each.
 */
async function compareBinaries(): Promise<void> {
  console.log(`load average at start (1, 5, 15 min): ${load()}; Node ${process.version}; ours on each build of the fused kernels, wasm backend`);
  await initBackend('wasm');
  const native = loadSimdKernels('native')?.binary === 'native';
  if (!native) console.log('the native build did not load here (npm run build compiles it where a C compiler and Node\'s headers are; it needs AVX2 and FMA)');
  const binaries: SimdBinary[] = ['plain', 'relaxed', ...(native ? ['native' as const] : [])];
  const name: Record<SimdBinary, string> = { plain: 'plain', relaxed: 'FMA', native: 'native' };
  const rows: string[][] = [];
  for (const c of CASES.filter(selected)) {
    const best = new Map(binaries.map((b) => [b, { wall: 0, cpu: 0, kernel: '' }]));
    for (const binary of binaries) {
      useBinary(binary);
      await ours(c, 'wasm', true);
    }
    for (let i = 0; i < Math.max(5, c.rounds); i++) {
      for (const binary of binaries) {
        useBinary(binary);
        const r = await ours(c, 'wasm', false);
        const b = best.get(binary)!;
        best.set(binary, { wall: Math.max(b.wall, rate(c, r)), cpu: Math.max(b.cpu, rate(c, r, r.cpuSeconds)), kernel: r.kernel });
      }
    }
    const all = binaries.map((b) => best.get(b)!);
    const relaxed = best.get('relaxed')!;
    const fastest = best.get(native ? 'native' : 'relaxed')!;
    const row = [
      c.label, c.unit, all.map((b) => b.kernel).join(' / '), ...all.map((b) => fmt(b.wall)), ...all.map((b) => fmt(b.cpu)),
      ratio(relaxed.cpu, best.get('plain')!.cpu), ...(native ? [ratio(fastest.wall, relaxed.wall), ratio(fastest.cpu, relaxed.cpu)] : []), loadavg()[0].toFixed(2),
    ];
    console.log(`  ${row.join('  ')}`);
    rows.push(row);
  }
  useSimdBinary('auto');
  console.log('');
  table([
    'workload', 'unit', `kernels (${binaries.map((b) => name[b]).join(' / ')})`, ...binaries.map((b) => `wall ${name[b]}`), ...binaries.map((b) => `per CPU s ${name[b]}`),
    'FMA/plain CPU', ...(native ? ['native/FMA wall', 'native/FMA CPU'] : []), 'load 1m',
  ], rows);
  console.log(`load average at end (1, 5, 15 min): ${load()}`);
}

/** Runs the fused kernels on one build from now on; throws when it did not load here. */
function useBinary(binary: SimdBinary): void {
  useSimdBinary(binary);
  if (simdKernels()?.binary !== binary) throw new Error(`the ${binary} build of the fused kernels did not load (npm run build; relaxed SIMD needs Node 20+, native AVX2 + FMA)`);
}

async function main(): Promise<void> {
  if (SIMD_BINARIES) return compareBinaries();
  const began = performance.now();
  console.log(`load average at start (1, 5, 15 min): ${load()}; tfjs ${tf.version.tfjs}, Node ${process.version}`);
  console.log('ours: the .seqmodel → analyze → TrainingSession in-process; plain: tf.sequential + model.fit; PyTorch: bench/torch_peer.py');
  console.log('Each figure is the best of a few timed rounds, after an untimed warm-up; ours and plain alternate, PyTorch follows each case.');
  const torch = OURS_ONLY ? null : findTorchPython();
  if (ONLY.length > 0) console.log(`cases: ${CASES.filter(selected).map((c) => c.label).join(', ') || `none matches --only ${ONLY.join(', ')}`}`);
  if (OURS_ONLY) console.log('--ours: plain tfjs and PyTorch not run');
  else console.log(torch ? `PyTorch ${torch.version} (${torch.python}), at the faster of 1 and 2 threads` : TORCH_MISSING);
  const peers = new Map<string, PeerResult>();
  const rows: string[][] = [];
  for (const backend of await chooseBackends()) {
    const info = await initBackend(backend);
    console.log(`\n[${info.name}] (tfjs '${info.tfName}')`);
    if (backend !== 'node') {
      console.log(`  both paths use this project's UnsortedSegmentSum kernel, registered by initBackend (${backend === 'wasm' ? 'wasm has none' : "tfjs's own takes ~30 min a sentiment batch"})`);
    }
    for (const c of CASES.filter(selected)) {
      const build = OURS_ONLY ? null : c.plain;
      await ours(c, backend, true);
      if (build) await plain(c, build, backend, true);
      let best: { ours: number; oursCpu: number; plain: number | null } = { ours: 0, oursCpu: 0, plain: build ? 0 : null };
      let last: OursTimed | null = null;
      for (let i = 0; i < c.rounds; i++) {
        last = await ours(c, backend, false);
        best = {
          ours: Math.max(best.ours, rate(c, last)),
          oursCpu: Math.max(best.oursCpu, rate(c, last, last.cpuSeconds)),
          plain: build && best.plain !== null ? Math.max(best.plain, rate(c, await plain(c, build, backend, false))) : null,
        };
      }
      if (torch && last && !peers.has(c.label)) {
        try {
          peers.set(c.label, runPeer(torch.python, [peerWorkload(c, last.samplesSplit)])[0]);
        } catch (err) {
          console.log(`  PyTorch ${c.label}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const peer = peers.get(c.label) ?? null;
      const row = [
        backend,
        c.label,
        c.unit,
        last?.paths || '—',
        fmt(best.ours),
        fmt(best.oursCpu),
        fmt(best.plain),
        peer ? `${fmt(peer.rate)} (${peer.threads}t)` : '—',
        ratio(best.ours, best.plain),
        ratio(best.ours, peer?.rate ?? null),
        loadavg()[0].toFixed(2),
      ];
      const threads = peer ? `  (PyTorch by threads: ${Object.entries(peer.rates).map(([t, r]) => `${t}: ${fmt(r)}`).join(', ')})` : '';
      console.log(`  ${row.slice(1).join('  ')}${threads}`);
      rows.push(row);
    }
  }

  // The worker process as the editor runs it, on the sentiment example at its own batch size.
  const sentiment = CASES.find((c) => c.model === 'lstm' && c.file.endsWith('imdb_sentiment.seqmodel'))!;
  const memoryLine = selected(sentiment) ? await sentimentMemory(sentiment) : 'worker peak memory: not measured (the sentiment case is not selected)';

  console.log('');
  table(['backend', 'workload', 'unit', 'our path', 'ours', 'ours CPU', 'plain tfjs', 'PyTorch', 'ours/plain', 'ours/PyTorch', 'load 1m'], rows);
  console.log(`\n${memoryLine}`);
  console.log(`load average at end (1, 5, 15 min): ${load()}; ${((performance.now() - began) / 1000).toFixed(0)} s in all`);
}

/**
 * The worker's peak memory on the sentiment example as written, measured on the real worker
 * process: as it runs by default (the recurrent kernels split a batch over two threads where
 * that pays), then kept on one thread (SEQMODEL_THREADS=1).
 */
async function sentimentMemory(sentiment: Case): Promise<string> {
  const reviews = QUICK ? 40 : 160;
  const memoryJob = job({ ...sentiment, settings: {}, data: (spec) => (spec.kind === 'sentiment' ? { ...spec, samples: reviews } : spec) }, 'auto', false);
  const { batchSize, validationSplit } = memoryJob.settings;
  const trained = Math.floor(reviews * (1 - validationSplit));
  const peak = await workerPeak(memoryJob);
  if (typeof peak === 'string') return `worker peak memory: not measured (${peak})`;
  const one = await workerPeak(memoryJob, { SEQMODEL_THREADS: '1' });
  return `worker peak memory, sentiment example as written (${reviews} reviews: ${trained} trained in batches of ${Math.min(batchSize, trained)}, the rest validated; 1 epoch; backend auto): ` +
    `RSS ${peak.rssMb.toFixed(0)} MB (VmHWM), virtual ${peak.virtualMb.toFixed(0)} MB (VmPeak); ${peak.seconds.toFixed(1)} s fitting; ` +
    (typeof one === 'string' ? `one thread: not measured (${one})` : `on one thread (SEQMODEL_THREADS=1): RSS ${one.rssMb.toFixed(0)} MB, ${one.seconds.toFixed(1)} s fitting`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(SEQ_DIR, { recursive: true, force: true }));
