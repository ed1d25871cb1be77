// Before/after for a fresh server's FIRST requests on a 1 MB document: two server bundles (this
// checkout's dist/server.js and another, e.g. main's, copied aside after `npm run build` there),
// each started fresh per run with the extension's V8 flags, alternating run after run so that
// both see the same load. Each run opens the shape, waits for its diagnostics, then sends the
// requests in bench/pathological.ts's order (formatting, semanticTokens/full, a screenful's
// semanticTokens/range, documentSymbol, foldingRange, codeLens), and reads the server's
// main-thread CPU (Linux's schedstat: V8's compiler and GC helper threads left out) around each.
// The figures are medians; the round trips swing with the load, the CPU much less.
//
// Not in `npm run bench` (bench/run.ts runs the top-level files only). Run:
//   node --import tsx bench/ab/first-requests.ts --base /tmp/before/server.js [--pairs 5] [--only "realistic"] [--ipc] [--flags "--always-sparkplug"]
// --ipc: over Node's IPC channel with the extension's initialization (semantic tokens without
// what the grammar colours), else stdio with every token kind. --flags: extra V8 flags for the
// servers of THIS checkout only (a flag A/B against the same base bundle).
import { fork, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ENGINE_V8_FLAGS } from '../../src/server/engineProcess';
import { ensureBuilt, LspClient, ROOT } from '../../test/unit/lsp-client';
import { pathologicalDocuments } from '../lib/pathological';
import { mainThreadCpu, processMemory, table } from '../lib/measure';
import { arg } from '../lib/args';

const REQUESTS = ['formatting', 'semanticTokens/full', 'semanticTokens/range', 'documentSymbol', 'foldingRange', 'codeLens'] as const;

interface Run {
  open: number;
  /** Per request of REQUESTS: server main-thread CPU and round trip, ms. */
  cpu: number[];
  trip: number[];
  peak: number;
}

function start(bundle: string, flags: readonly string[], ipc: boolean): LspClient {
  const execArgv = [...ENGINE_V8_FLAGS, ...flags];
  if (ipc) return new LspClient(fork(bundle, ['--node-ipc'], { cwd: ROOT, execArgv, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] }), 'ipc');
  return new LspClient(spawn(process.execPath, [...execArgv, bundle, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
}

async function run(bundle: string, flags: readonly string[], text: string, ipc: boolean): Promise<Run> {
  const client = start(bundle, flags, ipc);
  await client.initialize({ diagnosticDelayMs: 0, grammar: ipc });
  const pid = client.child.pid!;
  const uri = 'file:///bench/first.seqmodel';
  const textDocument = { uri };
  const lines = text.split(/\r\n|\r|\n/);
  const middle = Math.floor(lines.length / 2);
  const screen = { start: { line: middle, character: 0 }, end: { line: middle + 60, character: 0 } };
  const params: Record<(typeof REQUESTS)[number], unknown> = {
    formatting: { textDocument, options: { tabSize: 2, insertSpaces: true } },
    'semanticTokens/full': { textDocument },
    'semanticTokens/range': { textDocument, range: screen },
    documentSymbol: { textDocument },
    foldingRange: { textDocument },
    codeLens: { textDocument },
  };
  const opened = client.nextDiagnostics(uri, 1, 600000);
  const o0 = mainThreadCpu(pid);
  client.open(uri, text, 1);
  await opened;
  const open = mainThreadCpu(pid) - o0;
  const cpu: number[] = [];
  const trip: number[] = [];
  for (const method of REQUESTS) {
    const c0 = mainThreadCpu(pid);
    const t0 = performance.now();
    await client.request(`textDocument/${method}`, params[method]);
    trip.push(performance.now() - t0);
    cpu.push(mainThreadCpu(pid) - c0);
  }
  const peak = processMemory(pid).peak;
  await client.stop();
  return { open, cpu, trip, peak };
}

async function main(): Promise<void> {
  const base = arg('base', '');
  if (!base) throw new Error('--base <another server bundle> is required');
  const pairs = Number(arg('pairs', '5'));
  const only = arg('only', '');
  const flags = arg('flags', '').split(' ').filter(Boolean);
  const ipc = process.argv.includes('--ipc');
  ensureBuilt();
  const here = join(ROOT, 'dist', 'server.js');
  const shapes = ['realistic file', 'CRLF layers', 'one model, many layers', 'lines of let', 'many small models', 'many named models', 'one line of layers'].filter((s) => s.includes(only));
  const docs = pathologicalDocuments(1 << 20);
  console.log(`A fresh server's first requests over ${ipc ? 'IPC' : 'stdio'}: server main-thread CPU (round trip), ms, median of ${pairs}; base ${base}${flags.length ? `; this checkout with ${flags.join(' ')}` : ''}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const rows: string[][] = [];
  for (const shape of shapes) {
    const text = docs.find((d) => d.name === shape)!.text;
    const runs: Record<'base' | 'here', Run[]> = { base: [], here: [] };
    for (let p = 0; p < pairs; p++) {
      // Which goes first alternates too: the second of a pair starts on a machine the first just left.
      const order = p % 2 === 0 ? (['base', 'here'] as const) : (['here', 'base'] as const);
      for (const which of order) runs[which].push(await run(which === 'base' ? base : here, which === 'base' ? [] : flags, text, ipc));
    }
    for (const which of ['base', 'here'] as const) {
      const rs = runs[which];
      const cells = REQUESTS.map((_, i) => `${median(rs.map((r) => r.cpu[i])).toFixed(0)} (${median(rs.map((r) => r.trip[i])).toFixed(0)})`);
      const spread = (i: number) => rs.map((r) => r.cpu[i].toFixed(0)).join(' ');
      rows.push([`${shape}: ${which}`, median(rs.map((r) => r.open)).toFixed(0), ...cells, `${spread(1)} | ${spread(3)}`, `${Math.max(...rs.map((r) => r.peak)).toFixed(0)} MB`]);
    }
  }
  table(['document: server', 'open CPU', ...REQUESTS, 'each run: semanticTokens/full | documentSymbol CPU', 'peak RSS (max)'], rows);
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
