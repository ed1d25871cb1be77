// Before/after for a change to the engine (src/language) that should not change its speed: this
// checkout's built engine (dist/engine.js, `npm run build`) against another build of it (--base:
// a copy of dist/engine.js made before the change), alternately, each run in a fresh Node with
// the language server's V8 flags, on the 1 MB pathological shapes (bench/lib/pathological.ts)
// and the engine bench's file of 10,014 lines (bench/lib/generate.ts).
//
// The work (--work): `parse`, `analyze` (a fresh analysis), `format` (formatEdits), or `edit`
// (a digit typed at the middle line and deleted again, each analysis built on the one before:
// the incremental analysis and its statement pass). Per shape, the main thread's CPU time
// (mainThreadCpu: on a shared machine it moves far less than wall time) per run, averaged over
// --runs runs after three of warm-up; the median of --rounds rounds per build, and each round's
// figure. On a busy machine single rounds move by ±10%.
//
// Not in `npm run bench` (bench/run.ts runs the top-level files only). Run:
//   cp dist/engine.js /tmp/engine-before.js   (before the change; then change, npm run build)
//   node --import tsx bench/ab/engine-bundles.ts --base /tmp/engine-before.js --work analyze [--shapes "realistic file|lines of let"] [--rounds 4] [--runs 12]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { ENGINE_V8_FLAGS } from '../../src/server/engineProcess';
import { generate } from '../lib/generate';
import { mainThreadCpu } from '../lib/measure';
import { pathologicalDocuments } from '../lib/pathological';
import { arg } from '../lib/args';

type Engine = typeof import('../../src/language');

const WORKS = ['parse', 'analyze', 'format', 'edit'];
const here = path.resolve(__dirname, '..', '..', 'dist', 'engine.js');
const base = arg('base', '');
const work = arg('work', 'analyze');
const shapes = arg('shapes', 'realistic file|lines of let|many small models|one model, many layers|} repeated').split('|');
const rounds = Number(arg('rounds', '4'));
const runs = Number(arg('runs', '12'));

/** In a child: the CPU ms per run of `work` with the engine at `bundle`, per document. */
function child(bundle: string): Record<string, number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require(bundle) as Engine;
  const docs = [...pathologicalDocuments().filter((d) => shapes.includes(d.name)), { name: '10,014 lines', text: generate(10000) }];
  const out: Record<string, number> = {};
  for (const { name, text } of docs) {
    const run = work === 'edit' ? typing(engine, text) : work === 'format' ? () => engine.formatEdits(text) : work === 'parse' ? () => engine.parse(text) : () => engine.analyze(text);
    for (let i = 0; i < 3; i++) run();
    const start = mainThreadCpu();
    for (let i = 0; i < runs; i++) run();
    out[name] = (mainThreadCpu() - start) / runs;
  }
  return out;
}

/** A digit typed after the middle line's first `(` or `=` (or at its start), then deleted, and so on: each call one keystroke, analysed from the analysis before. */
function typing(engine: Engine, text: string): () => void {
  const line = text.lastIndexOf('\n', text.length >> 1) + 1;
  const found = text.slice(line).search(/[(=]/);
  const at = found >= 0 ? line + found + 1 : line;
  const texts = [text.slice(0, at) + '7' + text.slice(at), text];
  let previous = engine.analyze(text);
  let k = 0;
  return () => {
    previous = engine.runSteps(engine.analysisSteps(texts[k++ % 2], previous));
  };
}

function main(): void {
  if (!base || !WORKS.includes(work)) {
    console.error(`usage: bench/ab/engine-bundles.ts --base OTHER/engine.js --work ${WORKS.join('|')} [--shapes "A|B"] [--rounds N] [--runs N]`);
    process.exit(2);
  }
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`${work}: main-thread CPU ms per run (mean of ${runs}), median of ${rounds} alternating rounds; before ${base}, after ${here}`);
  console.log(`load average at start: ${load()}`);
  const figures: Record<string, { before: number[]; after: number[] }> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [side, bundle] of [['before', base], ['after', here]] as const) {
      const result = spawnSync(process.execPath, [...process.execArgv, ...ENGINE_V8_FLAGS, __filename, '--child', bundle, '--work', work, '--shapes', shapes.join('|'), '--runs', String(runs)], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${side}: ${result.stderr}`);
      for (const [name, ms] of Object.entries(JSON.parse(result.stdout) as Record<string, number>)) (figures[name] ??= { before: [], after: [] })[side].push(ms);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const width = Math.max(...Object.keys(figures).map((n) => n.length));
  for (const [name, { before, after }] of Object.entries(figures)) {
    const each = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
    console.log(`${name.padEnd(width)}  before ${median(before).toFixed(2).padStart(7)}  after ${median(after).toFixed(2).padStart(7)}  (rounds: ${each(before)} | ${each(after)})`);
  }
  console.log(`load average at end: ${load()}`);
}

const childBundle = arg('child', '');
if (childBundle) console.log(JSON.stringify(child(childBundle)));
else main();
