import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import * as tf from '../../src/training/tf';
import { loadRunModel } from '../../src/training/modelFiles';
import type { BatchProgress, EpochProgress, ReadyMessage } from '../../src/training/protocol';
import { listRuns, loadRun } from '../../src/training/runStore';
import { type RunOutcome, startTraining, type TrainingRun } from '../../src/training/runner';
import { describeTrainingLoop, describeTrainingPaths } from '../../src/training/trainingPaths';
import { dataInfo, layer, lstmModel, modelInfo, predict, request, rnnModel, settings, WORKER_OPTIONS } from './training-fixtures';
import { useTempDir, withTempDir } from '../helpers/temp-dir';

function collect(run: TrainingRun) {
  const epochs: EpochProgress[] = [];
  const batches: BatchProgress[] = [];
  let ready: ReadyMessage | null = null;
  run.on('ready', (m) => (ready = m));
  run.on('progress', (m) => (m.type === 'epoch' ? epochs.push(m) : batches.push(m)));
  return { epochs, batches, ready: () => ready };
}

function expectDone(outcome: RunOutcome) {
  if (outcome.status !== 'done') assert.fail(`expected done, got ${JSON.stringify(outcome)}`);
  return outcome.result;
}

/** Enough data for long epochs of many small batches. */
const LONG_DATA = dataInfo(
  'wave',
  { kind: 'window', series: { kind: 'sine', length: 4000, period: 50, amplitude: 1, noise: 0.1, seed: 1 }, steps: 10, horizon: 1 },
  [3990, 10, 1],
  [3990, 1],
);

/**
 * Epochs of 12,499 batches of 8: long enough that a stop sent after the 20th batch lands inside
 * the first epoch however fast the whole-model loop runs and however late the parent reacts.
 */
const STOP_DATA = dataInfo(
  'wave',
  { kind: 'window', series: { kind: 'sine', length: 100_000, period: 50, amplitude: 1, noise: 0.1, seed: 1 }, steps: 10, horizon: 1 },
  [99_990, 10, 1],
  [99_990, 1],
);

