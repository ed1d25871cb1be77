// window(csv(..., label=...)): labelled windows of a recording, classified many-to-one. The
// windowing and labelling rules, the classes' names and order, located errors for bad files,
// and a multi-megabyte file read through the streaming CSV reader.
import * as assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import type { LabelledWindowsSpec, MixedWindows } from '../../src/language';
import { csvSeriesFromLines, MAX_CLASSES, type CsvSpec, type LabelColumn } from '../../src/training/data/csv';
import { sampleToArray } from '../../src/training/data/dataset';
import { DataError } from '../../src/training/data/errors';
import { labelledWindows } from '../../src/training/data/labelledWindows';
import { loadData } from '../../src/training/data/load';
import { useTempDir } from '../helpers/temp-dir';

const csv = (file: string, more: Partial<CsvSpec> = {}): CsvSpec => ({ kind: 'csv', path: file, columns: null, target: null, header: null, delimiter: ',', ...more });

/** A recording from lines: one feature (the row number) and a label per row. */
async function recording(labels: string[], label: LabelColumn = { column: 'activity', classNames: null }) {
  const lines = ['t,activity', ...labels.map((l, i) => `${i},${l}`)];
  return csvSeriesFromLines(csv('rec.csv'), lines, 'rec.csv', undefined, label);
}

async function windows(labels: string[], steps: number, stride: number, mixed: MixedWindows) {
  const data = labelledWindows(await recording(labels), { steps, stride, mixed, source: 'rec.csv' });
  const classOf = (i: number) => data.classNames[(sampleToArray(data.y, i) as number[]).indexOf(1)];
  const starts = Array.from({ length: data.x.shape[0] }, (_, i) => (sampleToArray(data.x, i) as number[][])[0][0]);
  return { data, starts, classes: starts.map((_, i) => classOf(i)) };
}

function rejectsAt(promise: Promise<unknown>, line: number | undefined, message: RegExp): Promise<void> {
  return assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DataError, String(err));
    assert.equal(err.line, line);
    assert.match(err.message, message);
    return true;
  });
}

