// Each optimizer on the whole-model path takes the steps tfjs's takes: a few epochs of the
// whole-model loop and of fitLoop (tfjs's train function and optimizer), from the same initial
// weights on the same data (no shuffle, no dropout, several batches with a smaller last one),
// end with the same weights to 1e-4, and log the same losses.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { makeOptimizer } from '../../src/training/compileSettings';
import { type EpochLogs, fitLoop } from '../../src/training/fitLoop';
import { FusedLSTM } from '../../src/training/fused/layers';
import { wholeModelFit } from '../../src/training/wholeModel/loop';
import type { WholeModelPlan } from '../../src/training/wholeModel/plan';
import { assertClose, chainModel, planOf, random, randomArray } from '../helpers/whole-model';

const OPTIMIZERS: { name: string; args: Record<string, unknown> }[] = [
  { name: 'adam', args: { learning_rate: 0.01 } },
  { name: 'sgd', args: { learning_rate: 0.05 } },
  { name: 'sgd', args: { learning_rate: 0.05, momentum: 0.9 } },
  { name: 'sgd', args: { learning_rate: 0.05, momentum: 0.9, nesterov: true } },
  { name: 'rmsprop', args: { learning_rate: 0.01 } },
  { name: 'rmsprop', args: { learning_rate: 0.01, momentum: 0.5 } },
  { name: 'rmsprop', args: { learning_rate: 0.01, centered: true } },
  { name: 'adagrad', args: { learning_rate: 0.05 } },
  { name: 'adadelta', args: { learning_rate: 1 } },
  { name: 'adamax', args: { learning_rate: 0.01 } },
];

function model(spec: (typeof OPTIMIZERS)[number]): tf.LayersModel {
  return chainModel([4, 2], [new FusedLSTM({ units: 5 } as never), tf.layers.dense({ units: 2, activation: 'tanh' })], {
    loss: 'meanSquaredError',
    optimizer: makeOptimizer(spec as never),
  });
}

const hooks = (logs: EpochLogs[]) => ({ afterBatch: () => undefined, afterEpoch: (_e: number, l: EpochLogs) => void logs.push(l), shouldStop: () => false });

describe('whole-model optimizers against tfjs', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('cpu');
  });

  /**
   * Trains two copies of a model (same initial weights) for 3 epochs of 3 batches, one with
   * fitLoop and one on the whole-model path; the epoch losses and final weights agree.
   */
  async function assertSameTraining(make: () => tf.LayersModel, seed: number, check: (plan: WholeModelPlan) => void = () => undefined): Promise<void> {
    const next = random(seed);
    const x = { values: randomArray(10 * 4 * 2, next), shape: [10, 4, 2] };
    const y = { values: randomArray(10 * 2, next, 0.8), shape: [10, 2] };
    const reference = make();
    const ours = make();
    ours.setWeights(reference.getWeights());
    const options = { epochs: 3, batchSize: 4, shuffle: false };
    const tfjsLogs: EpochLogs[] = [];
    const ourLogs: EpochLogs[] = [];
    const [xt, yt] = [tf.tensor(x.values, x.shape), tf.tensor(y.values, y.shape)];
    await fitLoop(reference, xt, yt, null, options, hooks(tfjsLogs));
    tf.dispose([xt, yt]);
    const plan = planOf(ours);
    check(plan);
    await wholeModelFit(plan, { x, y }, null, options, hooks(ourLogs));
    assertClose(ourLogs.map((l) => l.loss), tfjsLogs.map((l) => l.loss), 'epoch losses');
    const expected = reference.getWeights();
    const actual = ours.getWeights();
    assert.equal(actual.length, expected.length);
    actual.forEach((w, i) => assertClose(w.dataSync(), expected[i].dataSync(), `weight ${i}`));
  }

  for (const spec of OPTIMIZERS) {
    it(`${spec.name}(${JSON.stringify(spec.args)}): the same weights after 3 epochs of 3 batches`, async () => {
      await assertSameTraining(() => model(spec), 5);
    });
  }

  it('Dense with L1/L2 regularizers (kernel, bias): the same losses (penalties included) and weights as tfjs', async () => {
    const make = () =>
      chainModel([4, 2], [
        new FusedLSTM({ units: 5 } as never),
        tf.layers.dense({ units: 3, activation: 'tanh', kernelRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: tf.regularizers.l1({ l1: 0.02 }) }),
        tf.layers.dense({ units: 2, kernelRegularizer: tf.regularizers.l2({ l2: 0.05 }) }),
      ], { loss: 'meanSquaredError', optimizer: makeOptimizer({ name: 'adam', args: { learning_rate: 0.01 } } as never) });
    await assertSameTraining(make, 9, (plan) => {
      assert.equal(plan.layers.flatMap((l) => l.weights).filter((w) => w.penalty).length, 3, 'every regularized weight has its penalty');
    });
  });
});