describe('training worker (separate process)', function () {
  this.timeout(60000);
  const workspace = useTempDir('worker', { each: true });

  it('trains the seed LSTM for a few epochs: progress, history, predictions and a saved run', async () => {
    const job = request(workspace(), { settings: settings({ epochs: 6 }) });
    const run = startTraining(job, WORKER_OPTIONS);
    const seen = collect(run);
    const result = expectDone(await run.result);

    assert.equal(result.backend, 'cpu');
    assert.equal(result.epochs, 6);
    assert.equal(result.history.loss.length, 6);
    assert.ok(result.history.loss.every(Number.isFinite));
    assert.ok(result.history.loss[5] < result.history.loss[0], 'the loss goes down');
    assert.deepEqual(seen.epochs.map((e) => e.epoch), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(seen.epochs.map((e) => e.loss), result.history.loss);
    assert.ok(seen.epochs.every((e, i) => e.epochs === 6 && (i === 0 || e.seconds >= seen.epochs[i - 1].seconds)));
    // The training loop and the LSTM's path, said in the ready and done messages and kept in meta.json.
    const paths = [describeTrainingLoop({ path: 'whole-model' }), ...describeTrainingPaths(job.model)];
    assert.deepEqual(paths.map((p) => p.layer), ['', 'lstm']);
    assert.deepEqual(seen.ready(), { type: 'ready', backend: 'cpu', samples: { train: 5, validation: 0 }, params: 338, paths });
    assert.deepEqual(result.paths, paths);

    assert.equal(result.predictions.length, 1);
    const output = result.predictions[0].output as number[];
    assert.equal(output.length, 2);
    assert.ok(output.every(Number.isFinite));

    assert.ok(result.runPath && existsSync(result.runPath));
    const runs = await listRuns(path.join(workspace(), '.seqmodel', 'runs'));
    assert.equal(runs.length, 1);
    assert.equal(runs[0].path, result.runPath);
    assert.equal(path.dirname(runs[0].path), path.join(workspace(), '.seqmodel', 'runs', 'lstm'));
    assert.deepEqual(runs[0].history, result.history);
    assert.deepEqual(runs[0].predictions, result.predictions);
    assert.equal(runs[0].meta.backend, 'cpu');
    assert.equal(runs[0].meta.epochs, 6);
    assert.deepEqual(runs[0].meta.paths, paths);
    assert.ok(runs[0].hasModel);
    assert.equal(runs[0].status, 'done');
    for (const file of ['meta.json', 'history.json', 'predictions.json', 'model.json', 'weights.bin']) {
      assert.ok(existsSync(path.join(result.runPath, file)), file);
    }
  });

  it('streams throttled batch progress, validation loss and metrics under Keras names', async () => {
    const run = startTraining(
      request(workspace(), {
        model: lstmModel('echo', 5, 10, 16, 10),
        data: dataInfo('echo', { kind: 'echo', samples: 400, length: 5, features: 10, index: 2, seed: 1 }, [400, 5, 10], [400, 10]),
        settings: settings({ epochs: 3, batchSize: 4, validationSplit: 0.2, loss: 'categorical_crossentropy', metrics: ['accuracy', 'mae'] }),
        predicts: [],
        runsDir: null,
      }),
      WORKER_OPTIONS,
    );
    // The last layer here is a linear Dense; the labels are one-hot, which is all this test needs.
    const seen = collect(run);
    const result = expectDone(await run.result);
    assert.deepEqual(Object.keys(result.history), ['loss', 'accuracy', 'mae', 'val_loss', 'val_accuracy', 'val_mae'], "Keras's order");
    assert.equal(result.runPath, null);
    assert.deepEqual(seen.ready()?.samples, { train: 320, validation: 80 });
    const last = seen.epochs[2];
    assert.equal(last.valLoss, result.history.val_loss[2]);
    assert.deepEqual(Object.keys(last.metrics).sort(), ['accuracy', 'mae', 'val_accuracy', 'val_mae']);
    // 80 batches per epoch: batch messages arrive, but at most about 10 per second.
    assert.ok(seen.batches.length > 0, 'batch progress');
    assert.ok(seen.batches.every((b) => b.batches === 80 && b.batch >= 1 && b.batch <= 80));
    for (let i = 1; i < seen.batches.length; i++) {
      assert.ok(seen.batches[i].seconds - seen.batches[i - 1].seconds >= 0.099, 'throttled to 10 per second');
    }
  });

  it('trains an Embedding model on the synthetic sentiment corpus with the wasm backend', async () => {
    const model = modelInfo('sentiment', null, [
      layer('Embedding', { input_dim: 500, output_dim: 8 }, 'embedding', [null, null], [null, null, 8], 4000),
      layer('LSTM', { units: 8 }, 'lstm', [null, null, 8], [null, 8], 4 * (8 * 16 + 8)),
      layer('Dense', { units: 1, activation: 'sigmoid' }, 'dense', [null, 8], [null, 1], 9),
    ]);
    const run = startTraining(
      request(workspace(), {
        model,
        backend: 'wasm',
        data: dataInfo('reviews', { kind: 'sentiment', samples: 600, vocab: 500, maxlen: 30, seed: 1 }, [600, 30], [600, 1]),
        settings: settings({ epochs: 4, validationSplit: 0.2, loss: 'binary_crossentropy', metrics: ['accuracy'] }),
        predicts: [predict('sentiment', [[1], [2], [3], [4], [5], [6]])],
        runsDir: null,
      }),
      WORKER_OPTIONS,
    );
    const result = expectDone(await run.result);
    assert.equal(result.backend, 'wasm');
    const valAccuracy = result.history.val_accuracy;
    assert.ok(valAccuracy[3] > 0.75, `validation accuracy ${valAccuracy}`);
    // Ids 1..6 are all positive words: the model calls the review positive.
    assert.ok((result.predictions[0].output as number[])[0] > 0.5, JSON.stringify(result.predictions));
  });

  it('says "2 threads" on the loop\'s path when recurrent kernel calls split their batch, with the one-thread run\'s losses', async () => {
    // LSTM(32) over 100 steps, batches of 32: about 8 M multiply-adds a half, past the split's threshold.
    const model = modelInfo('sentiment', null, [
      layer('Embedding', { input_dim: 200, output_dim: 8 }, 'embedding', [null, null], [null, null, 8], 1600),
      layer('LSTM', { units: 32 }, 'lstm', [null, null, 8], [null, 32], 4 * (32 * 41 + 32)),
      layer('Dense', { units: 1, activation: 'sigmoid' }, 'dense', [null, 32], [null, 1], 33),
    ]);
    // With the Embedding joined to the LSTM (the default), the joined layer runs on one thread
    // (parallel.ts splitsNext): the layers are kept apart here so that the LSTM's calls can split.
    const train = async (threads: '1' | '2', tokenRows = '0') => {
      const run = startTraining(
        request(workspace(), {
          model,
          backend: 'wasm',
          data: dataInfo('reviews', { kind: 'sentiment', samples: 96, vocab: 200, maxlen: 100, seed: 2 }, [96, 100], [96, 1]),
          settings: settings({ epochs: 2, validationSplit: 0, loss: 'binary_crossentropy' }),
          predicts: [],
          runsDir: null,
        }),
        { ...WORKER_OPTIONS, env: { SEQMODEL_THREADS: threads, SEQMODEL_TOKEN_ROWS: tokenRows } },
      );
      return expectDone(await run.result);
    };
    const one = await train('1');
    const two = await train('2');
    const joined = await train('2', '1');
    assert.equal(joined.paths[0].kernelThreads?.split ?? 0, 0, JSON.stringify(joined.paths[0]));
    assert.equal(one.paths[0].kernelThreads, undefined);
    assert.doesNotMatch(one.paths[0].text, /threads/);
    if (availableParallelism() > 1) {
      assert.ok((two.paths[0].kernelThreads?.split ?? 0) > 0, JSON.stringify(two.paths[0]));
      assert.match(two.paths[0].text, /^training loop: whole model; [1-9]\d* of \d+ recurrent kernel calls split their batch over 2 threads$/);
    }
    two.history.loss.forEach((l, i) => assert.ok(Math.abs(l - one.history.loss[i]) <= 1e-5 * Math.abs(one.history.loss[i]), `epoch ${i + 1}: ${l} vs ${one.history.loss[i]}`));
  });

  it('reproduces a run with the same seed (initial weights, shuffling), and not with another', async () => {
    const req = (seed: number) =>
      request(workspace(), {
        model: rnnModel('rnn', 3, 1, 6, 2),
        settings: settings({ epochs: 4, batchSize: 2, shuffle: true, seed, validationSplit: 0.2 }),
        runsDir: null,
      });
    const [a, b, c] = await Promise.all([startTraining(req(7), WORKER_OPTIONS).result, startTraining(req(7), WORKER_OPTIONS).result, startTraining(req(8), WORKER_OPTIONS).result]);
    assert.deepEqual(expectDone(a).history, expectDone(b).history);
    assert.deepEqual(expectDone(a).predictions, expectDone(b).predictions);
    assert.notDeepEqual(expectDone(a).history.loss, expectDone(c).history.loss);
  });

  it('stops within a second of stop(), keeping the finished epochs', async () => {
    const run = startTraining(
      request(workspace(), { model: lstmModel('long', 10, 1, 16, 1), data: STOP_DATA, settings: settings({ epochs: 10, batchSize: 8 }), predicts: [] }),
      WORKER_OPTIONS,
    );
    const seen = collect(run);
    // Let it train for a while (several batches in), then stop.
    await new Promise<void>((resolve) => run.on('progress', (m) => m.type === 'batch' && m.batch >= 20 && resolve()));
    const asked = performance.now();
    let stoppedAt = 0;
    run.on('stopped', () => (stoppedAt = performance.now()));
    run.stop();
    const outcome = await run.result;
    assert.equal(outcome.status, 'stopped');
    if (outcome.status !== 'stopped') return;
    assert.equal(outcome.killed, false, 'the worker stopped by itself');
    const ms = stoppedAt - asked;
    console.log(`      (stopped ${ms.toFixed(0)} ms after stop())`);
    assert.ok(ms < 1000, `stopped after ${ms.toFixed(0)} ms`);
    assert.equal(outcome.stopped.epochs, seen.epochs.length);
    assert.equal((outcome.stopped.history.loss ?? []).length, seen.epochs.length);
    // Stopped inside its first epoch (12,499 batches): no epoch was completed, nothing to save.
    assert.equal(outcome.stopped.epochs, 0);
    assert.equal(outcome.stopped.runPath, undefined);
    assert.equal((await listRuns(path.join(workspace(), '.seqmodel', 'runs'))).length, 0);
  });

  it('saves a stopped run like a finished one: the completed epochs, the model as trained, predictions, status stopped', async () => {
    const run = startTraining(request(workspace(), { settings: settings({ epochs: 100000 }) }), WORKER_OPTIONS);
    const seen = collect(run);
    await new Promise<void>((resolve) => run.on('progress', (m) => m.type === 'epoch' && m.epoch >= 5 && resolve()));
    run.stop();
    const outcome = await run.result;
    if (outcome.status !== 'stopped') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.killed, false);
    const stopped = outcome.stopped;
    assert.ok(stopped.epochs >= 5 && stopped.epochs < 100000, `${stopped.epochs} epochs`);
    assert.equal(stopped.epochs, seen.epochs.length);
    assert.deepEqual(stopped.history.loss, seen.epochs.map((e) => e.loss), 'the history of the completed epochs');
    assert.equal(stopped.saveError, undefined);
    assert.ok(stopped.runPath && existsSync(stopped.runPath), 'saved');

    const runs = await listRuns(path.join(workspace(), '.seqmodel', 'runs'));
    assert.deepEqual(runs.map((r) => r.path), [stopped.runPath]);
    const saved = await loadRun(stopped.runPath);
    assert.equal(saved.status, 'stopped');
    assert.equal(saved.meta.status, 'stopped');
    assert.equal(saved.meta.epochs, stopped.epochs);
    assert.equal(saved.meta.settings.epochs, 100000);
    assert.equal(saved.meta.backend, 'cpu');
    assert.deepEqual(saved.history, stopped.history);
    assert.ok(saved.hasModel);
    assert.equal(saved.predictions.length, 1);
    const predicted = saved.predictions[0].output as number[];
    assert.ok(predicted.length === 2 && predicted.every(Number.isFinite), JSON.stringify(saved.predictions));

    // The saved model is the one that made the saved predictions.
    const model = await loadRunModel(stopped.runPath);
    const x = tf.tensor3d([[[70], [80], [90]]]);
    const y = model.predict(x) as tf.Tensor;
    const again = Array.from(y.dataSync());
    tf.dispose([x, y]);
    model.dispose();
    again.forEach((v, i) => assert.ok(Math.abs(v - predicted[i]) <= 1e-3 * Math.max(1, Math.abs(predicted[i])), `${again} vs ${predicted}`));
  });

  it('reports a NaN/infinite loss with a hint, and stops there', async () => {
    const run = startTraining(
      request(workspace(), {
        settings: settings({ epochs: 200, optimizer: { name: 'sgd', args: { learning_rate: 1e6 } } }),
      }),
      WORKER_OPTIONS,
    );
    const seen = collect(run);
    const outcome = await run.result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'nan');
    assert.match(outcome.error.message, /loss became (NaN|infinite)/);
    assert.match(outcome.error.hint ?? '', /learning rate/);
    assert.match(outcome.error.hint ?? '', /scale the data/);
    assert.ok(seen.epochs.length < 200, 'training stopped early');
    // The epochs completed before it diverged are recorded, without a model (see below).
    const runs = await listRuns(path.join(workspace(), '.seqmodel', 'runs'));
    assert.deepEqual(
      runs.map((r) => [r.path, r.status, r.hasModel, r.history.loss?.length]),
      seen.epochs.length > 0 ? [[outcome.error.runPath, 'failed', false, seen.epochs.length]] : [],
    );
  });

  it('saves the record of a run that diverged after completed epochs, with status failed and no model', async () => {
    // Seeded: this run completes epoch 1, then its loss becomes infinite in epoch 2.
    const run = startTraining(
      request(workspace(), {
        model: lstmModel('lstm', 3, 1, 8, 2),
        settings: settings({ epochs: 50, batchSize: 1, optimizer: { name: 'sgd', args: { learning_rate: 100 } } }),
      }),
      WORKER_OPTIONS,
    );
    const seen = collect(run);
    const outcome = await run.result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'nan');
    assert.ok(seen.epochs.length >= 1, 'at least one completed epoch');
    assert.ok(outcome.error.runPath && existsSync(outcome.error.runPath), JSON.stringify(outcome.error));

    const runs = await listRuns(path.join(workspace(), '.seqmodel', 'runs'));
    assert.deepEqual(runs.map((r) => r.path), [outcome.error.runPath]);
    const saved = runs[0];
    assert.equal(saved.status, 'failed');
    assert.equal(saved.hasModel, false);
    for (const file of ['model.json', 'weights.bin']) assert.ok(!existsSync(path.join(saved.path, file)), `no ${file}`);
    assert.deepEqual(saved.history.loss, seen.epochs.map((e) => e.loss), 'the history up to the failure');
    assert.deepEqual(saved.history, outcome.error.history);
    assert.equal(saved.meta.epochs, seen.epochs.length);
    assert.deepEqual(saved.predictions, []);
    assert.equal(saved.meta.error?.kind, 'nan');
    assert.equal(saved.meta.error?.message, outcome.error.message);
    assert.match(saved.meta.error?.hint ?? '', /learning rate/);
    assert.equal(saved.meta.settings.optimizer.name, 'sgd');
  });

  it('reports a worker killed with SIGKILL as crashed, naming the signal', async () => {
    const run = startTraining(
      request(workspace(), { model: lstmModel('long', 10, 1, 16, 1), data: LONG_DATA, settings: settings({ epochs: 1000, batchSize: 64 }) }),
      WORKER_OPTIONS,
    );
    const seen = collect(run);
    await new Promise<void>((resolve) => run.on('progress', (m) => m.type === 'epoch' && resolve()));
    process.kill(run.pid!, 'SIGKILL');
    const outcome = await run.result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'crashed');
    assert.match(outcome.error.message, /killed by SIGKILL/);
    assert.match(outcome.error.hint ?? '', /out of memory/);
    assert.ok(seen.epochs.length >= 1);
    assert.deepEqual(outcome.error.history?.loss, seen.epochs.map((e) => e.loss), 'the history up to the crash');
  });

  it('reports a worker that runs out of heap as oom', async () => {
    // A 12 MB heap cannot hold tfjs and the data: V8 aborts the process.
    const run = startTraining(
      request(workspace(), { data: LONG_DATA, model: lstmModel('long', 10, 1, 16, 1) }),
      { ...WORKER_OPTIONS, maxOldSpaceSizeMb: 12 },
    );
    const outcome = await run.result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'oom', outcome.error.message);
    assert.match(outcome.error.message, /heap limit 12 MB/);
  });

  it('reports data too large to allocate as oom, without a crash', async () => {
    const huge = dataInfo('huge', { kind: 'echo', samples: 1_000_000_000, length: 5, features: 10, index: 2, seed: 1 }, [1_000_000_000, 5, 10], [1_000_000_000, 10]);
    const outcome = await startTraining(request(workspace(), { data: huge, model: lstmModel('lstm', 5, 10, 4, 10) }), WORKER_OPTIONS).result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'oom', outcome.error.message);
    assert.match(outcome.error.hint ?? '', /fewer samples/);
  });

  it('reports a bad CSV row as a data error with file and line, from the worker', async () => {
    writeFileSync(path.join(workspace(), 'bad.csv'), 'v\n1\n2\nx\n4\n5\n6\n');
    const run = startTraining(
      request(workspace(), {
        data: dataInfo('csv', { kind: 'window', series: { kind: 'csv', path: 'bad.csv', columns: null, target: null, header: null, delimiter: ',' }, steps: 3, horizon: 2 }, [null, 3, 1], [null, 2]),
      }),
      WORKER_OPTIONS,
    );
    const outcome = await run.result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'data');
    assert.equal(outcome.error.line, 4);
    assert.equal(outcome.error.file, path.join(workspace(), 'bad.csv'));
    assert.match(outcome.error.message, /bad\.csv, line 4/);
  });

  it('asks consent before reading a CSV outside the workspace, and refuses without it', async () => {
    await withTempDir('outside', async (outside) => {
      writeFileSync(path.join(outside, 'series.csv'), '10\n20\n30\n40\n50\n60\n70\n80\n90\n');
      const data = dataInfo('csv', { kind: 'window', series: { kind: 'csv', path: path.join(outside, 'series.csv'), columns: null, target: null, header: null, delimiter: ',' }, steps: 3, horizon: 2 }, [null, 3, 1], [null, 2]);
      const refused = await startTraining(request(workspace(), { data }), WORKER_OPTIONS).result;
      if (refused.status !== 'error') assert.fail(JSON.stringify(refused));
      assert.equal(refused.error.kind, 'data');
      assert.match(refused.error.message, /outside the workspace/);

      const asked: string[] = [];
      const declined = await startTraining(request(workspace(), { data, allowOutside: (p) => (asked.push(p), false) }), WORKER_OPTIONS).result;
      assert.equal(declined.status, 'error');
      const allowed = await startTraining(request(workspace(), { data, allowOutside: (p) => (asked.push(p), true), settings: settings({ epochs: 1 }) }), WORKER_OPTIONS).result;
      assert.equal(expectDone(allowed).epochs, 1);
      assert.equal(asked.length, 2);
    });
  });

  it('explains data that does not fit the model, and a prediction that does not fit', async () => {
    const mismatch = await startTraining(request(workspace(), { model: lstmModel('lstm', 3, 2, 4, 2) }), WORKER_OPTIONS).result;
    if (mismatch.status !== 'error') assert.fail(JSON.stringify(mismatch));
    assert.equal(mismatch.error.kind, 'data');
    assert.match(mismatch.error.message, /samples of shape \(3, 1\), but model 'lstm' takes inputs of shape \(3, 2\)/);

    const result = expectDone(
      await startTraining(
        request(workspace(), { settings: settings({ epochs: 1 }), predicts: [predict('lstm', [[70], [80]]), predict('lstm', [[70], [80], [90]]), predict('other', [[1]])] }),
        WORKER_OPTIONS,
      ).result,
    );
    assert.equal(result.predictions.length, 2, "only this model's predict statements");
    assert.match(result.predictions[0].error ?? '', /takes 3 steps \(input shape \(3, 1\)\); the input has 2\./);
    assert.equal(result.predictions[0].output, null);
    assert.equal((result.predictions[1].output as number[]).length, 2);
  });

  it("a forced backend that cannot load is a build error with a hint; one that loads names itself", async () => {
    const outcome = await startTraining(request(workspace(), { backend: 'node', settings: settings({ epochs: 1 }) }), WORKER_OPTIONS).result;
    if (outcome.status === 'done') {
      assert.equal(outcome.result.backend, 'node');
      return;
    }
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'build');
    assert.match(outcome.error.message, /'node' TensorFlow\.js backend is not available/);
    assert.match(outcome.error.hint ?? '', /another backend/);
  });

  it('still reports the trained result when the run cannot be saved', async () => {
    // A file where the runs folder should be: mkdir fails.
    writeFileSync(path.join(workspace(), 'not-a-folder'), '');
    const result = expectDone(
      await startTraining(request(workspace(), { settings: settings({ epochs: 2 }), runsDir: path.join(workspace(), 'not-a-folder', 'runs') }), WORKER_OPTIONS).result,
    );
    assert.equal(result.runPath, null);
    assert.match(result.saveError ?? '', /could not be saved/);
    assert.equal(result.history.loss.length, 2);
  });

  it('reports a missing worker script without crashing the caller', async () => {
    const outcome = await startTraining(request(workspace()), { workerPath: path.join(workspace(), 'nope.js') }).result;
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.error.kind, 'internal');
    assert.match(outcome.error.message, /not found/);
  });
});
