// Peak memory of reading a large CSV series: the file is streamed, so the peak should track
// the float32 values kept (rows × chosen columns × 4 bytes), not the file's size.
// Then the same file as a labelled recording (column d's 13 values as class labels, windows of
// 50 rows): the labels add one class number per row, not their text.
// Run: node --import tsx bench/csv-memory.ts [rows]   (default 2,000,000 rows, about 90 MB)
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { readCsvSeries } from '../src/training/data/csv';
import { labelledWindows } from '../src/training/data/labelledWindows';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 2_000_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'seqmodel-csv-bench-'));
  try {
    const file = path.join(dir, 'big.csv');
    const out = createWriteStream(file);
    out.write('t,a,b,c,d\n');
    for (let i = 0; i < rows; i++) {
      if (!out.write(`${i},${(i % 1000) / 7},${Math.sin(i).toFixed(6)},${i * 0.5},${i % 13}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const size = statSync(file).size;
    global.gc?.();
    const before = process.memoryUsage();
    const started = performance.now();
    let peakRss = before.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const series = await readCsvSeries(
      { kind: 'csv', path: 'big.csv', columns: ['a', 'c'], target: 'c', header: null, delimiter: ',' },
      { baseDir: dir },
    );
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    console.log(`rows ${series.length}, file ${mb(size)}, kept values ${mb(series.values.byteLength + series.target.byteLength)}`);
    console.log(`read in ${seconds.toFixed(2)} s (${Math.round(series.length / seconds).toLocaleString('en')} rows/s)`);
    console.log(`RSS before ${mb(before.rss)}, peak during read ${mb(peakRss)} (+${mb(peakRss - before.rss)})`);

    global.gc?.();
    const beforeLabelled = process.memoryUsage().rss;
    let peakLabelled = beforeLabelled;
    const labelledSampler = setInterval(() => (peakLabelled = Math.max(peakLabelled, process.memoryUsage().rss)), 20);
    const labelledStart = performance.now();
    const labelled = await readCsvSeries(
      { kind: 'csv', path: 'big.csv', columns: ['a', 'c'], target: null, header: null, delimiter: ',' },
      { baseDir: dir },
      { column: 'd', classNames: null },
    );
    // d changes every row: every window is mixed, kept with its last row's label.
    const windows = labelledWindows(labelled, { steps: 50, stride: 50, mixed: 'last', source: 'big.csv' });
    clearInterval(labelledSampler);
    const labelledSeconds = (performance.now() - labelledStart) / 1000;
    const kept = labelled.values.byteLength + labelled.labels!.ids.byteLength;
    console.log(
      `labelled: ${labelled.labels!.classNames.length} classes, kept ${mb(kept)}, ${windows.x.shape[0]} windows (${mb(windows.x.values.byteLength)}) ` +
        `in ${labelledSeconds.toFixed(2)} s; peak RSS +${mb(peakLabelled - beforeLabelled)}`,
    );
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