describe('training data: labelled windows (window(csv(..., label=...)))', () => {
  const run = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'];

  it('cuts windows every stride steps and drops those spanning two labels by default', async () => {
    const apart = await windows(run, 3, 3, 'drop');
    assert.deepEqual(apart.starts, [0, 3, 6]);
    assert.deepEqual(apart.classes, ['a', 'b', 'c']);
    assert.equal(apart.data.dropped, 0);
    // Stride 1: seven windows, of which four span a change of label.
    const sliding = await windows(run, 3, 1, 'drop');
    assert.deepEqual(sliding.starts, [0, 3, 6]);
    assert.equal(sliding.data.dropped, 4);
    assert.deepEqual(sliding.data.counts, [1, 1, 1]);
    assert.deepEqual(sliding.data.x.shape, [3, 3, 1]);
    assert.deepEqual(sliding.data.y.shape, [3, 3]);
  });

  it('labels a mixed window by its last row, or by most of its rows with ties to the latest label', async () => {
    const last = await windows(run, 3, 1, 'last');
    assert.deepEqual(last.starts, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(last.classes, ['a', 'b', 'b', 'b', 'c', 'c', 'c']);
    const majority = await windows(run, 3, 1, 'majority');
    assert.deepEqual(majority.classes, ['a', 'a', 'b', 'b', 'b', 'c', 'c']);
    // [a a b b]: two each, the later label wins.
    const tie = await windows(['a', 'a', 'b', 'b', 'a'], 4, 1, 'majority');
    assert.deepEqual(tie.classes, ['b', 'a']);
  });

  it('names the classes from the column, sorted the same way whatever the order in the file', async () => {
    const s = await recording(['walking', 'sitting', 'running', 'sitting', 'Stairs']);
    // Code-point order, as Python's sorted(): capitals first.
    assert.deepEqual(s.labels?.classNames, ['Stairs', 'running', 'sitting', 'walking']);
    assert.deepEqual(Array.from(s.labels!.ids), [3, 2, 1, 2, 0]);
    // class_names sets the order (the model's outputs).
    const declared = await recording(['walking', 'sitting', 'walking'], { column: 'activity', classNames: ['walking', 'sitting'] });
    assert.deepEqual(declared.labels?.classNames, ['walking', 'sitting']);
    assert.deepEqual(Array.from(declared.labels!.ids), [0, 1, 0]);
  });

  it('reads every other column as a feature, and a header-less file with the label by index', async () => {
    const named = await csvSeriesFromLines(csv('r.csv'), ['x,activity,y', '1,up,2', '3,down,4'], 'r.csv', undefined, { column: 'activity', classNames: null });
    assert.deepEqual(named.names, ['x', 'y']);
    assert.deepEqual(Array.from(named.values), [1, 2, 3, 4]);
    // The label column's text does not make the first row a header.
    const bare = await csvSeriesFromLines(csv('r.csv'), ['1,2,up', '3,4,down'], 'r.csv', undefined, { column: 2, classNames: null });
    assert.equal(bare.length, 2);
    assert.deepEqual(Array.from(bare.values), [1, 2, 3, 4]);
    assert.deepEqual(bare.labels?.classNames, ['down', 'up']);
  });

  it('gives located errors for bad files', async () => {
    const read = (lines: string[], label: LabelColumn = { column: 'activity', classNames: null }, more: Partial<CsvSpec> = {}) =>
      csvSeriesFromLines(csv('r.csv', more), lines, 'r.csv', undefined, label);
    await rejectsAt(read(['x,y', '1,2']), 1, /r\.csv: there is no column "activity"; the header has "x", "y"/);
    await rejectsAt(read(['x,activity', '1,up', '2,down', 'oops,up']), 4, /r\.csv, line 4: column "x" holds "oops", which is not a number/);
    await rejectsAt(read(['x,activity', '1,up', '2,']), 3, /line 3: the label column "activity" is empty/);
    await rejectsAt(read(['x,activity', '1,up', '2,up', '3,up']), 2, /the label column "activity" holds a single class, "up" \(from line 2\): a classifier needs at least two/);
    await rejectsAt(read(['x,activity', '1,up', '2,sideways'], { column: 'activity', classNames: ['up', 'down'] }), 3, /line 3: the label column "activity" holds "sideways", which class_names does not list \("up", "down"\)/);
    await rejectsAt(read(['x,activity', '1,up', '2,up'], { column: 'activity', classNames: ['up', 'down'] }), undefined, /never holds "down", which class_names lists/);
    await rejectsAt(read(['x,activity', '1,up'], { column: 'activity', classNames: null }, { columns: ['x', 'activity'] }), 1, /the label column is also a feature column/);
    const many = ['x,id', ...Array.from({ length: MAX_CLASSES + 5 }, (_, i) => `${i},row${i}`)];
    await rejectsAt(read(many, { column: 'id', classNames: null }), MAX_CLASSES + 2, new RegExp(`holds more than ${MAX_CLASSES} different values: is it the column of class labels\\?`));
    const short = await recording(['a', 'b', 'a']);
    assert.throws(() => labelledWindows(short, { steps: 4, stride: 1, mixed: 'drop', source: 'rec.csv' }), /rec\.csv has 3 data row\(s\): too few for one window of 4 steps/);
    const alternating = await recording(['a', 'b', 'a', 'b']);
    assert.throws(() => labelledWindows(alternating, { steps: 2, stride: 1, mixed: 'drop', source: 'rec.csv' }), /every window of 2 steps spans two labels.*mixed="last"/);
  });

  describe('a multi-megabyte recording, streamed from disk', () => {
    const root = useTempDir('labelled');
    before(() => mkdirSync(path.join(root(), 'data')));

    it('keeps only float32 features and one class number per row, and windows every row', async function () {
      this.timeout(60000);
      // 150,000 rows in segments of 1,000 rows per activity, cycling through four: about 6 MB.
      const rows = 150_000;
      const names = ['walking', 'running', 'sitting', 'standing'];
      const out = createWriteStream(path.join(root(), 'data', 'big.csv'));
      out.write('time,x,y,z,activity\n');
      for (let i = 0; i < rows; i++) {
        const activity = names[Math.floor(i / 1000) % names.length];
        if (!out.write(`${(i / 50).toFixed(2)},${Math.sin(i / 7).toFixed(4)},${(9.81 + Math.cos(i / 5)).toFixed(4)},${(i % 17) / 10},${activity}\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      const spec: LabelledWindowsSpec = {
        kind: 'labelledWindows',
        series: csv('data/big.csv', { columns: ['x', 'y', 'z'] }),
        label: 'activity',
        classNames: null,
        steps: 50,
        stride: 50,
        mixed: 'drop',
      };
      const data = await loadData(spec, { baseDir: root(), workspaceFolder: root() });
      // Segments of 1,000 rows hold 20 whole windows each: none spans two activities.
      assert.deepEqual(data.x.shape, [rows / 50, 50, 3]);
      assert.deepEqual(data.y.shape, [rows / 50, 4]);
      assert.deepEqual(data.classNames, ['running', 'sitting', 'standing', 'walking']);
      // The last window is rows 149,950-149,999: its first x and its class.
      const last = rows / 50 - 1;
      assert.ok(Math.abs((sampleToArray(data.x, last) as number[][])[0][0] - Math.sin(149_950 / 7)) < 1e-4);
      assert.deepEqual(sampleToArray(data.y, last), [1, 0, 0, 0]); // names[149 % 4] = running, the first class
      // The windows are one float32 array of exactly the rows × features, with no text kept.
      assert.equal(data.x.values.byteLength, rows * 3 * 4);
      assert.ok(data.x.values instanceof Float32Array);
      // Stride 25: windows overlap, and those across a change of activity are dropped.
      const overlapping = await loadData({ ...spec, stride: 25 }, { baseDir: root(), workspaceFolder: root() });
      const starts = (rows - 50) / 25 + 1;
      const spanning = rows / 1000 - 1; // one window straddles each of the 149 changes
      assert.equal(overlapping.x.shape[0], starts - spanning);
    });

    it('reports the file and line of a bad value deep in a large file', async function () {
      this.timeout(60000);
      const lines = ['x,activity'];
      for (let i = 0; i < 50_000; i++) lines.push(`${i % 10},${i % 2 ? 'up' : 'down'}`);
      lines[40_001] = '4.2.1,up';
      writeFileSync(path.join(root(), 'data', 'bad.csv'), lines.join('\n'));
      const spec: LabelledWindowsSpec = { kind: 'labelledWindows', series: csv('data/bad.csv'), label: 'activity', classNames: null, steps: 4, stride: 4, mixed: 'last' };
      await rejectsAt(loadData(spec, { baseDir: root(), workspaceFolder: root() }), 40_002, /data\/bad\.csv, line 40002: column "x" holds "4\.2\.1"/);
    });
  });
});
