import * as assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { csvSeriesFromLines, readCsvSeries, type CsvSpec } from '../../src/training/data/csv';
import { DataError } from '../../src/training/data/errors';
import { loadData } from '../../src/training/data/load';
import { sampleToArray } from '../../src/training/data/dataset';
import { useTempDir } from '../helpers/temp-dir';

const csv = (file: string, more: Partial<CsvSpec> = {}): CsvSpec => ({
  kind: 'csv',
  path: file,
  columns: null,
  target: null,
  header: null,
  delimiter: ',',
  ...more,
});

describe('training data: CSV series', () => {
  const tempRoot = useTempDir('csv');
  let root: string;
  let workspace: string;
  let access: { baseDir: string; workspaceFolder: string };

  before(() => {
    root = tempRoot();
    workspace = path.join(root, 'ws');
    mkdirSync(path.join(workspace, 'models', 'data'), { recursive: true });
    access = { baseDir: path.join(workspace, 'models'), workspaceFolder: workspace };
    writeFileSync(path.join(workspace, 'models', 'data', 'with-header.csv'), 'date,temp,rain\n1,10.5,0\n2,11,0.2\r\n\n3,12,1e-1\n');
    writeFileSync(path.join(workspace, 'models', 'data', 'no-header.csv'), '1;10\n2;20\n3;30\n');
    writeFileSync(path.join(workspace, 'models', 'data', 'bad-row.csv'), 'a,b\n1,2\n3,4\n5,oops\n7,8\n');
    writeFileSync(path.join(workspace, 'models', 'data', 'short-row.csv'), 'a,b\n1,2\n3\n');
    writeFileSync(path.join(workspace, 'models', 'data', 'quoted.csv'), '"x, the first","y"\n"1",2\n');
    writeFileSync(path.join(root, 'outside.csv'), '1\n2\n3\n');
  });

  it('detects a header, reads columns by name, forecasts the target column', async () => {
    const s = await readCsvSeries(csv('data/with-header.csv', { columns: ['temp', 'rain'], target: 'temp' }), access);
    assert.equal(s.length, 3);
    assert.equal(s.features, 2);
    assert.deepEqual(s.names, ['temp', 'rain']);
    assert.deepEqual(Array.from(s.values), [10.5, 0, 11, Math.fround(0.2), 12, Math.fround(0.1)]);
    assert.deepEqual(Array.from(s.target), [10.5, 11, 12]);
  });

  it('reads a file without a header by index, with another delimiter, and a target outside the features', async () => {
    const s = await readCsvSeries(csv('data/no-header.csv', { delimiter: ';', columns: [0], target: 1 }), access);
    assert.deepEqual(Array.from(s.values), [1, 2, 3]);
    assert.deepEqual(Array.from(s.target), [10, 20, 30]);
    // header: true forces the first line to be a header even if it holds numbers.
    const forced = await readCsvSeries(csv('data/no-header.csv', { delimiter: ';', header: true }), access);
    assert.equal(forced.length, 2);
    assert.deepEqual(forced.names, ['1', '10']);
  });

  it('header: false on a file that has one reports the header line as a bad row', async () => {
    await assert.rejects(readCsvSeries(csv('data/with-header.csv', { header: false }), access), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.line, 1);
      assert.match(err.message, /data\/with-header\.csv, line 1: column 0 holds "date"/);
      return true;
    });
  });

  it('a bad value names the file, the line and the column', async () => {
    await assert.rejects(readCsvSeries(csv('data/bad-row.csv'), access), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.line, 4);
      assert.equal(err.file, path.join(workspace, 'models', 'data', 'bad-row.csv'));
      assert.match(err.message, /^data\/bad-row\.csv, line 4: column "b" holds "oops", which is not a number/);
      return true;
    });
    // Only the chosen columns are parsed: column a alone is fine.
    const s = await readCsvSeries(csv('data/bad-row.csv', { columns: ['a'] }), access);
    assert.deepEqual(Array.from(s.values), [1, 3, 5, 7]);
  });

  it('a row with too few values is an error with its line number', async () => {
    await assert.rejects(readCsvSeries(csv('data/short-row.csv'), access), /short-row\.csv, line 3: expected 2 value\(s\) like the header, found 1/);
  });

  it('unknown column names, names without a header and indices out of range are explained', async () => {
    await assert.rejects(readCsvSeries(csv('data/with-header.csv', { columns: ['wind'] }), access), /no column "wind"; the header has "date", "temp", "rain"/);
    await assert.rejects(readCsvSeries(csv('data/no-header.csv', { delimiter: ';', columns: ['a'] }), access), /no header row/);
    await assert.rejects(readCsvSeries(csv('data/no-header.csv', { delimiter: ';', columns: [2] }), access), /column 2 does not exist; the file has 2 column/);
    await assert.rejects(readCsvSeries(csv('data/missing.csv'), access), /"data\/missing\.csv" was not found/);
  });

  it('handles quoted fields', async () => {
    const s = await readCsvSeries(csv('data/quoted.csv'), access);
    assert.deepEqual(s.names, ['x, the first', 'y']);
    assert.deepEqual(Array.from(s.values), [1, 2]);
  });

  it('refuses a file outside the workspace unless allowed, asking the consent callback', async () => {
    await assert.rejects(readCsvSeries(csv('../../outside.csv'), access), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /Refusing to read "\.\.\/\.\.\/outside\.csv": it is outside the workspace folder/);
      return true;
    });
    await assert.rejects(readCsvSeries(csv(path.join(root, 'outside.csv')), access), /outside the workspace/);
    // Outside, a missing file and an existing one are refused alike: nothing tells them apart.
    const missing = await readCsvSeries(csv('../../nothing-here.csv'), access).catch((e: Error) => e.message);
    assert.equal(missing, `Refusing to read "../../nothing-here.csv": it is outside the workspace folder ${workspace}. Move it into the workspace, or allow reading data files outside it (seqmodel train --allow-outside; VS Code asks first).`);
    const asked: string[] = [];
    await assert.rejects(
      readCsvSeries(csv('../../outside.csv'), { ...access, allowOutside: (p) => (asked.push(p), false) }),
      /Refusing/,
    );
    const s = await readCsvSeries(csv('../../outside.csv'), { ...access, allowOutside: async (p) => (asked.push(p), true) });
    assert.deepEqual(Array.from(s.values), [1, 2, 3]);
    assert.deepEqual(asked, [path.join(root, 'outside.csv'), path.join(root, 'outside.csv')]);
    const allowed = await readCsvSeries(csv('../../outside.csv'), { ...access, allowOutside: true });
    assert.equal(allowed.length, 3);
  });

  it('a symbolic link inside the workspace pointing outside still needs consent', async () => {
    const link = path.join(workspace, 'models', 'data', 'link.csv');
    symlinkSync(path.join(root, 'outside.csv'), link);
    await assert.rejects(readCsvSeries(csv('data/link.csv'), access), /outside the workspace/);
  });

  it('windows a CSV series through loadData', async () => {
    const data = await loadData({ kind: 'window', series: csv('data/with-header.csv', { columns: ['temp'] }), steps: 2, horizon: 1 }, access);
    assert.deepEqual(data.x.shape, [1, 2, 1]);
    assert.deepEqual(sampleToArray(data.x, 0), [[10.5], [11]]);
    assert.deepEqual(sampleToArray(data.y, 0), [12]);
  });

  it('streams a large file: 400,000 rows (about 18 MB of text) without holding the text', async function () {
    this.timeout(60000);
    const file = path.join(workspace, 'models', 'data', 'big.csv');
    const out = createWriteStream(file);
    out.write('t,a,b,c\n');
    const rows = 400_000;
    for (let i = 0; i < rows; i++) {
      if (!out.write(`${i},${(i % 1000) / 7},${Math.sin(i)},${i * 0.5}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const s = await readCsvSeries(csv('data/big.csv', { columns: ['a', 'c'], target: 'c' }), access);
    assert.equal(s.length, rows);
    assert.equal(s.features, 2);
    assert.equal(s.target[rows - 1], (rows - 1) * 0.5);
    assert.ok(Math.abs(s.values[2 * 999] - 999 / 7) < 1e-4);
    // The kept data is float32, two columns: 3.2 MB, not the text of the file.
    assert.equal(s.values.byteLength, rows * 2 * 4);
  });
});

describe('training data: CSV series from lines (the playground reads files the user gave the page)', () => {
  it('parses lines from any source as a file on disk, header and CRLF included', async () => {
    const text = 'date,temp,rain\r\n1,10.5,0\r\n2,11,0.2\r\n\r\n3,12,1e-1\r\n';
    const s = await csvSeriesFromLines(csv('readings.csv', { columns: ['temp', 'rain'], target: 'temp' }), text.split(/\r?\n/), 'readings.csv');
    assert.equal(s.length, 3);
    assert.deepEqual(s.names, ['temp', 'rain']);
    assert.deepEqual(Array.from(s.target), [10.5, 11, 12]);
  });

  it('locates a bad value by line, as for a file on disk', async () => {
    await assert.rejects(csvSeriesFromLines(csv('given.csv'), ['a,b', '1,2', '5,oops'], 'given.csv'), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.line, 3);
      assert.match(err.message, /given\.csv, line 3: column "b" holds "oops"/);
      return true;
    });
  });

  it('fails with the source\'s own error when it ended the lines early', async () => {
    await assert.rejects(
      csvSeriesFromLines(csv('cut.csv'), ['1,2'], 'cut.csv', () => new Error('connection reset')),
      /Could not read cut\.csv: connection reset/,
    );
  });
});
