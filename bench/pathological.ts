import { cpus } from 'node:os';
import { ensureBuilt } from '../test/unit/lsp-client';
import { freshServer } from './lib/freshServer';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, mainThreadCpu, ms, processMemory, table } from './lib/measure';

// The language server (the built dist/server.js over stdio, or IPC with --ipc, with the extension's V8 flags) on
// documents of about 1 MB built to make it do unbounded work (bench/lib/pathological.ts): a
// megabyte of junk or NUL bytes, 20,000 open braces, a string of spaces, one model of 100,000
// layers, ... For each: open → diagnostics (the analysis), every request kind once on that
// version (answered from the cached analysis; inlay hints and ranged semantic tokens for a
// screenful of lines, as editors ask), then one keystroke → diagnostics (a new analysis) and
// one keystroke → formatting (sent at once, so the new version's analysis is running: formatting
// needs the text alone and must not wait for it; with the server's CPU time from the edit to the
// answer), then a keystroke sent 50 ms into the analysis
// of the previous one → the diagnostics of the newer (the older is abandoned, not finished first).
// For each request the server's main-thread CPU time is read too (Linux's schedstat): on a
// shared machine the round trips swing several times with the load, the work much less.
// The plain alternative in the same run: the round trip of a request on an unknown document
// (no work: the protocol and the machine's load alone), and a fresh server's resident memory
// before any document. Last, a keystroke in the middle of the document and at once a hover
// there, which waits for the new version's analysis (incremental for an edit inside a model's
// braces, src/language/incremental.ts), a letter typed into the name a statement defines there
// and at once a hover, and on the long models a layer changed so that every later layer gets
// other shapes, and at once a hover. Each document gets a fresh server, so its peak
// resident memory (VmHWM, read from /proc before the server stops) is that document's alone.
//
// node --import tsx bench/pathological.ts [size-in-bytes] [part of a document's name] [--each] [--ipc] [--runs N]
// --each: also a table of every request's round trip and server CPU time on every document.
// --runs N: each document N times, each on a fresh server, then two tables: the worst of the N
// runs in each column and their median (a round trip with its server CPU is taken from one run).
// On two shared cores one run's first requests swing by tens of milliseconds with what else
// runs, and with where V8's collections fall: a bound is a claim about the worst of many.
// --ipc: the server over Node's IPC channel, as the VS Code extension runs it and with its initialization
// options (else stdio, as Neovim: semantic tokens of every kind, docs/editor.md).

const EACH = process.argv.includes('--each');
const IPC = process.argv.includes('--ipc');
const RUNS_AT = process.argv.indexOf('--runs');
const RUNS = RUNS_AT > 0 ? Math.max(1, Number(process.argv[RUNS_AT + 1]) || 1) : 1;
const ARGS = process.argv.slice(2).filter((a, i, all) => a !== '--each' && a !== '--ipc' && a !== '--runs' && all[i - 1] !== '--runs');
const SIZE = Number(ARGS[0]) || 1 << 20;
const ONLY = ARGS[1] ?? '';

/** The LSP position of an offset (line breaks: LF, CRLF or CR). */
function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

async function roundTrip(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A time with what it belongs to: a round trip and the server's CPU in it, or a request's name. */
type Timed = [ms: number, cpu: number | string];

/** What one fresh server did with one document (times in ms); `name` and `shapes` only where the document has such a place. */
interface Run {
  diagnostics: number;
  open: number;
  slowest: Timed;
  busiest: Timed;
  baseline: number;
  editDiagnostics: number;
  editFormat: Timed;
  editDuringAnalysis: number;
  editHover: Timed;
  editName?: Timed;
  editShapes?: Timed;
  idle: number;
  peak: number;
  /** Every request on the cached analysis: its kind, then round trip / server CPU. */
  each: [kind: string, cell: string][];
}

async function main(): Promise<void> {
  ensureBuilt();
  console.log(`Language server on pathological documents of ${(SIZE / 1024).toFixed(0)} KB: round trips (ms) over ${IPC ? 'IPC' : 'stdio'}${RUNS > 1 ? `, ${RUNS} runs of each on fresh servers` : ''}`);
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const worstRows: string[][] = [];
  const medianRows: string[][] = [];
  const eachRows: string[][] = [];
  let kinds: string[] = [];
  let worst = 0;
  let worstCpu = 0;
  let worstPeak = 0;
  let idle = 0;
  let n = 0;
  for (const { name, text } of pathologicalDocuments(SIZE).filter((d) => d.name.includes(ONLY))) {
    const runs: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      const run = await measure(name, text, `file:///bench/pathological-${n++}.seqmodel`);
      runs.push(run);
      eachRows.push([RUNS > 1 ? `${name} (${r + 1})` : name, ...run.each.map(([, cell]) => cell)]);
      kinds = run.each.map(([kind]) => kind);
      worst = Math.max(worst, run.slowest[0]);
      worstCpu = Math.max(worstCpu, run.busiest[0]);
      worstPeak = Math.max(worstPeak, run.peak);
      idle = Math.max(idle, run.idle);
    }
    worstRows.push(row(name, runs, (values) => values[values.length - 1]));
    medianRows.push(row(name, runs, (values) => values[(values.length - 1) >> 1]));
  }
  const header = ['document', 'diagnostics', 'open → diagnostics', 'slowest request', 'most server CPU', 'no-work request', 'edit → diagnostics', 'edit → formatting (server CPU)', 'edit during an analysis → its diagnostics', 'edit mid-document → hover (server CPU)', 'name typed mid-document → hover (server CPU)', 'every later shape changed → hover (server CPU)', 'server peak RSS'];
  if (RUNS > 1) console.log(`The worst of ${RUNS} runs in each column:`);
  table(header, worstRows);
  if (RUNS > 1) {
    console.log(`\nThe median of ${RUNS} runs in each column:`);
    table(header, medianRows);
  }
  if (EACH) {
    console.log('\nEvery request on a cached analysis: round trip / server CPU (ms); completion twice: mid-document, then at the end');
    table(['document', ...kinds], eachRows);
  }
  console.log(`\nslowest request on a cached analysis: ${ms(worst)}; most server CPU time for one: ${ms(worstCpu)}; highest server peak resident memory (VmHWM): ${worstPeak.toFixed(0)} MB (a fresh server, initialized, no document: ${idle.toFixed(0)} MB)`);
  console.log(`load average at end: ${loadAverage()}`);
}

