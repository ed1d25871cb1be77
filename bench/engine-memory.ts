import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, table } from './lib/measure';

// What one full analysis of a megabyte costs the heap, per shape of bench/lib/pathological.ts:
// the bytes it allocates (garbage included: what the collector must get through, each time a
// whole text is analysed again) and the bytes its result keeps alive (what the language server
// holds per open document). Beside it, in the same run, the parse alone (the tree the analysis
// is built on, its lower bound) and JSON.parse of the text's lines (a plain structured read of
// as much text). Allocation is sampled by V8's heap profiler, every 4 KB on average, counting
// objects collected since: within a percent or two. The engine as it ships (dist/engine.js).
//
// node --import tsx --expose-gc bench/engine-memory.ts

type Engine = typeof import('../src/language');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { analyze, parse } = require(join(__dirname, '..', 'dist', 'engine.js')) as Engine;

const SHAPES = ['realistic file', 'one model, many layers', 'one line of layers', 'CRLF layers', 'many small models', 'many named models', 'lines of let', 'lines of junk'];

const gc = (globalThis as { gc?: () => void }).gc;

interface Cost {
  allocated: number;
  retained: number;
}

async function cost(session: Session, run: () => unknown): Promise<Cost> {
  run();
  run();
  gc!();
  gc!();
  const before = getHeapStatistics().used_heap_size;
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const kept = run();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let allocated = 0;
  const add = (node: typeof profile.head): void => {
    allocated += node.selfSize;
    for (const child of node.children) add(child);
  };
  add(profile.head);
  gc!();
  gc!();
  const retained = getHeapStatistics().used_heap_size - before;
  // Alive until measured.
  if (kept === undefined) throw new Error('nothing to measure');
  return { allocated, retained };
}

async function main(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
  console.log('Engine: heap cost of one full analysis of 1 MB, per shape (allocated: garbage included; kept: alive in its result)');
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const session = new Session();
  session.connect();
  const docs = pathologicalDocuments(1 << 20);
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const rows: string[][] = [];
  for (const name of SHAPES) {
    const text = docs.find((d) => d.name === name)!.text;
    const lines = text.split('\n');
    const json = JSON.stringify(lines);
    const full = await cost(session, () => analyze(text));
    const tree = await cost(session, () => parse(text));
    const plain = await cost(session, () => JSON.parse(json));
    rows.push([name, mb(full.allocated), mb(full.retained), mb(tree.allocated), mb(tree.retained), mb(plain.allocated), mb(plain.retained)]);
  }
  table(['shape (1 MB)', 'analysis: allocated', 'kept', 'parse alone: allocated', 'kept', 'JSON.parse of its lines: allocated', 'kept'], rows);
  session.disconnect();
  console.log(`\nload average at end: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
