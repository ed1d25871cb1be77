import { cpus, loadavg } from 'node:os';
import { analysisSteps, analyze, runSteps, type Analysis } from '../src/language';
import { pathologicalDocuments } from './lib/pathological';
import { ms, table } from './lib/measure';

// The analysis after a keystroke in a document that is one statement of a megabyte (a long
// sum, `[` repeated, nested parentheses, a line of identifiers, backslashes: the pathological
// bench's shapes), built on the analysis before it (src/language/incremental.ts), against a
// fresh analysis of the same text: CPU time (process.cpuUsage) in one process. The statement
// holds the whole text, so an edit parses it again whole; what this measures is that it is
// read once, and how long that takes. Each result is checked equal to a fresh analysis's
// diagnostics.
//
// node --import tsx --expose-gc bench/one-statement.ts [size-in-bytes] [part of a document's name]

const SIZE = Number(process.argv[2]) || 1 << 20;
const ONLY = process.argv[3] ?? '';
const SHAPES = ['long sum', '[ repeated', 'nested ( )', 'identifiers', 'backslashes'];
const EDITS = 12;

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median CPU time of EDITS keystrokes made by `edit`, each analysed on the last analysis; the last checked against a fresh one. */
function keystrokes(text: string, analysis: Analysis, edit: (text: string, i: number) => string): { text: string; analysis: Analysis; median: number } {
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    gc();
    const next = edit(text, i);
    const t0 = cpu();
    analysis = runSteps(analysisSteps(next, analysis));
    times.push(cpu() - t0);
    text = next;
  }
  const fresh = JSON.stringify(analyze(text).diagnostics);
  if (JSON.stringify(analysis.diagnostics) !== fresh) throw new Error('the incremental analysis differs from a fresh one');
  return { text, analysis, median: median(times) };
}

console.log(`Keystrokes in one statement of ${(SIZE / 1024).toFixed(0)} KB: CPU ms of the analysis (median of ${EDITS})`);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores\n`);
const rows: string[][] = [];
for (const d of pathologicalDocuments(SIZE)) {
  if (!SHAPES.includes(d.name) || !d.name.includes(ONLY)) continue;
  const first = analyze(d.text);
  // Typing at the end: ` 1` and a space in turn; then a space typed in the middle.
  const atEnd = keystrokes(d.text, first, (t, i) => t + (i % 2 ? ' ' : ' 1'));
  const inMiddle = keystrokes(atEnd.text, atEnd.analysis, (t) => t.slice(0, t.length >> 1) + ' ' + t.slice(t.length >> 1));
  const fresh: number[] = [];
  for (let i = 0; i < 3; i++) {
    gc();
    const t0 = cpu();
    analyze(inMiddle.text);
    fresh.push(cpu() - t0);
  }
  rows.push([d.name, ms(atEnd.median), ms(inMiddle.median), ms(median(fresh))]);
}
table(['document', 'typing at the end', 'a space in the middle', 'fresh analysis'], rows);
console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
