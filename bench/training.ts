// Training speed, ours against plain tfjs-layers, in one run and for every backend that loads.
//
// Ours: the engine's analysis of the example file → the worker's TrainingSession, run
// in-process (buildModel, compileSettings, loadData, validationSplit and the same fit loop with
// its callbacks; its progress messages are JSON-serialised as the IPC channel would). The time is
// the session's own fitting time (`seconds` of its done message), as the CLI reports it.
// Plain: the same sizes written the usual way (tf.sequential + tf.layers.*, compile, fit) on
// the same data, timed around model.fit.
//
// Run: npm run bench -- training   (or: node --import tsx bench/training.ts [--quick])
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../src/language';
import type { DataSpec, TrainSettings } from '../src/language/model';
import { type BackendName, initBackend } from '../src/training/backend';
import { loadData } from '../src/training/data/load';
import type { StartMessage } from '../src/training/protocol';
import { TrainingSession } from '../src/training/trainSession';
import { table } from './lib/measure';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const QUICK = process.argv.includes('--quick');

type Unit = 'epochs/s' | 'samples/s';

interface Case {
  label: string;
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
  /** The usual tfjs-layers code for the same model, compiled. */
  plain: () => tf.Sequential;
}

const adamMse = (model: tf.Sequential): tf.Sequential => {
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  return model;
};

const CASES: Case[] = [
  {
    label: 'forecast rnn',
    file: 'forecast.seqmodel',
    model: 'rnn',
    unit: 'epochs/s',
    epochs: QUICK ? 50 : 150,
    rounds: QUICK ? 1 : 3,
    warmupEpochs: 20,
    plain: () =>
      adamMse(
        tf.sequential({
          layers: [tf.layers.simpleRNN({ units: 50, activation: 'sigmoid', inputShape: [3, 1] }), tf.layers.dense({ units: 2 })],
        }),
      ),
  },
  {
    label: 'forecast rnn_bn',
    file: 'forecast.seqmodel',
    model: 'rnn_bn',
    unit: 'epochs/s',
    epochs: QUICK ? 50 : 150,
    rounds: QUICK ? 1 : 3,
    warmupEpochs: 20,
    plain: () =>
      adamMse(
        tf.sequential({
          layers: [
            tf.layers.batchNormalization({ inputShape: [3, 1] }),
            tf.layers.simpleRNN({ units: 50, activation: 'sigmoid' }),
            tf.layers.batchNormalization(),
            tf.layers.dense({ units: 2 }),
          ],
        }),
      ),
  },
  {
    label: 'forecast lstm',
    file: 'forecast.seqmodel',
    model: 'lstm',
    unit: 'epochs/s',
    epochs: QUICK ? 50 : 150,
    rounds: QUICK ? 1 : 3,
    warmupEpochs: 20,
    plain: () =>
      adamMse(
        tf.sequential({
          layers: [tf.layers.lstm({ units: 50, activation: 'relu', inputShape: [3, 1] }), tf.layers.dense({ units: 2 })],
        }),
      ),
  },
  {
    // 5000 samples, 4500 trained in 141 batches of 32, 500 validated: one epoch is timed.
    label: 'echo lstm',
    file: 'echo.seqmodel',
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
  },
  {
    // Embedding(10000, 32) → LSTM(32) → Dense(1) on 500 words: two batches of 32, no validation.
    label: 'sentiment lstm',
    file: 'imdb_sentiment.seqmodel',
    model: 'lstm',
    unit: 'samples/s',
    epochs: 1,
    rounds: QUICK ? 1 : 2,
    warmupEpochs: 1,
    data: (spec) => (spec.kind === 'sentiment' ? { ...spec, samples: QUICK ? 32 : 64 } : spec),
    warmupData: (spec) => (spec.kind === 'sentiment' ? { ...spec, samples: 32 } : spec),
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
  },
];

