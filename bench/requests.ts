import { cpus } from 'node:os';
import { analyze } from '../src/language';
import { codeLenses } from '../src/server/codeLens';
import { completions } from '../src/server/completion';
import { foldingRanges } from '../src/server/folding';
import { formatDocument } from '../src/server/formatting';
import { hover } from '../src/server/hover';
import { inlayHints } from '../src/server/inlayHints';
import { semanticTokens } from '../src/server/semanticTokens';
import { documentSymbols } from '../src/server/symbols';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, ms, table, time } from './lib/measure';

// The request handlers' own work on the pathological documents of bench/pathological.ts, in
// this process: each request on the document's analysis (made once, not timed), its answer
// serialized to JSON as the server sends it. The figure is the median CPU time of a few runs:
// on a machine shared with other builds the wall time of the stdio benchmark swings several
// times with the load, the CPU time of the work much less. The editor's round trip adds the
// protocol (the stdio benchmark's "no-work request" column) and the transfer.
//
// node --import tsx bench/requests.ts [size-in-bytes] [part of a document's name]

const SIZE = Number(process.argv[2]) || 1 << 20;
const ONLY = process.argv[3] ?? '';

function main(): void {
  console.log(`Request handlers on pathological documents of ${(SIZE / 1024).toFixed(0)} KB: median CPU time (ms) of the work and its JSON`);
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const kinds = ['formatting', 'semanticTokens/full', 'semanticTokens/range', 'inlayHint', 'foldingRange', 'documentSymbol', 'codeLens', 'hover', 'completion'];
  const rows: string[][] = [];
  let worst = 0;
  let worstAt = '';
  for (const { name, text } of pathologicalDocuments(SIZE).filter((d) => d.name.includes(ONLY))) {
    const a = analyze(text);
    const lines = text.split(/\r\n|\r|\n/);
    const m = Math.floor(lines.length / 2);
    const middle = a.lines.offsetAt({ line: m, character: Math.floor(lines[m].length / 2) });
    // A screenful of lines from the middle, as an editor asks for hints and ranged tokens.
    const screen = { start: middle, end: a.lines.offsetAt({ line: m + 60, character: 0 }) };
    const work: Record<string, () => unknown> = {
      formatting: () => formatDocument(text),
      'semanticTokens/full': () => semanticTokens(a),
      'semanticTokens/range': () => semanticTokens(a, screen),
      inlayHint: () => inlayHints(a, screen, { shapes: true, params: true }),
      foldingRange: () => foldingRanges(a),
      documentSymbol: () => documentSymbols(a),
      codeLens: () => codeLenses(a, 'file:///bench.seqmodel'),
      hover: () => hover(a, middle),
      completion: () => completions(a, middle, { snippets: true }),
    };
    const cpu = kinds.map((k) => time(() => JSON.stringify(work[k]()), { runs: 3, warmup: 1 }).cpu);
    const slowest = cpu.indexOf(Math.max(...cpu));
    if (cpu[slowest] > worst) [worst, worstAt] = [cpu[slowest], `${name}, ${kinds[slowest]}`];
    rows.push([name, `${ms(cpu[slowest])} (${kinds[slowest]})`, ...cpu.map(ms)]);
  }
  table(['document', 'slowest', ...kinds], rows);
  console.log(`\nslowest request's work: ${ms(worst)} (${worstAt})`);
  console.log(`load average at end: ${loadAverage()}`);
}

main();
