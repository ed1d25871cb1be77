import { loadavg } from 'node:os';
import { parser } from '@lezer/python';
import { importKeras } from '../src/import';
import { analyze } from '../src/language';
import { ms, table, time } from './lib/measure';

// Import from Keras on generated notebooks of 10, 100 and 1,000 code cells (each cell a model
// in the style of the course's forecasting notebook: a constant, Sequential + add, compile,
// fit, predict), next to @lezer/python's parse alone of the same script (the lower bound the
// importer builds on) and the analysis of the .seqmodel text it writes.

function notebook(cells: number): string {
  const code = (i: number) =>
    [
      `n_steps_${i} = ${(i % 5) + 1}\n`,
      `model = Sequential()\n`,
      `model.add(LSTM(${16 + (i % 32)}, activation='relu', return_sequences=True, input_shape=(seq_len, 1)))\n`,
      `model.add(GRU(8))\n`,
      `model.add(Dense(n_steps_${i}))\n`,
      `model.compile(optimizer=Adam(learning_rate=0.001), loss='mse', metrics=['mae'])\n`,
      `model.fit(X, Y, epochs=100, batch_size=16, verbose=0)\n`,
      `model.predict(array([70, 80, 90]).reshape((1, seq_len, 1)))\n`,
    ];
  const head = ['from numpy import array\n', 'seq_len = 3\n', 'X, Y = split_sequence([10, 20, 30, 40, 50, 60, 70, 80, 90], seq_len, 2)\n'];
  const all = [head, ...Array.from({ length: cells }, (_, i) => code(i))];
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: all.map((source) => ({ cell_type: 'code', metadata: {}, outputs: [], source })) });
}

console.log('Import from Keras: generated notebooks (median of 10-30 runs after warm-up)');
const rows: string[][] = [];
for (const cells of [10, 100, 1000]) {
  const nb = notebook(cells);
  const script = (JSON.parse(nb).cells as { source: string[] }[]).map((c) => c.source.join('')).join('\n');
  const runs = cells >= 1000 ? 10 : 30;
  const lezer = time(() => parser.parse(script), { runs });
  const full = time(() => importKeras({ fileName: 'bench.ipynb', content: nb }), { runs });
  const result = importKeras({ fileName: 'bench.ipynb', content: nb });
  const analysis = time(() => analyze(result.text), { runs });
  rows.push([String(cells), String(script.split('\n').length), String(result.models), ms(lezer.median), ms(full.median), ms(full.p90), ms(analysis.median)]);
}
table(['cells', 'Python lines', 'models', 'lezer parse', 'import', 'import p90', 'analyze output'], rows);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
