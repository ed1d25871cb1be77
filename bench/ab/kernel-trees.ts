// Before/after for a change to the fused recurrent kernels (src/training/fused: the C, the
// AssemblyScript, the TypeScript loops, sequence.ts), this checkout against another checkout of
// an earlier commit (`git archive <commit> | tar -x -C /tmp/before`, a node_modules symlink, and
// `node scripts/build.mjs` there for its dist/ binaries), both loaded in ONE process:
//
// 1. The same bits: every kind (LSTM, both GRUs, SimpleRNN) on 12 cases (1 to 50 units, tails off
//    the 4- and 8-lane vectors, masks, recurrent dropout, Keras's default activations, which the
//    native build compiles as constants, and five other pairs) through each build and, compiled,
//    each entry (a projection, table rows, the layer's input with packed last-step or every-step
//    outputs, or all of y); a SHA-256 of every byte of every output and gradient per run, both
//    trees compared. A change that only moves code must print "all identical".
// 2. The same time: one forward + backward pass of eight workloads on each tree alternately, CPU
//    time (process.cpuUsage), medians of --pairs pairs; after/before per workload and the
//    geometric mean per build. On a busy machine single rows move by ±10%; the means by ~2%.
//
// Not in `npm run bench` (bench/run.ts runs the top-level files only). Run:
//   node --import tsx bench/ab/kernel-trees.ts --base /tmp/before [--builds native,relaxed,plain,ts] [--pairs 15] [--only GRU] [--bits-only]
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { GATES, type RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { kernelInputFrom, type KernelCase } from '../../test/helpers/kernelBuilds';
import { seededRandom } from '../../test/helpers/random';
import { arg } from '../lib/args';

const here = path.resolve(__dirname, '..', '..');
const base = arg('base', '');
const builds = arg('builds', 'native,relaxed,plain,ts').split(',');
const pairs = Number(arg('pairs', '15'));
const only = arg('only', '');
const bitsOnly = process.argv.includes('--bits-only');

type Kind = RecurrentKind;
const KINDS = Object.keys(GATES) as Kind[];

interface Shape extends KernelCase {
  batch: number;
  steps: number;
}

const BIT_CASES: Shape[] = [
  { batch: 5, steps: 6, units: 13 },
  { batch: 5, steps: 6, units: 8, mask: true },
  { batch: 5, steps: 6, units: 13, dropout: true },
  { batch: 5, steps: 6, units: 13, dropout: true, mask: true },
  { batch: 3, steps: 4, units: 3, activation: 'relu', recurrentActivation: 'hardSigmoid' },
  { batch: 4, steps: 7, units: 21, mask: true, dropout: true, activation: 'relu', recurrentActivation: 'hardSigmoid' },
  { batch: 16, steps: 9, units: 32, mask: true },
  { batch: 16, steps: 9, units: 50, activation: 'relu' },
  { batch: 7, steps: 5, units: 1, dropout: true },
  { batch: 20, steps: 11, units: 37, dropout: true, activation: 'softsign', recurrentActivation: 'sigmoid' },
  { batch: 12, steps: 8, units: 19, mask: true, activation: 'swish', recurrentActivation: 'hardSigmoid' },
  { batch: 6, steps: 5, units: 16, dropout: true, activation: 'relu6', recurrentActivation: 'linear' },
];

const WORKLOADS: (Shape & { label: string; kind: Kind })[] = [
  { label: 'sentiment LSTM(32), 500 steps, batch 32', kind: 'lstm', batch: 32, steps: 500, units: 32 },
  { label: 'LSTM(64), 30 steps, batch 64', kind: 'lstm', batch: 64, steps: 30, units: 64 },
  { label: 'LSTM(50, relu), batch 16, masked', kind: 'lstm', batch: 16, steps: 30, units: 50, activation: 'relu', mask: true },
  { label: 'GRU(64) reset_after', kind: 'gru-reset-after', batch: 64, steps: 30, units: 64 },
  { label: 'GRU(64) reset_after=False', kind: 'gru', batch: 64, steps: 30, units: 64 },
  { label: 'GRU(64) reset_after=False, dropout', kind: 'gru', batch: 64, steps: 30, units: 64, dropout: true },
  { label: 'SimpleRNN(64)', kind: 'simple-rnn', batch: 64, steps: 30, units: 64 },
  { label: 'SimpleRNN(50), masked', kind: 'simple-rnn', batch: 64, steps: 30, units: 50, mask: true },
];

interface Tree {
  name: string;
  // The modules of one checkout, loaded by path: their types are this checkout's or older.
  activations: any;
  sequence: any;
  module: any;
  typescript: Record<Kind, (k: unknown) => any>;
}

async function load(name: string, root: string): Promise<Tree> {
  const fused = path.join(root, 'src', 'training', 'fused');
  const gru = await import(path.join(fused, 'gru.ts'));
  return {
    name,
    activations: await import(path.join(fused, 'activations.ts')),
    sequence: await import(path.join(fused, 'sequence.ts')),
    module: await import(path.join(fused, 'simd', 'module.ts')),
    typescript: {
      lstm: (await import(path.join(fused, 'lstm.ts'))).lstmForward,
      gru: gru.gruResetBeforeForward,
      'gru-reset-after': gru.gruResetAfterForward,
      'simple-rnn': (await import(path.join(fused, 'simple-rnn.ts'))).simpleRnnForward,
    },
  };
}

/** The same random input on either tree (each with its own activations): the kernel input, dy, and the generator for more. */
function input(tree: Tree, kind: Kind, c: Shape, seed: number) {
  const next = seededRandom(seed);
  const k = kernelInputFrom(kind, c, next, tree.activations.elementwiseActivation);
  return { k, dy: Float32Array.from({ length: c.batch * (c.steps + STATES[kind]) * c.units }, next), next };
}

/** Switches a tree's kernels to a build ('ts': none, the TypeScript loops); false when it does not load here. */
function use(tree: Tree, build: string): boolean {
  tree.module.setSimdEnabled(build !== 'ts');
  if (build === 'ts') return true;
  tree.module.useSimdBinary(build);
  return tree.module.simdKernels()?.binary === build;
}

function fingerprint(arrays: (Float32Array | null | undefined)[], what: string): string {
  const hash = createHash('sha256');
  for (const a of arrays) {
    if (!a) {
      hash.update('none');
      continue;
    }
    // NaN's sign bit follows the compiled operand order: a case that makes NaN proves nothing.
    if (a.some(Number.isNaN)) throw new Error(`${what}: NaN in an output, a case to change`);
    hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return hash.digest('hex');
}

/** Every run's fingerprint on one tree and build, by name. */
function bits(tree: Tree, build: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of KINDS) {
    BIT_CASES.forEach((c, ci) => {
      const { k, dy, next } = input(tree, kind, c, 1000 + ci);
      const name = `${kind} case ${ci}`;
      if (build === 'ts') {
        const f = tree.typescript[kind](k);
        const g = f.backward(dy);
        out.set(name, fingerprint([f.y, g.dxproj, g.dh0, g.dc0, g.dProducts, ...g.productInputs.map((p: { left: Float32Array }) => p.left)], name));
        return;
      }
      const f = tree.sequence.sequenceKernel(kind, k)(k);
      const g = f.backward(dy);
      out.set(`${name}, projection`, fingerprint([f.y, g.dxproj, g.dh0, g.dc0, g.dProducts, g.dRecurrentKernel], name));
      const gu = GATES[kind] * c.units;
      const { xproj: _, ...rest } = k;
      const table = Float32Array.from({ length: 17 * gu }, () => next());
      const ids = Int32Array.from({ length: c.batch * c.steps }, (_, i) => (i * 5 + 3) % 17);
      const rk = { ...rest, rows: { table, ids } };
      const rf = tree.sequence.rowsSequenceKernel(kind, rk)(rk);
      const rg = rf.backward(dy);
      out.set(`${name}, table rows`, fingerprint([rf.y, rg.dRows, rg.dh0, rg.dc0, rg.dRecurrentKernel, rg.dRecurrentBias], name));
      for (const sequences of [false, true, null]) {
        const F = 5;
        const inputs = {
          x: Float32Array.from({ length: c.batch * c.steps * F }, () => next()), features: F,
          kernel: Float32Array.from({ length: F * gu }, () => next() * 0.4), bias: ci % 2 ? null : Float32Array.from({ length: gu }, () => next()),
        };
        const outputs = sequences === null ? undefined : { sequences, into: new Float32Array((sequences ? c.batch * c.steps : c.batch) * c.units) };
        const ik = { ...rest, inputs, outputs };
        const inf = tree.sequence.inputsSequenceKernel(kind, ik)(ik);
        const d = Float32Array.from({ length: inf.y.length }, () => next());
        const targets = {
          dx: ci % 3 ? new Float32Array(c.batch * c.steps * F) : null, dKernel: new Float32Array(F * gu), dBias: inputs.bias ? new Float32Array(gu) : null,
          dRecurrentKernel: new Float32Array(c.units * gu), dRecurrentBias: kind === 'gru-reset-after' ? new Float32Array(gu) : null,
        };
        const ig = inf.backward(d, targets);
        out.set(`${name}, inputs (${sequences === null ? 'all of y' : sequences ? 'every step' : 'last step'})`,
          fingerprint([inf.y, ig.dh0, ig.dc0, targets.dx, targets.dKernel, targets.dBias, targets.dRecurrentKernel, targets.dRecurrentBias], name));
      }
    });
  }
  return out;
}

/** CPU milliseconds of one forward + backward pass. */
function pass(tree: Tree, build: string, kind: Kind, data: ReturnType<typeof input>): number {
  use(tree, build);
  const t0 = process.cpuUsage();
  const f = build === 'ts' ? tree.typescript[kind](data.k) : tree.sequence.sequenceKernel(kind, data.k)(data.k);
  f.backward(data.dy);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

const load3 = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function main(): Promise<void> {
  if (!base) {
    console.log('usage: node --import tsx bench/ab/kernel-trees.ts --base <other checkout> [--builds native,relaxed,plain,ts] [--pairs 15] [--only TEXT] [--bits-only]');
    process.exitCode = 2;
    return;
  }
  const [before, after] = [await load('before', path.resolve(base)), await load('after', here)];
  const runnable = builds.filter((b) => use(before, b) && use(after, b));
  for (const b of builds) if (!runnable.includes(b)) console.log(`${b}: does not load here in both trees, left out`);

  console.log(`the same bits: ${KINDS.length} kinds × ${BIT_CASES.length} cases; load ${load3()}`);
  let differing = 0;
  for (const build of runnable) {
    use(before, build);
    const a = bits(before, build);
    use(after, build);
    const b = bits(after, build);
    const changed = [...a.keys()].filter((key) => a.get(key) !== b.get(key));
    differing += changed.length;
    console.log(`  ${build.padEnd(8)} ${a.size} runs: ${changed.length === 0 ? 'all identical' : `${changed.length} differ: ${changed.slice(0, 6).join('; ')}${changed.length > 6 ? '; …' : ''}`}`);
  }
  if (differing > 0) process.exitCode = 1;
  if (bitsOnly) return;

  console.log(`the same time: CPU of one forward + backward pass, median of ${pairs} pairs run alternately; load ${load3()}`);
  const workloads = WORKLOADS.filter((w) => w.label.toLowerCase().includes(only.toLowerCase()));
  for (const build of runnable) {
    let logSum = 0;
    for (const w of workloads) {
      const data = [input(before, w.kind, w, 5), input(after, w.kind, w, 5)];
      for (let i = 0; i < 3; i++) [before, after].forEach((tree, t) => pass(tree, build, w.kind, data[t]));
      const cpu: number[][] = [[], []];
      for (let i = 0; i < pairs; i++) {
        const order = i % 2 ? [1, 0] : [0, 1];
        for (const t of order) cpu[t].push(pass([before, after][t], build, w.kind, data[t]));
      }
      const ratio = median(cpu[1]) / median(cpu[0]);
      logSum += Math.log(ratio);
      console.log(`  ${build.padEnd(8)} ${w.label.padEnd(40)} before ${median(cpu[0]).toFixed(2).padStart(8)} ms  after ${median(cpu[1]).toFixed(2).padStart(8)} ms  after/before ${ratio.toFixed(3)}`);
    }
    console.log(`  ${build.padEnd(8)} geometric mean of after/before: ${Math.exp(logSum / workloads.length).toFixed(3)}`);
  }
  console.log(`load at end ${load3()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