/** A table row of one document's runs: in each column the value `pick` takes from the runs' values in ascending order (a timed cell sorted by its time, with its own run's CPU or name). */
function row(name: string, runs: Run[], pick: <T>(sorted: T[]) => T): string[] {
  const num = (f: (r: Run) => number) => pick(runs.map(f).sort((a, b) => a - b));
  const timed = (f: (r: Run) => Timed | undefined) => {
    const values = runs.map(f).filter((t): t is Timed => t !== undefined);
    if (values.length === 0) return '–';
    const [t, with_] = pick(values.sort((a, b) => a[0] - b[0]));
    return `${ms(t)} (${typeof with_ === 'number' ? ms(with_) : with_})`;
  };
  return [name, String(num((r) => r.diagnostics)), ms(num((r) => r.open)), timed((r) => r.slowest), timed((r) => r.busiest), ms(num((r) => r.baseline)), ms(num((r) => r.editDiagnostics)), timed((r) => r.editFormat), ms(num((r) => r.editDuringAnalysis)), timed((r) => r.editHover), timed((r) => r.editName), timed((r) => r.editShapes), `${num((r) => r.peak).toFixed(0)} MB`];
}

/** Opens document `docName` (`text`) on a fresh server and runs the steps above, in order. */
async function measure(docName: string, text: string, uri: string): Promise<Run> {
  const client = await freshServer(IPC);
  const pid = client.child.pid!;
  const idle = processMemory(pid).peak;
  const textDocument = { uri };
  const lines = text.split(/\r\n|\r|\n/);
  const last = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const middle = { line: Math.floor(lines.length / 2), character: Math.floor(lines[Math.floor(lines.length / 2)].length / 2) };
  const whole = { start: { line: 0, character: 0 }, end: last };
  const screen = { start: middle, end: { line: middle.line + 60, character: 0 } };
  const opened = client.nextDiagnostics(uri, 1, 600000);
  const t0 = performance.now();
  client.open(uri, text, 1);
  const published = await opened;
  const open = performance.now() - t0;

  const requests: [string, unknown][] = [
    ['textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }],
    ['textDocument/semanticTokens/full', { textDocument }],
    ['textDocument/semanticTokens/range', { textDocument, range: screen }],
    ['textDocument/documentSymbol', { textDocument }],
    ['textDocument/foldingRange', { textDocument }],
    ['textDocument/inlayHint', { textDocument, range: screen }],
    ['textDocument/codeLens', { textDocument }],
    ['textDocument/codeAction', { textDocument, range: whole, context: { diagnostics: [] } }],
    ['textDocument/hover', { textDocument, position: middle }],
    ['textDocument/completion', { textDocument, position: middle }],
    ['textDocument/completion', { textDocument, position: last }],
    ['textDocument/signatureHelp', { textDocument, position: middle }],
    ['textDocument/documentHighlight', { textDocument, position: middle }],
    ['textDocument/references', { textDocument, position: middle, context: { includeDeclaration: true } }],
  ];
  let slowest = 0;
  let slowestName = '';
  let busiest = 0;
  let busiestName = '';
  const each: [string, string][] = [];
  for (const [method, params] of requests) {
    const c0 = mainThreadCpu(pid);
    const t = await roundTrip(() => client.request(method, params));
    const cpu = mainThreadCpu(pid) - c0;
    if (t > slowest) [slowest, slowestName] = [t, method.replace('textDocument/', '')];
    if (cpu > busiest) [busiest, busiestName] = [cpu, method.replace('textDocument/', '')];
    each.push([method.replace('textDocument/', ''), `${t.toFixed(0)} / ${cpu.toFixed(0)}`]);
  }
  const edited = client.nextDiagnostics(uri, 2, 600000);
  const editDiagnostics = await roundTrip(async () => {
    client.change(uri, 2, [{ range: { start: last, end: last }, text: ' ' }]);
    await edited;
  });
  const formatCpu0 = mainThreadCpu(pid);
  const editFormat = await roundTrip(async () => {
    client.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
    await client.request('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } });
  });
  // The edit itself, the formatting and its answer, and whatever of the new version's analysis ran meanwhile.
  const editFormatCpu = mainThreadCpu(pid) - formatCpu0;
  const superseded = client.nextDiagnostics(uri, 5, 600000);
  client.change(uri, 4, [{ range: { start: last, end: last }, text: ' ' }]);
  // Long enough for the analysis of version 4 to be under way when version 5 arrives.
  await new Promise((r) => setTimeout(r, 50));
  const editDuringAnalysis = await roundTrip(async () => {
    client.change(uri, 5, [{ range: { start: last, end: last }, text: ' ' }]);
    await superseded;
  });
  // A keystroke in the middle of the document (a space at the start of a line or after a `;`:
  // inside a model's braces on the layer shapes), then at once a hover there: it waits for the
  // analysis of the new version, incremental when the edit is inside a model.
  const cut = Math.max(text.lastIndexOf('\n', text.length >> 1), text.lastIndexOf(';', text.length >> 1)) + 1;
  const at = positionOf(text, cut);
  const hoverCpu0 = mainThreadCpu(pid);
  const editHover = await roundTrip(async () => {
    client.change(uri, 6, [{ range: { start: at, end: at }, text: ' ' }]);
    await client.request('textDocument/hover', { textDocument, position: { line: at.line, character: at.character + 3 } });
  });
  const editHoverCpu = mainThreadCpu(pid) - hoverCpu0;
  // Then a letter typed before the name of the first statement after the middle that defines
  // one (`model ` or `let ` at a line's start), and at once a hover there: a name typed among
  // the statements (src/language/statementPass.ts). Not on the documents without such a line.
  // The text as the edits above left it: a space at its start, one at `cut` and three at its end.
  let current = ' ' + text.slice(0, cut) + ' ' + text.slice(cut) + '   ';
  const defines = [text.indexOf('\nmodel ', cut), text.indexOf('\nlet ', cut)].filter((i) => i >= 0);
  let editName: Timed | undefined;
  if (defines.length > 0) {
    const start = Math.min(...defines) + 1;
    const name = text.indexOf(' ', start) + 1 + 2;
    const p = positionOf(current, name);
    const nameCpu0 = mainThreadCpu(pid);
    const t = await roundTrip(async () => {
      client.change(uri, 7, [{ range: { start: p, end: p }, text: 'z' }]);
      await client.request('textDocument/hover', { textDocument, position: p });
    });
    editName = [t, mainThreadCpu(pid) - nameCpu0];
    current = current.slice(0, name) + 'z' + current.slice(name);
  }
  // Last, on the models of `Dense(1)` layers on (None, 3, 1): the first such layer after the
  // middle replaced by `LSTM(4)` in one edit, and at once a hover at the last layer. Every later
  // layer then gets other shapes ((None, 4), then (None, 1)), so the analysis walks half the
  // model again: the slowest keystroke of a long model (bench/incremental.ts measures it in one
  // process). Not on the documents without such a model.
  let editShapes: Timed | undefined;
  const layer = docName.includes('layers') ? text.indexOf('Dense(1)', cut) : -1;
  if (layer >= 0) {
    const from = current.indexOf('Dense(1)', cut + 1);
    const range = { start: positionOf(current, from), end: positionOf(current, from + 'Dense(1)'.length) };
    const lastLayer = positionOf(current, current.lastIndexOf('Dense(1)'));
    const shapesCpu0 = mainThreadCpu(pid);
    const t = await roundTrip(async () => {
      client.change(uri, 8, [{ range, text: 'LSTM(4)' }]);
      await client.request('textDocument/hover', { textDocument, position: { line: lastLayer.line, character: lastLayer.character + 2 } });
    });
    editShapes = [t, mainThreadCpu(pid) - shapesCpu0];
  }
  const baseline = await roundTrip(() => client.request('textDocument/hover', { textDocument: { uri: 'file:///bench/unknown.seqmodel' }, position: middle }));
  client.notify('textDocument/didClose', { textDocument });
  const mem = processMemory(pid);
  await client.stop();
  return {
    diagnostics: published.diagnostics.length,
    open,
    slowest: [slowest, slowestName],
    busiest: [busiest, busiestName],
    baseline,
    editDiagnostics,
    editFormat: [editFormat, editFormatCpu],
    editDuringAnalysis,
    editHover: [editHover, editHoverCpu],
    editName,
    editShapes,
    idle,
    peak: mem.peak,
    each,
  };
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