/** The worker's start message for the case, as the CLI would send it (no saved run). */
function job(c: Case, backend: BackendName, warmup: boolean): StartMessage {
  const analysis = analyze(readFileSync(path.join(EXAMPLES, c.file), 'utf8'));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${c.file}: ${errors[0].message}`);
  const model = analysis.models.find((m) => m.name === c.model);
  const train = analysis.trains.find((t) => t.models.includes(c.model));
  const data = analysis.data.find((d) => d.name === train?.data);
  if (!model || !train || !data) throw new Error(`${c.file}: no trained model '${c.model}'`);
  const change = warmup ? (c.warmupData ?? c.data) : c.data;
  const spec = change ? change(data.spec) : data.spec;
  const settings: TrainSettings = { ...train.settings, ...c.settings, epochs: warmup ? c.warmupEpochs : c.epochs };
  return {
    type: 'start',
    model,
    data: { ...data, spec },
    settings,
    predicts: [],
    backend,
    baseDir: EXAMPLES,
    workspaceFolder: EXAMPLES,
    allowOutside: false,
    runsDir: null,
    batchRate: 4, // as the editor and the CLI ask for
  };
}

/** Our path: the worker's training session; returns its fitting seconds and samples trained. */
async function ours(c: Case, backend: BackendName, warmup: boolean): Promise<{ seconds: number; samples: number }> {
  const start = job(c, backend, warmup);
  let trained = 0;
  const session = new TrainingSession(start, (message) => {
    if (message.type === 'ready') trained = message.samples.train;
    JSON.stringify(message); // what process.send does with it in the worker
  });
  const final = await session.run();
  if (final.type !== 'done') throw new Error(`${c.label}: ${final.type}: ${'message' in final ? final.message : ''}`);
  return { seconds: final.seconds, samples: trained * final.epochs };
}

/** Plain tfjs-layers: model.fit on the same data with the example's batch size and split. */
async function plain(c: Case, backend: BackendName, warmup: boolean): Promise<{ seconds: number; samples: number }> {
  const start = job(c, backend, warmup);
  const { settings } = start;
  const dataset = await loadData(start.data.spec, { baseDir: EXAMPLES, workspaceFolder: EXAMPLES, allowOutside: false });
  const xs = tf.tensor(dataset.x.values, dataset.x.shape, 'float32');
  const ys = tf.tensor(dataset.y.values, dataset.y.shape, 'float32');
  const model = quietly(c.plain);
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

function rate(c: Case, r: { seconds: number; samples: number }): number {
  return c.unit === 'epochs/s' ? c.epochs / r.seconds : r.samples / r.seconds;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const began = performance.now();
  console.log(`load average at start (1, 5, 15 min): ${load()}; ${tf.version.tfjs}, Node ${process.version}`);
  console.log('ours: examples/*.seqmodel → analyze → TrainingSession in-process; plain: tf.sequential + model.fit');
  console.log('Each figure is the best of a few timed rounds, ours and plain alternating, after an untimed warm-up of each.');
  const rows: string[][] = [];
  const backends: BackendName[] = [];
  try {
    await initBackend('node');
    backends.push('node');
  } catch (err) {
    console.log(`backend node: not available here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  backends.push('wasm', 'cpu');
  for (const backend of backends) {
    const info = await initBackend(backend);
    console.log(`\n[${info.name}] (tfjs '${info.tfName}')`);
    if (backend !== 'node') {
      console.log(`  both paths use this project's UnsortedSegmentSum kernel, registered by initBackend (${backend === 'wasm' ? 'wasm has none' : "tfjs's own takes ~30 min a sentiment batch"})`);
    }
    for (const c of CASES) {
      await ours(c, backend, true);
      await plain(c, backend, true);
      let best = { ours: 0, plain: 0 };
      for (let i = 0; i < c.rounds; i++) {
        best = {
          ours: Math.max(best.ours, rate(c, await ours(c, backend, false))),
          plain: Math.max(best.plain, rate(c, await plain(c, backend, false))),
        };
      }
      const row = [backend, c.label, c.unit, fmt(best.ours), fmt(best.plain), `${(best.ours / best.plain).toFixed(2)}×`, loadavg()[0].toFixed(2)];
      console.log(`  ${row.slice(1).join('  ')}`);
      rows.push(row);
    }
  }
  console.log('');
  table(['backend', 'model', 'unit', 'ours', 'plain', 'ours/plain', 'load 1m'], rows);
  console.log(`\nload average at end (1, 5, 15 min): ${load()}; ${((performance.now() - began) / 1000).toFixed(0)} s in all`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
