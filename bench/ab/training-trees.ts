// Before/after on a busy machine: this checkout's training against another checkout's (a commit
// before a change: `git worktree add /tmp/before <commit>`, then `npm ci` or a node_modules
// symlink, and `npm run build` there for its dist/fused-kernels*.wasm), both loaded in ONE
// process and run alternately, session after session, so both see the same load and the same
// JIT state. The figure is CPU time (process.cpuUsage) from the session's 'ready' message to its
// last epoch message: the fitting and its messages, as bench/training.ts's "ours CPU" (until
// session 6 it ran to the end of run(), which adds the evaluation of the training data through
// tfjs's predict: a third of a sentiment session, the same in both trees). Wall time at load
// 10+ on two shared cores moved by 2× between identical runs; alternating CPU times in one
// process moved by about 10%.
//
// Not in `npm run bench` (bench/run.ts runs the top-level files only). Run:
//   node --import tsx bench/ab/training-trees.ts --base /tmp/before [--workload rnn64] [--epochs 3] [--pairs 8]
// Workloads: the (30, 3) rows of bench/training.ts (rnn64, lstm64, gru64, gru64_reset_before,
// bilstm32: 1280 windows, batches of 64), the sentiment row (sentiment: examples/imdb_sentiment.seqmodel's
// lstm, Embedding(10000, 32) → LSTM(32) → Dense(1), on 1024 generated reviews of 500 words, batches of
// 32, rmsprop) or a model of examples/forecast.seqmodel (rnn, rnn_bn, lstm).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { arg } from '../lib/args';

const here = path.resolve(__dirname, '..', '..');
const base = arg('base', '');
const workload = arg('workload', 'rnn64');
const epochs = Number(arg('epochs', '3'));
const pairs = Number(arg('pairs', '8'));

const RECURRENT: Record<string, string> = {
  rnn64: 'SimpleRNN(64, return_sequences=True)',
  lstm64: 'LSTM(64, return_sequences=True)',
  gru64: 'GRU(64, return_sequences=True)',
  gru64_reset_before: 'GRU(64, return_sequences=True, reset_after=False)',
  bilstm32: 'Bidirectional(LSTM(32, return_sequences=True))',
};
const WINDOWS = 1280;
const REVIEWS = 1024;

/** Samples a session trains per epoch, or null when the figure is epochs (a forecast model). */
function samplesPerEpoch(): number | null {
  if (workload === 'sentiment') return REVIEWS;
  return RECURRENT[workload] ? WINDOWS : null;
}

/** The .seqmodel file and model name of the workload (the (30, 3) ones written into dir). */
function source(dir: string): { file: string; model: string } {
  if (workload === 'sentiment') {
    const file = path.join(dir, 'reviews.seqmodel');
    writeFileSync(file, [
      `data reviews = sentiment(samples=${REVIEWS}, vocab=10000, maxlen=500, seed=1)`,
      'model m {\n  Embedding(10000, 32)\n  LSTM(32)\n  Dense(1, activation="sigmoid")\n}',
      'train m on reviews {\n  optimizer = rmsprop\n  loss = "binary_crossentropy"\n  metrics = ["acc"]\n  batch_size = 32\n  epochs = 1\n  seed = 1\n}',
    ].join('\n\n'));
    return { file, model: 'm' };
  }
  const layer = RECURRENT[workload];
  if (layer === undefined) return { file: path.join(here, 'examples', 'forecast.seqmodel'), model: workload };
  const rows = ['a,b,c'];
  for (let t = 0; t < WINDOWS + 59; t++) rows.push([Math.sin(t / 7), Math.cos(t / 11), Math.sin(t / 3) * 0.5].map((v) => v.toFixed(5)).join(','));
  writeFileSync(path.join(dir, 'series.csv'), `${rows.join('\n')}\n`);
  const file = path.join(dir, 'sequences.seqmodel');
  writeFileSync(file, [
    'data seq = window(csv("series.csv"), steps=30, horizon=30)',
    `model m {\n  input(30, 3)\n  ${layer}\n  Dense(1)\n  Flatten()\n}`,
    'train m on seq {\n  optimizer = adam(learning_rate=0.001)\n  loss = "mse"\n  batch_size = 64\n  epochs = 1\n  seed = 1\n}',
  ].join('\n\n'));
  return { file, model: 'm' };
}

