import { strict as assert } from 'node:assert';
import { comparisonCsv } from '../../webview/compare/exportCsv';
import { nextSort, sortRows } from '../../webview/compare/sort';
import { bestRows, bestValue, buildComparison, finalValue, formatCell } from '../../webview/compare/table';
import { isHostMessage, isWebviewMessage } from '../../webview/protocol';
import { runPathsOf } from '../../src/extension/training/runArguments';
import { comparedRun, settings } from '../webview/fixtures';

// The comparison table's data (which settings differ, final and best metrics), its sorting
// and CSV, and how the command reads the runs it is given.

const keys = (table: ReturnType<typeof buildComparison>) => table.columns.map((c) => c.key);

describe('run comparison table', () => {
  const adam = comparedRun('2026-11-22T01-47-12-500Z');
  const sgd = comparedRun('2026-11-22T02-00-00-000Z', {
    settings: { ...settings, optimizer: { name: 'sgd', args: { learning_rate: 0.01, momentum: 0.9 } }, batchSize: 16 },
    finishedAt: '2026-11-22T02:00:00.000Z',
    history: { loss: [2, 1.5, NaN], val_loss: [2.5, 1.8, 1.9] },
    seconds: 61,
    backend: 'cpu',
  });

  it('makes a column of each setting that differs, and lists the shared ones', () => {
    const table = buildComparison([adam, sgd]);
    const settingKeys = table.columns.filter((c) => c.group === 'setting').map((c) => c.key);
    assert.deepEqual(settingKeys, ['optimizer', 'optimizer.learning_rate', 'optimizer.momentum', 'batch_size']);
    assert.deepEqual(
      table.common.map((c) => `${c.label} ${c.value}`),
      ['data series', 'loss function mse', 'metrics mae', 'epochs 200', 'validation split 0.2', 'shuffle true', 'seed 42'],
    );
    const [a, s] = table.rows;
    assert.equal(a.cells.optimizer, 'adam');
    assert.equal(a.cells['optimizer.momentum'], null, 'adam has no momentum: an empty cell');
    assert.equal(s.cells['optimizer.momentum'], 0.9);
    assert.equal(s.cells.batch_size, 16);
    assert.equal(table.columns.find((c) => c.key === 'batch_size')!.type, 'number');
  });

  it('shows every setting of a single run, and says when a run had no seed', () => {
    const table = buildComparison([comparedRun('x', { settings: { ...settings, seed: null } })]);
    assert.deepEqual(table.common, []);
    assert.ok(keys(table).includes('epochs') && keys(table).includes('optimizer.learning_rate'));
    assert.equal(table.rows[0].cells.seed, 'random');
  });

  it('takes final and best values per logged key, skipping NaN, best by the metric\'s direction', () => {
    const acc = comparedRun('c', { history: { loss: [0.7, 0.4, 0.5], accuracy: [0.5, 0.9, 0.8], val_accuracy: [0.4, 0.6, 0.55] } });
    const table = buildComparison([adam, sgd, acc]);
    assert.deepEqual(
      keys(table).filter((k) => k.includes(':')),
      ['final:loss', 'best:loss', 'final:val_loss', 'best:val_loss', 'final:accuracy', 'best:accuracy', 'final:val_accuracy', 'best:val_accuracy'],
    );
    const [, s, c] = table.rows;
    assert.equal(s.cells['final:loss'], 1.5, 'the last finite loss of a run that diverged');
    assert.equal(s.cells['best:val_loss'], 1.8);
    assert.equal(c.cells['best:accuracy'], 0.9, 'accuracy is best when highest');
    assert.equal(c.cells['final:accuracy'], 0.8);
    assert.equal(c.cells['final:val_loss'], null, 'a key a run did not log is empty');
    assert.equal(table.columns.find((col) => col.key === 'best:accuracy')!.better, 'max');
    assert.deepEqual([...bestRows(table, table.columns.find((col) => col.key === 'best:loss')!)], [adam.path]);
    assert.deepEqual([...bestRows(table, table.columns.find((col) => col.key === 'final:accuracy')!)], [acc.path]);
    assert.equal(finalValue([]), null);
    assert.equal(bestValue([NaN, Infinity], 'min'), null);
  });

  it('fills the run columns: time, model, file, status, params, epochs run, duration, backend', () => {
    const table = buildComparison([comparedRun('s', { status: 'stopped', epochs: 2, file: null })]);
    const cells = table.rows[0].cells;
    assert.deepEqual(
      [cells.run, cells.model, cells.file, cells.status, cells.params, cells.epochs_run, cells.duration, cells.backend],
      ['2026-11-22 01:47:12', 'lstm', null, 'stopped', 10_502, 2, 12.5, 'wasm'],
    );
    const column = (key: string) => table.columns.find((c) => c.key === key)!;
    assert.equal(formatCell(10_502, column('params')), '10,502');
    assert.equal(formatCell(12.5, column('duration')), '12.5 s');
    assert.equal(formatCell(null, column('file')), '–');
  });

  it('sorts by any column both ways, empty cells last, ties in the given order', () => {
    const c = comparedRun('c', { history: { loss: [3] }, finishedAt: '2026-11-22T03:00:00.000Z' });
    const table = buildComparison([adam, sgd, c]);
    const column = (key: string) => table.columns.find((col) => col.key === key)!;
    const ids = (rows: typeof table.rows) => rows.map((r) => r.runPath.split('/').pop());
    assert.deepEqual(ids(sortRows(table.rows, column('final:loss'), 'ascending')), [adam.id, sgd.id, 'c']);
    assert.deepEqual(ids(sortRows(table.rows, column('final:loss'), 'descending')), ['c', sgd.id, adam.id]);
    // c logged no val_loss: last in both directions.
    assert.deepEqual(ids(sortRows(table.rows, column('best:val_loss'), 'descending')), [sgd.id, adam.id, 'c']);
    assert.deepEqual(ids(sortRows(table.rows, column('backend'), 'ascending')), [sgd.id, adam.id, 'c']);
    assert.deepEqual(ids(sortRows(table.rows, column('model'), 'ascending')), [adam.id, sgd.id, 'c'], 'equal cells keep their order');
    assert.deepEqual(nextSort(null, 'params'), { key: 'params', direction: 'ascending' });
    assert.deepEqual(nextSort({ key: 'params', direction: 'ascending' }, 'params'), { key: 'params', direction: 'descending' });
    assert.deepEqual(nextSort({ key: 'params', direction: 'descending' }, 'model'), { key: 'model', direction: 'ascending' });
  });

  it('exports the rows as shown, full-precision numbers, the shared settings and the folder', () => {
    const table = buildComparison([adam, sgd]);
    const rows = sortRows(table.rows, table.columns.find((c) => c.key === 'batch_size')!, 'ascending');
    const lines = comparisonCsv(table, rows).trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 9), ['run', 'model', 'file', 'status', 'params', 'optimizer', 'learning rate', 'momentum', 'batch size']);
    assert.equal(header.at(-1), 'folder');
    assert.ok(header.includes('seed') && header.includes('final val_loss'));
    const first = lines[1].split(',');
    assert.equal(first[5], 'sgd', 'sorted by batch size: sgd (16) first');
    assert.equal(first[7], '0.9');
    assert.equal(first.at(-1), sgd.path);
    assert.equal(lines[2].split(',')[7], '', 'no momentum for adam');
  });

  it('checks the compare messages both ways', () => {
    assert.ok(isHostMessage({ type: 'compareRuns', runs: [adam, sgd] }));
    // JSON turns a diverged run's NaN into null: still a valid history.
    assert.ok(isHostMessage(JSON.parse(JSON.stringify({ type: 'compareRuns', runs: [sgd] }))));
    assert.ok(!isHostMessage({ type: 'compareRuns', runs: [{ ...adam, meta: null }] }));
    assert.ok(!isHostMessage({ type: 'compareRuns', runs: [{ ...adam, history: { loss: 'x' } }] }));
    assert.ok(isWebviewMessage({ type: 'openRun', runPath: '/r' }));
    assert.ok(!isWebviewMessage({ type: 'openRun' }));
    assert.ok(isWebviewMessage({ type: 'exportCsv', panel: 'compare', suggestedName: 'a.csv', content: 'x' }));
  });
});

