import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ENGINE_V8_FLAGS } from '../src/server/engineProcess';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, ms, table } from './lib/measure';

// The formatter's own work on each 1 MB pathological shape (bench/lib/pathological.ts), the
// first time and once warm: each shape in a fresh Node process with the server's V8 flags, as
// a fresh language server meets it, running formatEdits of the built engine (dist/engine.js,
// as it ships) RUNS times. Reported: the main thread's CPU time (Linux's schedstat; on a shared
// machine it swings far less than wall time, and V8's compiler threads are left out) of the
// first and second run (a server's first formatting and the one after an edit, while V8 is
// still compiling the formatter's loops) and the minimum and median of the rest, with the
// number of edits and the characters of new text. The language server adds the answer's JSON
// and its writing (bench/pathological.ts measures the whole request).
//
// node --import tsx bench/formatting.ts [part of a shape's name] [--runs N]

type Engine = typeof import('../src/language');

interface Row {
  name: string;
  cpu: number[];
  edits: number;
  chars: number;
}

/** The CPU time this process's main thread has had, in ms. */
function threadCpu(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

function child(name: string, runs: number): Row {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatEdits } = require(join(__dirname, '..', 'dist', 'engine.js')) as Engine;
  const doc = pathologicalDocuments().find((d) => d.name === name);
  if (!doc) throw new Error(`no shape named ${name}`);
  const cpu: number[] = [];
  let edits = 0;
  let chars = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = threadCpu();
    const result = formatEdits(doc.text);
    cpu.push(threadCpu() - c0);
    edits = result.length;
    chars = result.reduce((sum, e) => sum + e.newText.length, 0);
  }
  return { name, cpu, edits, chars };
}

const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 12;
const ONLY = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--runs') ?? '';

if (process.env.SEQMODEL_BENCH_SHAPE) {
  process.stdout.write(JSON.stringify(child(process.env.SEQMODEL_BENCH_SHAPE, RUNS)));
} else {
  console.log(`Formatting each 1 MB pathological shape in a fresh process (the built engine, the server's V8 flags), ${RUNS} runs: main-thread CPU`);
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const rows: string[][] = [];
  for (const { name } of pathologicalDocuments(1024).filter((d) => d.name.includes(ONLY))) {
    const r = spawnSync(process.execPath, [...process.execArgv, ...ENGINE_V8_FLAGS, __filename, '--runs', String(RUNS)], {
      env: { ...process.env, SEQMODEL_BENCH_SHAPE: name },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`bench child failed on ${name}: ${r.stderr}`);
    const row = JSON.parse(r.stdout) as Row;
    const rest = row.cpu.slice(2).sort((a, b) => a - b);
    rows.push([name, ms(row.cpu[0]), ms(row.cpu[1]), rest.length ? ms(rest[0]) : '', rest.length ? ms(rest[rest.length >> 1]) : '', String(row.edits), row.chars.toLocaleString('en')]);
  }
  table(['document', 'first', 'second', 'min of the rest', 'median of the rest', 'edits', 'new text (chars)'], rows);
  console.log(`\nload average at end: ${loadAverage()}`);
}
