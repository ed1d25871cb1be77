// Before/after on a busy machine for semanticTokens/full of the pathological shapes: this
// checkout's server code against another checkout's (`git worktree add /tmp/before <commit>`,
// then `npm ci` or a node_modules symlink there). What an editor waits for is a fresh server's
// FIRST answer, most of which runs before V8 has optimized the code, so each run is a fresh
// process: it analyses the document (not timed), then times, in main-thread CPU (Linux's
// /proc/self/schedstat, which the compiler threads do not touch), the walk that writes the
// tokens, the array made for JSON (SemanticTokensResults.full, as the server answers: nothing
// since the walk writes that array itself, a copy of a Uint32Array before) and the
// JSON.stringify of the whole message. Every token (TokenKinds `all`), as sent to Neovim. Runs alternate between the checkouts, pair after pair,
// so both see the same load; the figures are medians.
//
// Not in `npm run bench` (bench/run.ts runs the top-level files only). Run:
//   node --import tsx bench/ab/semantic-tokens.ts --base /tmp/before [--pairs 3] [--only "lines of let"]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { pathologicalDocuments } from '../lib/pathological';
import { table } from '../lib/measure';
import { arg } from '../lib/args';

interface Run {
  walk: number;
  array: number;
  json: number;
}

/** One checkout's first answer on one shape, in this (fresh) process. */
function child(root: string, shape: string): void {
  // The checkout's own engine and server code, loaded by path: the base is another tree.
  const { analyze } = require(path.join(root, 'src', 'language')) as typeof import('../../src/language');
  const { semanticTokenData } = require(path.join(root, 'src', 'server', 'semanticTokens')) as typeof import('../../src/server/semanticTokens');
  const { SemanticTokensResults } = require(path.join(root, 'src', 'server', 'semanticTokensDelta')) as typeof import('../../src/server/semanticTokensDelta');
  const doc = pathologicalDocuments(1 << 20).find((d) => d.name === shape);
  if (!doc) throw new Error(`no shape named ${shape}`);
  const a = analyze(doc.text);
  const cpu = () => Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  const c0 = cpu();
  const data = semanticTokenData(a);
  const c1 = cpu();
  const result = new SemanticTokensResults().full('file:///bench.seqmodel', data);
  const c2 = cpu();
  JSON.stringify({ jsonrpc: '2.0', id: 1, result });
  const c3 = cpu();
  const run: Run = { walk: c1 - c0, array: c2 - c1, json: c3 - c2 };
  process.stdout.write(JSON.stringify(run));
}

function main(): void {
  const base = arg('base', '');
  if (!base) throw new Error('--base <another checkout> is required');
  const here = path.resolve(__dirname, '..', '..');
  const pairs = Number(arg('pairs', '3'));
  const only = arg('only', '');
  const shapes = ['lines of let', 'realistic file', 'many small models', 'CRLF layers', 'one model, many layers', 'one line of layers'].filter((s) => s.includes(only));
  console.log(`semanticTokens/full, a fresh process's first answer: main-thread CPU (ms), median of ${pairs}; base ${base}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const cell = (runs: Run[]) => {
    const [w, a, j] = [median(runs.map((r) => r.walk)), median(runs.map((r) => r.array)), median(runs.map((r) => r.json))];
    return `${median(runs.map((r) => r.walk + r.array + r.json)).toFixed(1)} (${w.toFixed(1)} + ${a.toFixed(1)} + ${j.toFixed(1)})`;
  };
  const rows: string[][] = [];
  for (const shape of shapes) {
    const runs: Record<string, Run[]> = { base: [], here: [] };
    for (let p = 0; p < pairs; p++) {
      for (const [which, root] of [['base', base], ['here', here]] as const) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', root, shape], { cwd: here, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${which} on ${shape}: ${r.stderr}`);
        runs[which].push(JSON.parse(r.stdout) as Run);
      }
    }
    rows.push([shape, cell(runs.base), cell(runs.here)]);
  }
  table(['document', 'base: total (walk + array + JSON)', 'this checkout'], rows);
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

const at = process.argv.indexOf('--child');
if (at >= 0) child(process.argv[at + 1], process.argv[at + 2]);
else main();
