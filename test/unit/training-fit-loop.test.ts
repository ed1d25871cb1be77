import * as assert from 'node:assert/strict';
import * as tf from '../../src/training/tf';
import { type EpochLogs, fitLoop } from '../../src/training/fitLoop';
import { unbatched, type WorkerMessage } from '../../src/training/protocol';

/** A small classifier with Dropout and BatchNormalization (training-only behaviour), compiled with metrics. */
function classifier(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy', metrics: ['accuracy', 'mae'] });
  return model;
}

function data(n: number, seed: number): [tf.Tensor, tf.Tensor] {
  const x = tf.randomUniform([n, 4], -1, 1, 'float32', seed);
  const labels = tf.tidy(() => tf.argMax(tf.matMul(x, tf.tensor2d([1, -1, 0, 0.5, 2, 1, -1, 0, 0, 1, 0, -2], [4, 3])), 1));
  const y = tf.oneHot(labels as tf.Tensor1D, 3);
  labels.dispose();
  return [x, y];
}

const noHooks = { afterBatch: () => undefined, afterEpoch: () => undefined, shouldStop: () => false };

describe('the training loop (fitLoop) against tfjs-layers\'s model.fit', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the logs and weights fit gives: batches with a short last one, validation, metrics, regularizer, BatchNormalization', async () => {
    const [x, y] = data(37, 1);
    const val = data(11, 2);
    const ours = classifier();
    const theirs = classifier();
    theirs.setWeights(ours.getWeights());

    const logs: EpochLogs[] = [];
    await fitLoop(ours, x, y, val, { epochs: 4, batchSize: 8, shuffle: false }, { ...noHooks, afterEpoch: (_e, l) => void logs.push(l) });
    const history = await theirs.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, validationData: val, verbose: 0 });

    assert.deepEqual(Object.keys(logs[0]).sort(), Object.keys(history.history).sort());
    for (const key of Object.keys(history.history)) {
      const expected = history.history[key] as number[];
      logs.forEach((l, e) => assert.ok(Math.abs(l[key] - expected[e]) <= 1e-5 * Math.max(1, Math.abs(expected[e])), `${key} epoch ${e + 1}: ${l[key]} against ${expected[e]}`));
    }
    const a = ours.getWeights().map((w) => w.dataSync());
    const b = theirs.getWeights().map((w) => w.dataSync());
    a.forEach((w, i) => w.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-5, `weight ${i}[${j}]`)));
    tf.dispose([x, y, ...val]);
  });

  it('with one batch holding every sample, shuffling changes nothing but the order of the sum', async () => {
    const [x, y] = data(12, 5);
    const ours = classifier();
    const theirs = classifier();
    theirs.setWeights(ours.getWeights());
    const logs: EpochLogs[] = [];
    await fitLoop(ours, x, y, null, { epochs: 3, batchSize: 32, shuffle: true }, { ...noHooks, afterEpoch: (_e, l) => void logs.push(l) });
    const history = await theirs.fit(x, y, { epochs: 3, batchSize: 32, shuffle: true, verbose: 0 });
    logs.forEach((l, e) => assert.ok(Math.abs(l.loss - (history.history.loss[e] as number)) < 1e-5));
    tf.dispose([x, y]);
  });

  it('stops between batches, leaving the cut epoch unreported; a stop after the last batch keeps the epoch', async () => {
    const [x, y] = data(40, 7);
    const model = classifier();
    const seen: string[] = [];
    let stop = false;
    await fitLoop(model, x, y, null, { epochs: 5, batchSize: 10, shuffle: true }, {
      afterBatch: (epoch, batch) => {
        seen.push(`${epoch}.${batch}`);
        if (epoch === 2 && batch === 2) stop = true;
      },
      afterEpoch: (epoch) => void seen.push(`epoch ${epoch}`),
      shouldStop: () => stop,
    });
    assert.deepEqual(seen, ['1.1', '1.2', '1.3', '1.4', 'epoch 1', '2.1', '2.2']);

    seen.length = 0;
    stop = false;
    await fitLoop(model, x, y, null, { epochs: 5, batchSize: 10, shuffle: true }, {
      afterBatch: (epoch, batch) => {
        seen.push(`${epoch}.${batch}`);
        if (batch === 4) stop = true;
      },
      afterEpoch: (epoch) => void seen.push(`epoch ${epoch}`),
      shouldStop: () => stop,
    });
    assert.deepEqual(seen, ['1.1', '1.2', '1.3', '1.4', 'epoch 1']);
    tf.dispose([x, y]);
  });

  it('awaits what the hooks return before the next batch (the yield that lets a stop in)', async () => {
    const [x, y] = data(20, 8);
    const model = classifier();
    const order: string[] = [];
    await fitLoop(model, x, y, null, { epochs: 1, batchSize: 10, shuffle: false }, {
      ...noHooks,
      afterBatch: (_e, batch) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            order.push(`yielded after ${batch}`);
            resolve();
          }, 5),
        ),
      afterEpoch: () => void order.push('epoch'),
    });
    assert.deepEqual(order, ['yielded after 1', 'yielded after 2', 'epoch']);
    tf.dispose([x, y]);
  });

  it('leaves no tensor behind', async () => {
    const [x, y] = data(30, 9);
    const val = data(7, 10);
    const model = classifier();
    await fitLoop(model, x, y, val, { epochs: 1, batchSize: 8, shuffle: true }, noHooks);
    const before = tf.memory().numTensors;
    await fitLoop(model, x, y, val, { epochs: 3, batchSize: 8, shuffle: true }, noHooks);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y, ...val]);
  });
});

describe('gathered epoch progress', () => {
  it('is taken apart into its epochs, in order; other messages pass as they are', () => {
    const epoch = (n: number) => ({ type: 'epoch' as const, epoch: n, epochs: 9, loss: 1 / n, valLoss: null, metrics: {}, seconds: n / 100 });
    const gathered: WorkerMessage = { type: 'epochs', list: [epoch(3), epoch(4), epoch(5)] };
    assert.deepEqual(unbatched(gathered), [epoch(3), epoch(4), epoch(5)]);
    assert.deepEqual(unbatched(epoch(1)), [epoch(1)]);
    const batch: WorkerMessage = { type: 'batch', epoch: 1, batch: 2, batches: 3, loss: 0.5, seconds: 0.1 };
    assert.deepEqual(unbatched(batch), [batch]);
  });
});