describe('run folders a command is given', () => {
  const uri = (fsPath: string, scheme = 'file') => ({ scheme, fsPath, path: fsPath });
  it('reads tree items (runDir or resourceUri), Uris and paths', () => {
    assert.deepEqual(runPathsOf(['/a']), ['/a']);
    assert.deepEqual(runPathsOf([uri('/a')]), ['/a']);
    assert.deepEqual(runPathsOf([{ runDir: '/a', label: 'lstm' }]), ['/a']);
    assert.deepEqual(runPathsOf([{ resourceUri: uri('/b') }]), ['/b']);
    assert.deepEqual(runPathsOf([['/a', uri('/b')]]), ['/a', '/b']);
  });
  it('prefers the tree\'s selection over the clicked item, each folder once', () => {
    assert.deepEqual(runPathsOf([{ runDir: '/a' }, [{ runDir: '/a' }, { runDir: '/b' }, { runDir: '/a' }]]), ['/a', '/b']);
    assert.deepEqual(runPathsOf([{ runDir: '/a' }, []]), ['/a']);
  });
  it('ignores what names no local folder: nothing, a group item, a remote Uri', () => {
    assert.deepEqual(runPathsOf([]), []);
    assert.deepEqual(runPathsOf([{ label: 'forecast.seqmodel' }]), []);
    assert.deepEqual(runPathsOf([uri('/a', 'vscode-remote')]), []);
    assert.deepEqual(runPathsOf([null, 3, '']), []);
  });
});
