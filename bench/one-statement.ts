import { cpus } from 'node:os';
import { analysisSteps, analyze, type Analysis } from '../src/language';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, ms, table } from './lib/measure';

// The analysis after a keystroke in a document that is one statement of a megabyte (a long
// sum, `[` repeated, nested parentheses, a line of identifiers, backslashes: the pathological
// bench's shapes), built on the analysis before it (src/language/incremental.ts), against a
// fresh analysis of the same text: CPU time (process.cpuUsage) in one process. The statement
// holds the whole text, so an edit parses it again whole, over its tokens kept from the last
// analysis and lexed again only around the edit (src/language/relex.ts); the longest step is
// the most the analysis holds a language server at once (it runs one step per slice). Each
// result is checked equal to a fresh analysis's diagnostics.
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

/** Runs an analysis's steps to the end; its result and the CPU time of its longest step. */
function stepped(steps: ReturnType<typeof analysisSteps>): { analysis: Analysis; longest: number } {
  let longest = 0;
  for (;;) {
    const t0 = cpu();
    const r = steps.next();
    longest = Math.max(longest, cpu() - t0);
    if (r.done) return { analysis: r.value, longest };
  }
}

/** Median CPU time (and longest step) of EDITS keystrokes made by `edit`, each analysed on the last analysis; the last checked against a fresh one. */
function keystrokes(text: string, analysis: Analysis, edit: (text: string, i: number) => string): { text: string; analysis: Analysis; median: number; step: number } {
  const times: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    gc();
    const next = edit(text, i);
    const t0 = cpu();
    const r = stepped(analysisSteps(next, analysis));
    times.push(cpu() - t0);
    steps.push(r.longest);
    analysis = r.analysis;
    text = next;
  }
  const fresh = JSON.stringify(analyze(text).diagnostics);
  if (JSON.stringify(analysis.diagnostics) !== fresh) throw new Error('the incremental analysis differs from a fresh one');
  return { text, analysis, median: median(times), step: median(steps) };
}

console.log(`Keystrokes in one statement of ${(SIZE / 1024).toFixed(0)} KB: CPU ms of the analysis (median of ${EDITS})`);
console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
const rows: string[][] = [];
for (const d of pathologicalDocuments(SIZE)) {
  if (!SHAPES.includes(d.name) || !d.name.includes(ONLY)) continue;
  const first = analyze(d.text);
  // Typing at the end: ` 1` and a space in turn; then a space typed in the middle.
  const atEnd = keystrokes(d.text, first, (t, i) => t + (i % 2 ? ' ' : ' 1'));
  const inMiddle = keystrokes(atEnd.text, atEnd.analysis, (t) => t.slice(0, t.length >> 1) + ' ' + t.slice(t.length >> 1));
  const fresh: number[] = [];
  const freshSteps: number[] = [];
  for (let i = 0; i < 3; i++) {
    gc();
    const t0 = cpu();
    freshSteps.push(stepped(analysisSteps(inMiddle.text)).longest);
    fresh.push(cpu() - t0);
  }
  rows.push([d.name, `${ms(atEnd.median)} (${ms(atEnd.step)})`, `${ms(inMiddle.median)} (${ms(inMiddle.step)})`, `${ms(median(fresh))} (${ms(median(freshSteps))})`]);
}
table(['document', 'typing at the end (longest step)', 'a space in the middle (longest step)', 'fresh analysis (longest step)'], rows);
console.log(`\nload average at end: ${loadAverage()}`);
