import { cpus } from 'node:os';
import { analyze } from '../src/language';
import { ensureBuilt, LspClient } from '../test/unit/lsp-client';
import { generate } from './lib/generate';
import { loadAverage, ms, table, time } from './lib/measure';

// The language server as an editor sees it: round trips over the protocol (JSON-RPC on the
// stdio of the real dist/server.js) for hover, inlay hints and diagnostics on generated files
// of 100, 1,000 and 10,000 lines, next to the plain engine analysis of the same text measured
// in this process. Hover and inlay hints are answered from the analysis of the current version;
// "after an edit" figures include the analysis of the edited version (incremental after a
// keystroke, src/language/incremental.ts). Diagnostics are measured with
// the debounce set to 0 (the editor default adds 150 ms after the last keystroke).

interface Sample {
  median: number;
  p90: number;
}

function stats(samples: number[]): Sample {
  const s = [...samples].sort((x, y) => x - y);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}

async function timed(fn: () => Promise<unknown>, runs: number, warmup = 3): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

function positionOf(text: string, needle: string, from: number): { line: number; character: number } {
  const i = text.indexOf(needle, from);
  const before = text.slice(0, i + 1).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function main(): Promise<void> {
  ensureBuilt();
  console.log('Language server over stdio: median / p90 of round trips (ms), engine analysis in-process for comparison');
  // Round trips are wall-clock times: on a busy machine they grow with the load, so print it.
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const rows: string[][] = [];
  for (const lines of [100, 1000, 10000]) {
    const text = generate(lines);
    const lineCount = text.split('\n').length;
    const engine = time(() => analyze(text), { runs: lines >= 10000 ? 15 : 30 });

    const client = LspClient.start('server');
    await client.initialize({ diagnosticDelayMs: 0 });
    const uri = `file:///bench/${lines}.seqmodel`;
    const t0 = performance.now();
    const first = client.nextDiagnostics(uri, 1, 60000);
    client.open(uri, text, 1);
    await first;
    const openToDiagnostics = performance.now() - t0;

    // The middle of the file: an LSTM of a middle block, and a screenful of lines around it.
    const middle = Math.floor(text.length / 2);
    const lstm = positionOf(text, 'LSTM(units', middle);
    const viewport = { start: { line: Math.max(0, lstm.line - 30), character: 0 }, end: { line: lstm.line + 30, character: 0 } };
    const hover = await timed(() => client.request('textDocument/hover', { textDocument: { uri }, position: lstm }), 30);
    const hints = await timed(() => client.request('textDocument/inlayHint', { textDocument: { uri }, range: viewport }), 30);
    const allHints = await timed(() => client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } } }), 10);

    // Edits: type one character in a comment in the middle, then measure until the server has
    // published that version's diagnostics, or answered a hover on it.
    let version = 1;
    const comment = positionOf(text, '# block', middle);
    const edit = () => {
      version++;
      const at = { line: comment.line, character: 1 };
      client.change(uri, version, [{ range: { start: at, end: at }, text: version % 2 ? ' ' : '' }]);
      return version;
    };
    const diagnostics = await timed(async () => {
      const v = edit();
      await client.nextDiagnostics(uri, v, 60000);
    }, lines >= 10000 ? 10 : 20);
    const hoverAfterEdit = await timed(async () => {
      edit();
      await client.request('textDocument/hover', { textDocument: { uri }, position: lstm });
    }, lines >= 10000 ? 10 : 20);
    await client.stop();

    rows.push([
      `${lineCount} lines`,
      ms(engine.median),
      `${ms(hover.median)} / ${ms(hover.p90)}`,
      `${ms(hints.median)} / ${ms(hints.p90)}`,
      `${ms(allHints.median)}`,
      `${ms(diagnostics.median)} / ${ms(diagnostics.p90)}`,
      `${ms(hoverAfterEdit.median)}`,
      ms(openToDiagnostics),
    ]);
  }
  table(['file', 'engine analyze', 'hover', 'inlay hints (60 lines)', 'inlay hints (file)', 'edit → diagnostics', 'edit → hover', 'open → diagnostics'], rows);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
