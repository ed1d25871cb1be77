import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { generate } from './lib/generate';
import { loadAverage, ms, table, time } from './lib/measure';
import { ENGINE_V8_FLAGS } from '../src/server/engineProcess';

// How long the engine takes on files of 100, 1,000 and 10,000 lines: the full analysis
// (parse, shapes, parameter counts, diagnostics) against its plain lower bounds in the same
// run — tokenizing alone, parsing alone, and JSON.parse of the same text (about the cheapest
// structured read of that much text in Node) — once in a Node with default flags and once
// with the flags the language server and CLI run with (src/server/engineProcess.ts). It measures
// the engine as it ships: the esbuild bundle dist/engine.js (`npm run bench` builds it first).

type Engine = typeof import('../src/language');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { analyze, tokenize, parse } = require(join(__dirname, '..', 'dist', 'engine.js')) as Engine;

interface Row {
  lines: number;
  models: number;
  json: number;
  tokenize: number;
  parse: number;
  analyze: number;
  p90: number;
  cpu: number;
}

function measure(): Row[] {
  const rows: Row[] = [];
  for (const lines of [100, 1000, 10000]) {
    const text = generate(lines);
    const json = JSON.stringify({ text: text.split('\n') });
    const runs = lines >= 10000 ? 20 : 30;
    const plain = time(() => JSON.parse(json), { runs });
    const lex = time(() => tokenize(text), { runs });
    const parsed = time(() => parse(text), { runs });
    const full = time(() => analyze(text), { runs });
    rows.push({
      lines: text.split('\n').length,
      models: analyze(text).models.length,
      json: plain.median,
      tokenize: lex.median,
      parse: parsed.median,
      analyze: full.median,
      p90: full.p90,
      cpu: full.cpu,
    });
  }
  return rows;
}

if (process.env.SEQMODEL_BENCH_CHILD) {
  process.stdout.write(JSON.stringify(measure()));
} else {
  console.log('Engine: analysis of generated .seqmodel files (median of 20-30 runs after warm-up)');
  for (const [label, flags] of [
    ['default V8 flags', [] as string[]],
    [`the server's flags (${ENGINE_V8_FLAGS.join(' ')})`, [...ENGINE_V8_FLAGS]],
  ] as const) {
    const r = spawnSync(process.execPath, [...process.execArgv, ...flags, __filename], {
      env: { ...process.env, SEQMODEL_BENCH_CHILD: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
    const rows = JSON.parse(r.stdout) as Row[];
    console.log(`\nwith ${label}:`);
    table(
      ['file', 'models', 'JSON.parse', 'tokenize', 'parse', 'analyze', 'analyze p90', 'analyze CPU'],
      rows.map((x) => [`${x.lines} lines`, String(x.models), ms(x.json), ms(x.tokenize), ms(x.parse), ms(x.analyze), ms(x.p90), ms(x.cpu)]),
    );
  }
  console.log(`\nload average ${loadAverage()} on ${cpus().length} cores: on a busy machine the CPU column is the truer figure`);
}
