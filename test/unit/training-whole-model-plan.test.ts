// The whole-model plan takes the chains it computes exactly and says, for everything else, why
// the model trains on tfjs's loop instead.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { FusedLSTM } from '../../src/training/fused/layers';
import { planWholeModel } from '../../src/training/wholeModel/plan';
import { chainModel } from '../helpers/whole-model';

function reason(model: tf.LayersModel, loss = 'mse', metrics: string[] = []): string | null {
  const outcome = planWholeModel(model, { loss, metrics });
  return 'plan' in outcome ? null : outcome.reason;
}

describe('whole-model plan', () => {
  before(async () => {
    await initBackend('cpu');
  });

  it('takes a chain of layers it has, with a loss, metrics and optimizer it computes', () => {
    const model = chainModel([3, 1], [new FusedLSTM({ units: 4 } as never), tf.layers.dense({ units: 2 })], { metrics: ['mae'] });
    assert.equal(reason(model, 'mse', ['mae']), null);
  });

  it('says why for a layer option it does not compute, a layer it has no counterpart for, and a model that is not a chain', () => {
    assert.equal(reason(chainModel([4], [tf.layers.dense({ units: 2, kernelConstraint: 'maxNorm', name: 'constrained' })])), 'constrained: kernel_constraint is not computed on the whole-model path');
    // tfjs-layers never applies a recurrent layer's regularizers (they stay on its cell): such a layer stays on tfjs, as its path does.
    assert.equal(reason(chainModel([3, 2], [new FusedLSTM({ units: 2, kernelRegularizer: 'l1l2', name: 'lstm_l2' } as never)])), 'lstm_l2: kernel_regularizer is not computed on the whole-model path');
    assert.match(reason(chainModel([4], [tf.layers.gaussianNoise({ stddev: 0.1, name: 'noise' }), tf.layers.dense({ units: 2 })])) ?? '', /^layer noise \(GaussianNoise\) has no whole-model counterpart$/);
    const input = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
    const joined = tf.model({ inputs: input, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    joined.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
    assert.match(reason(joined) ?? '', /not fed by the one before it \(not a chain\)|several inputs/);
  });

  it('says why for a loss or metric it does not compute, and when it is turned off', () => {
    const model = chainModel([4], [tf.layers.dense({ units: 3, activation: 'softmax' })]);
    assert.equal(reason(model, 'categorical_hinge'), "loss 'categorical_hinge' is not computed on the whole-model path");
    const withPrecision = chainModel([4], [tf.layers.dense({ units: 1, activation: 'sigmoid' })], { metrics: [] });
    assert.equal(reason(withPrecision, 'binary_crossentropy', ['precision']), "metric 'precision' is not computed on the whole-model path");
    const before = process.env['SEQMODEL_WHOLE_MODEL'];
    process.env['SEQMODEL_WHOLE_MODEL'] = '0';
    try {
      assert.equal(reason(model), 'the whole-model loop is turned off (SEQMODEL_WHOLE_MODEL=0)');
    } finally {
      if (before === undefined) delete process.env['SEQMODEL_WHOLE_MODEL'];
      else process.env['SEQMODEL_WHOLE_MODEL'] = before;
    }
  });
});
