// The whole-model path through the real worker process: a run says which loop trained it, a
// seeded run repeats itself exactly, a stop writes the trained weights back before the run is
// saved, a diverging loss is still reported with its epoch and batch, and a model the path does
// not take trains on tfjs and says why.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '../../src/training/tf';
import { buildModel } from '../../src/training/build';
import { loadRunModel } from '../../src/training/modelFiles';
import type { ReadyMessage } from '../../src/training/protocol';
import { loadRun } from '../../src/training/runStore';
import { type RunOutcome, startTraining } from '../../src/training/runner';
import { request, settings, WORKER_OPTIONS } from './training-fixtures';
import { useTempDir } from '../helpers/temp-dir';

async function run(workspace: string, more: Parameters<typeof request>[1] = {}): Promise<{ outcome: RunOutcome; ready: ReadyMessage | null }> {
  const training = startTraining(request(workspace, more), WORKER_OPTIONS);
  let ready: ReadyMessage | null = null;
  training.on('ready', (m) => (ready = m));
  const outcome = await training.result;
  return { outcome, ready };
}

describe('the whole-model path through the worker', function () {
  this.timeout(120_000);
  const workspace = useTempDir('whole', { each: true });

  it('reports the whole-model loop, and a seeded run repeats itself exactly', async () => {
    const more = { settings: settings({ epochs: 40, batchSize: 2, seed: 7 }), runsDir: null };
    const first = await run(workspace(), more);
    const second = await run(workspace(), more);
    if (first.outcome.status !== 'done' || second.outcome.status !== 'done') assert.fail(JSON.stringify([first.outcome, second.outcome]).slice(0, 2000));
    assert.deepEqual(first.ready?.paths[0], { path: 'whole-model', layer: '', type: 'training loop', text: 'training loop: whole model' });
    assert.deepEqual(first.outcome.result.paths[0].path, 'whole-model');
    assert.ok(first.outcome.result.history.loss[39] < first.outcome.result.history.loss[0], 'the loss goes down');
    assert.deepEqual(second.outcome.result.history, first.outcome.result.history);
    assert.deepEqual(second.outcome.result.predictions, first.outcome.result.predictions);
  });

  it('a stop writes the trained weights back: the saved model is trained, and predicts what the run predicted', async () => {
    const job = request(workspace(), { settings: settings({ epochs: 100000, seed: 3 }) });
    const training = startTraining(job, WORKER_OPTIONS);
    await new Promise<void>((resolve) => training.on('progress', (m) => m.type === 'epoch' && m.epoch >= 20 && resolve()));
    training.stop();
    const outcome = await training.result;
    if (outcome.status !== 'stopped') assert.fail(JSON.stringify(outcome).slice(0, 2000));
    const runPath = outcome.stopped.runPath;
    assert.ok(runPath, 'saved');
    const saved = await loadRunModel(runPath);
    const untrained = buildModel(job.model, { seed: 3 });
    const moved = saved.getWeights().some((w, i) => {
      const a = w.dataSync();
      const b = untrained.getWeights()[i].dataSync();
      return a.some((v, j) => Math.abs(v - b[j]) > 1e-6);
    });
    assert.ok(moved, 'the saved weights are the trained ones, not the initial ones');
    const x = tf.tensor3d([[[70], [80], [90]]]);
    const y = saved.predict(x) as tf.Tensor;
    const predicted = (await loadRun(runPath)).predictions[0]?.output as number[] | undefined;
    const again = Array.from(y.dataSync());
    tf.dispose([x, y]);
    assert.ok(predicted, 'the stopped run predicted');
    again.forEach((v, i) => assert.ok(Math.abs(v - predicted[i]) <= 1e-4 * Math.max(1, Math.abs(predicted[i])), `${again} vs ${predicted}`));
  });

  it('a diverging loss is reported with its epoch and batch', async () => {
    const { outcome, ready } = await run(workspace(), {
      settings: settings({ optimizer: { name: 'sgd', args: { learning_rate: 100 } }, epochs: 50, batchSize: 1 }),
      runsDir: null,
    });
    if (outcome.status !== 'error') assert.fail(JSON.stringify(outcome).slice(0, 2000));
    assert.equal(ready?.paths[0].path, 'whole-model');
    assert.equal(outcome.error.kind, 'nan');
    assert.match(outcome.error.message, /the loss became (NaN|infinite) in epoch \d+, batch \d+/);
  });

  it('a model the path does not take trains on tfjs and says why', async () => {
    const { outcome, ready } = await run(workspace(), { settings: settings({ metrics: ['precision'], epochs: 2 }), runsDir: null });
    if (outcome.status !== 'done') assert.fail(JSON.stringify(outcome).slice(0, 2000));
    assert.deepEqual(ready?.paths[0], {
      path: 'tfjs',
      reason: "metric 'precision' is not computed on the whole-model path",
      layer: '',
      type: 'training loop',
      text: "training loop: TensorFlow.js — metric 'precision' is not computed on the whole-model path",
    });
    assert.equal(outcome.result.history.precision.length, 2);
  });
});
