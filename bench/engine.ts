import { analyze } from '../src/language/analyzer';
import { tokenize } from '../src/language/lexer';
import { parse } from '../src/language/parser';
import { cpus, loadavg } from 'node:os';
import { generate } from './lib/generate';
import { ms, table, time } from './lib/measure';

// How long the engine takes on files of 100, 1,000 and 10,000 lines: the full analysis
// (parse, shapes, parameter counts, diagnostics) against its plain lower bounds in the same
// run, tokenizing alone and parsing alone, and against JSON.parse of the same number of bytes
// (about the cheapest structured read of that much text in Node).

console.log('Engine: analysis of generated .seqmodel files (median of 30 runs, after warm-up)\n');
const rows: string[][] = [];
for (const lines of [100, 1000, 10000]) {
  const text = generate(lines);
  const json = JSON.stringify({ text: text.split('\n') });
  const runs = lines >= 10000 ? 20 : 30;
  const lex = time(() => tokenize(text), { runs });
  const parsed = time(() => parse(text), { runs });
  const full = time(() => analyze(text), { runs });
  const plain = time(() => JSON.parse(json), { runs });
  const a = analyze(text);
  rows.push([
    `${text.split('\n').length} lines`,
    `${a.models.length}`,
    ms(plain.median),
    ms(lex.median),
    ms(parsed.median),
    ms(full.median),
    ms(full.p90),
    ms(full.cpu),
  ]);
}
table(['file', 'models', 'JSON.parse', 'tokenize', 'parse', 'analyze', 'analyze p90', 'analyze CPU'], rows);
console.log(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores: on a busy machine the CPU column is the truer figure`);
const mem = process.memoryUsage();
console.log(`\nheap used after the runs: ${(mem.heapUsed / 1048576).toFixed(1)} MiB`);
