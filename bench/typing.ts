import { cpus } from 'node:os';
import type { Position } from '../src/language';
import { ensureBuilt } from '../test/unit/lsp-client';
import { freshServer } from './lib/freshServer';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, ms, processMemory, table } from './lib/measure';

// The language server while someone types on and on in the middle of a megabyte: 1,500
// keystrokes, each sent as soon as the server has answered the one before (faster than anyone
// types, so the garbage of each keystroke's analysis piles up as fast as it can), each
// followed by a hover at the cursor, as an editor asks while the mouse rests there.
// bench/pathological.ts times one edit of each kind on a fresh server; here the keystrokes go on
// until V8 has had to make full collections, whose pauses fall on some keystroke's answers.
// Per shape: the slowest keystroke → its diagnostics and → the hover after it, the 99th
// percentile and the median of each, and the server's peak resident memory (VmHWM).
//
// node --import tsx bench/typing.ts [keystrokes] [--ipc]

const IPC = process.argv.includes('--ipc');
const KEYSTROKES = Number(process.argv.slice(2).find((a) => !a.startsWith('--'))) || 1500;

/**
 * The shapes typed in, and what is typed (letter by letter, each line break the document's own)
 * again and again from the middle line on: what belongs there, whole statements or layers.
 */
const TYPED: [shape: string, block: string][] = [
  ['realistic file', 'let typed = 3\n'],
  ['one model, many layers', '  LSTM(8, return_sequences=True)\n'],
  ['CRLF layers', '  Dense(16)\n'],
  ['many small models', 'model typed {\n  LSTM(8)\n}\n'],
  ['lines of let', 'let y = x1 + 2\n'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function main(): Promise<void> {
  ensureBuilt();
  console.log(`Language server, ${KEYSTROKES} keystrokes typed in the middle of 1 MB, each with a hover, over ${IPC ? 'IPC' : 'stdio'}`);
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const docs = pathologicalDocuments(1 << 20);
  const rows: string[][] = [];
  for (const [shape, block] of TYPED) {
    const text = docs.find((d) => d.name === shape)!.text;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const client = await freshServer(IPC);
    const uri = 'file:///bench/typed.seqmodel';
    const textDocument = { uri };
    const opened = client.nextDiagnostics(uri, 1, 600000);
    client.open(uri, text, 1);
    await opened;
    const middle = Math.floor(text.split(eol).length / 2);
    let at: Position = { line: middle, character: 0 };
    const diagnosed: number[] = [];
    const hovered: number[] = [];
    const keys = block.split('\n').flatMap((l, i, lines) => (i < lines.length - 1 ? [...l, eol] : [...l]));
    for (let k = 0; k < KEYSTROKES; k++) {
      const version = k + 2;
      const key = keys[k % keys.length];
      const analysed = client.nextDiagnostics(uri, version, 600000);
      const t0 = performance.now();
      client.change(uri, version, [{ range: { start: at, end: at }, text: key }]);
      at = key === eol ? { line: at.line + 1, character: 0 } : { line: at.line, character: at.character + key.length };
      const hover = client.request('textDocument/hover', { textDocument, position: at }).then(() => hovered.push(performance.now() - t0));
      await analysed;
      diagnosed.push(performance.now() - t0);
      await hover;
    }
    const memory = processMemory(client.child.pid!);
    await client.stop();
    const d = [...diagnosed].sort((a, b) => a - b);
    const h = [...hovered].sort((a, b) => a - b);
    rows.push([shape, ms(d[d.length - 1]), ms(percentile(d, 99)), ms(percentile(d, 50)), ms(h[h.length - 1]), ms(percentile(h, 99)), ms(percentile(h, 50)), `${memory.peak.toFixed(0)} MB`]);
  }
  table(['document', 'keystroke → diagnostics: slowest', '99th percentile', 'median', 'keystroke → hover: slowest', '99th percentile', 'median', 'server peak RSS'], rows);
  console.log(`\nload average at end: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
