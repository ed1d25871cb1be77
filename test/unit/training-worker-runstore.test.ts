import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '../../src/training/tf';
import { loadRunModel, saveModelFiles } from '../../src/training/modelFiles';
import { listRuns, loadRun, type RunRecord, runId, saveRun } from '../../src/training/runStore';
import { buildModel } from '../../src/training/build';
import { layer, modelInfo, settings } from './training-fixtures';
import { useTempDir } from '../helpers/temp-dir';

function record(model: string, finishedAt: string, loss: number[] = [3, 2, 1]): RunRecord {
  return {
    meta: {
      model,
      data: 'series',
      settings: settings(),
      backend: 'cpu',
      seconds: 1.5,
      epochs: loss.length,
      samples: { train: 5, validation: 0 },
      params: 338,
      startedAt: finishedAt,
      finishedAt,
      versions: {},
    },
    history: { loss },
    predictions: [{ input: [[70], [80], [90]], output: [100, 110] }],
  };
}

/** Everything under a folder, hidden entries included. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('training run store (atomic runs under .seqmodel/runs)', function () {
  this.timeout(30000);
  const workspace = useTempDir('runs', { each: true });
  let runsDir: string;

  beforeEach(() => {
    runsDir = path.join(workspace(), '.seqmodel', 'runs');
  });

  it('saves <model>/<timestamp>/ with its files, lists newest first and loads a run', async () => {
    const first = await saveRun({ runsDir, record: record('lstm', '2026-01-01T00:00:00.000Z'), date: new Date('2026-01-01T00:00:00.000Z') });
    const second = await saveRun({ runsDir, record: record('lstm', '2026-01-02T00:00:00.000Z', [5]), date: new Date('2026-01-02T00:00:00.000Z') });
    await saveRun({ runsDir, record: record('rnn', '2026-01-03T00:00:00.000Z') });
    assert.equal(first, path.join(runsDir, 'lstm', '2026-01-01T00-00-00-000Z'));
    assert.deepEqual(tree(first), ['history.json', 'meta.json', 'predictions.json']);

    const lstmRuns = await listRuns(runsDir, 'lstm');
    assert.deepEqual(lstmRuns.map((r) => r.path), [second, first]);
    assert.deepEqual(lstmRuns[0].history, { loss: [5] });
    assert.equal(lstmRuns[0].hasModel, false);
    assert.deepEqual((await listRuns(runsDir)).map((r) => r.meta.model), ['rnn', 'lstm', 'lstm']);
    assert.deepEqual((await loadRun(first)).predictions, record('lstm', '').predictions);
    assert.deepEqual(await listRuns(path.join(runsDir, 'nowhere')), []);
  });

  it('skips and reports folders that are not runs, and still lists every run', async () => {
    const saved = await saveRun({ runsDir, record: record('lstm', '2026-01-01T00:00:00.000Z') });
    mkdirSync(path.join(runsDir, 'my old runs'), { recursive: true });
    mkdirSync(path.join(runsDir, 'lstm', 'notes'), { recursive: true });
    const skipped: string[] = [];
    const runs = await listRuns(runsDir, undefined, (folder, why) => skipped.push(`${path.relative(runsDir, folder)}: ${why}`));
    assert.deepEqual(runs.map((r) => r.path), [saved]);
    skipped.sort();
    assert.equal(skipped.length, 2, skipped.join('\n'));
    assert.equal(skipped[0], 'lstm/notes: no meta.json: not a saved run');
    assert.equal(skipped[1], 'my old runs: not a model name (letters, digits and _)');
  });

  it('keeps the status of stopped and failed runs; records saved without one read as done', async () => {
    const stopped = await saveRun({ runsDir, record: { ...record('lstm', '2026-01-02T00:00:00.000Z', [3, 2]), meta: { ...record('lstm', '2026-01-02T00:00:00.000Z', [3, 2]).meta, status: 'stopped' } } });
    const failedRecord = record('lstm', '2026-01-03T00:00:00.000Z', [3]);
    failedRecord.meta = { ...failedRecord.meta, status: 'failed', error: { kind: 'nan', message: 'Training diverged', hint: 'Lower the learning rate' } };
    failedRecord.predictions = [];
    const failed = await saveRun({ runsDir, record: failedRecord });
    // A record from before runs had a status: meta.json without one.
    const old = await saveRun({ runsDir, record: record('lstm', '2026-01-01T00:00:00.000Z') });
    assert.equal(JSON.parse(readFileSync(path.join(old, 'meta.json'), 'utf8')).status, undefined);

    assert.deepEqual(
      (await listRuns(runsDir, 'lstm')).map((r) => [r.path, r.status, r.meta.status]),
      [
        [failed, 'failed', 'failed'],
        [stopped, 'stopped', 'stopped'],
        [old, 'done', 'done'],
      ],
    );
    const loaded = await loadRun(failed);
    assert.deepEqual(loaded.meta.error, { kind: 'nan', message: 'Training diverged', hint: 'Lower the learning rate' });
    assert.equal(loaded.hasModel, false);
    assert.deepEqual(tree(failed), ['history.json', 'meta.json', 'predictions.json']);
    assert.equal((await loadRun(old)).status, 'done');
  });

  it('two runs finishing in the same millisecond get separate folders', async () => {
    const date = new Date('2026-05-05T05:05:05.005Z');
    const a = await saveRun({ runsDir, record: record('lstm', date.toISOString()), date });
    const b = await saveRun({ runsDir, record: record('lstm', date.toISOString()), date });
    assert.equal(path.basename(a), runId(date));
    assert.equal(path.basename(b), `${runId(date)}-1`);
  });

  it('a failure while writing leaves no run and no temporary folder', async () => {
    await assert.rejects(
      saveRun({
        runsDir,
        record: record('lstm', new Date().toISOString()),
        writeModel: async (folder) => {
          writeFileSync(path.join(folder, 'model.json'), '{"half": ');
          throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    assert.deepEqual(tree(path.join(runsDir, 'lstm')), []);
    assert.deepEqual(await listRuns(runsDir), []);
  });

  it('a process killed in the middle of saving leaves no visible run; the next save clears its leftovers', async () => {
    // A child saves a run whose model writer hangs after half a file, and is killed there.
    const script = path.join(path.dirname(path.dirname(runsDir)), 'crash-while-saving.ts');
    const store = path.join(__dirname, '..', '..', 'src', 'training', 'runStore.ts');
    writeFileSync(
      script,
      `const { saveRun } = require(${JSON.stringify(store)});
       const { writeFileSync } = require('node:fs');
       const record = ${JSON.stringify(record('lstm', new Date().toISOString()))};
       saveRun({ runsDir: ${JSON.stringify(runsDir)}, record, writeModel: async (folder) => {
         writeFileSync(folder + '/weights.bin', Buffer.alloc(1000));
         process.send('half-written');
         await new Promise(() => {});
       } });`,
    );
    const child = fork(script, [], { execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href] });
    const [message] = await once(child, 'message');
    assert.equal(message, 'half-written');
    child.kill('SIGKILL');
    await once(child, 'exit');

    const leftovers = tree(path.join(runsDir, 'lstm'));
    assert.ok(leftovers.some((f) => f.startsWith('.tmp-')), 'the half-written run is in a hidden temporary folder');
    assert.deepEqual(await listRuns(runsDir), [], 'and is never listed');

    await saveRun({ runsDir, record: record('lstm', new Date().toISOString()) });
    assert.ok(!tree(path.join(runsDir, 'lstm')).some((f) => f.startsWith('.tmp-')), 'the next save removed it');
    assert.equal((await listRuns(runsDir)).length, 1);
  });

  it('saves the trained model as model.json + weights.bin and loads it back with the same outputs', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: 4, inputShape: [3, 1], recurrentActivation: 'sigmoid' }));
    model.add(tf.layers.dense({ units: 2 }));
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = tf.tensor([10, 20, 30, 70, 80, 90], [2, 3, 1]);
    const expected = (model.predict(x) as tf.Tensor).arraySync();

    const runPath = await saveRun({ runsDir, record: record('lstm', new Date().toISOString()), writeModel: (folder) => saveModelFiles(model, folder) });
    assert.deepEqual(tree(runPath), ['history.json', 'meta.json', 'model.json', 'predictions.json', 'weights.bin']);
    assert.ok((await loadRun(runPath)).hasModel);
    const loaded = await loadRunModel(runPath);
    assert.deepEqual((loaded.predict(x) as tf.Tensor).arraySync(), expected);
    assert.equal(loaded.countParams(), model.countParams());
    tf.dispose([x]);
  });

  it("round-trips a model with a custom layer (Keras's GRU, reset_after=True)", async () => {
    await tf.setBackend('cpu');
    const info = modelInfo('gru', [null, 4, 2], [
      layer('GRU', { units: 3 }, 'gru', [null, 4, 2], [null, 3], 3 * (3 * (2 + 3) + 2 * 3)),
      layer('Dense', { units: 1 }, 'dense', [null, 3], [null, 1], 4),
    ]);
    const model = buildModel(info, { seed: 3 });
    assert.equal(model.countParams(), info.params.total);
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 6], [7, 8]]]);
    const expected = (model.predict(x) as tf.Tensor).arraySync();
    const runPath = await saveRun({ runsDir, record: record('gru', new Date().toISOString()), writeModel: (folder) => saveModelFiles(model, folder) });
    const loaded = await loadRunModel(runPath);
    assert.deepEqual((loaded.predict(x) as tf.Tensor).arraySync(), expected);
    x.dispose();
  });

  it('refuses model names that are not identifiers (no path tricks)', async () => {
    await assert.rejects(saveRun({ runsDir, record: record('../evil', new Date().toISOString()) }), /not a model name/);
    mkdirSync(runsDir, { recursive: true });
    assert.deepEqual(tree(runsDir), []);
  });
});