interface Tree {
  name: string;
  // The modules of one checkout, loaded by path: their types are this checkout's or older.
  language: any;
  plan: any;
  session: any;
}

async function load(name: string, root: string): Promise<Tree> {
  return {
    name,
    language: await import(path.join(root, 'src', 'language', 'index.ts')),
    plan: await import(path.join(root, 'src', 'training', 'trainPlan.ts')),
    session: await import(path.join(root, 'src', 'training', 'trainSession.ts')),
  };
}

/** One training session of the workload on a tree; its CPU seconds from 'ready' to the end. */
async function cpuOf(tree: Tree, file: string, model: string, epochsNow: number): Promise<number> {
  const analysis = tree.language.analyze(readFileSync(file, 'utf8'));
  const [trained] = tree.plan.trainJobs(analysis, model);
  const request = tree.plan.trainingRequest(analysis, trained, {
    documentPath: file, workspaceFolder: path.dirname(file), backend: 'wasm', allowOutside: false, save: false, batchRate: 4,
  });
  let began: NodeJS.CpuUsage | null = null;
  let used: NodeJS.CpuUsage | null = null;
  const session = new tree.session.TrainingSession(
    { type: 'start', ...request, settings: { ...request.settings, epochs: epochsNow }, predicts: [], allowOutside: false },
    (message: { type: string }) => {
      if (message.type === 'ready') began = process.cpuUsage();
      JSON.stringify(message); // what process.send does with it in the worker
      if (began !== null && (message.type === 'epoch' || message.type === 'epochs')) used = process.cpuUsage(began);
    },
  );
  const final = await session.run();
  if (final.type !== 'done' || used === null) throw new Error(`${tree.name}: the session ended with '${final.type}'`);
  const cpu: NodeJS.CpuUsage = used;
  return (cpu.user + cpu.system) / 1e6;
}

async function main(): Promise<void> {
  if (!base) {
    console.log('usage: node --import tsx bench/ab/training-trees.ts --base <other checkout> [--workload rnn64] [--epochs 3] [--pairs 8]');
    process.exitCode = 2;
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'seqmodel-ab-'));
  try {
    const { file, model } = source(dir);
    const trees = [await load('base', path.resolve(base)), await load('this', here)];
    const { initBackend } = await import(path.join(here, 'src', 'training', 'backend.ts'));
    await initBackend('wasm');
    console.log(`${workload}, ${epochs} epochs a session, ${pairs} pairs; load at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    // Untimed warm-up of both, then the pairs, in alternating order.
    for (const tree of trees) await cpuOf(tree, file, model, epochs);
    const cpu = new Map<string, number[]>(trees.map((t) => [t.name, []]));
    for (let i = 0; i < pairs; i++) {
      for (const tree of i % 2 ? [...trees].reverse() : trees) cpu.get(tree.name)!.push(await cpuOf(tree, file, model, epochs));
    }
    const perEpoch = samplesPerEpoch();
    const unit = perEpoch === null ? epochs : perEpoch * epochs;
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    for (const [name, seconds] of cpu) {
      console.log(`  ${name}: ${(unit / median(seconds)).toFixed(0)} ${perEpoch === null ? 'epochs' : 'samples'} per CPU second (median), ${(unit / Math.min(...seconds)).toFixed(0)} (best)`);
    }
    const [b, t] = [cpu.get('base')!, cpu.get('this')!];
    console.log(`  this/base: ${(median(b) / median(t)).toFixed(2)}× (medians), ${(Math.min(...b) / Math.min(...t)).toFixed(2)}× (best); load at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
