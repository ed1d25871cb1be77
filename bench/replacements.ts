import { cpus } from 'node:os';
import { ensureBuilt } from '../test/unit/lsp-client';
import { freshServer } from './lib/freshServer';
import { pathologicalDocuments } from './lib/pathological';
import { loadAverage, ms, processMemory, table } from './lib/measure';

// The language server when a document's whole text is replaced by another megabyte again and
// again (a file pasted over, a branch checked out): every version a full analysis, since the
// texts share nothing, and each version's semantic tokens asked at once, as an editor does.
// bench/pathological.ts opens each shape once; here the heap churns through many analyses.
// Per pair of shapes (bench/lib/pathological.ts), alternated on one fresh server: the server's
// peak resident memory (VmHWM), its resident memory right after the last version and after
// some quiet (src/server/idleCollection.ts collects then), and the slowest semantic tokens.
//
// node --import tsx bench/replacements.ts [versions] [--ipc]

const IPC = process.argv.includes('--ipc');
const VERSIONS = Number(process.argv.slice(2).find((a) => !a.startsWith('--'))) || 30;
const PAIRS = [
  ['realistic file', 'one model, many layers'],
  ['one line of layers', 'many named models'],
  ['many small models', 'CRLF layers'],
];
/** Longer than the server's quiet before it collects (QUIET_MS). */
const QUIET_MS = 5000;

async function main(): Promise<void> {
  ensureBuilt();
  console.log(`Language server, a document's whole text replaced ${VERSIONS} times by another shape of 1 MB, over ${IPC ? 'IPC' : 'stdio'}`);
  console.log(`load average at start: ${loadAverage()} on ${cpus().length} cores\n`);
  const docs = pathologicalDocuments(1 << 20);
  const rows: string[][] = [];
  for (const pair of PAIRS) {
    const texts = pair.map((name) => docs.find((d) => d.name === name)!.text);
    const client = await freshServer(IPC);
    const pid = client.child.pid!;
    const uri = 'file:///bench/replaced.seqmodel';
    const textDocument = { uri };
    const opened = client.nextDiagnostics(uri, 1, 600000);
    client.open(uri, texts[0], 1);
    await opened;
    let slowest = 0;
    let analysis = 0;
    for (let v = 2; v < VERSIONS + 2; v++) {
      const analysed = client.nextDiagnostics(uri, v, 600000);
      const t0 = performance.now();
      client.change(uri, v, [{ text: texts[(v - 1) % texts.length] }]);
      await analysed;
      analysis = Math.max(analysis, performance.now() - t0);
      const t1 = performance.now();
      await client.request('textDocument/semanticTokens/full', { textDocument });
      slowest = Math.max(slowest, performance.now() - t1);
    }
    const after = processMemory(pid);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const quiet = processMemory(pid);
    await client.stop();
    rows.push([pair.join(' / '), ms(analysis), ms(slowest), `${after.peak.toFixed(0)} MB`, `${after.rss.toFixed(0)} MB`, `${quiet.rss.toFixed(0)} MB`]);
  }
  table(['shapes alternated', 'slowest version → diagnostics', 'slowest semanticTokens/full', 'server peak RSS', 'RSS after the last version', `RSS after ${QUIET_MS / 1000} s of quiet`], rows);
  console.log(`\nload average at end: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
