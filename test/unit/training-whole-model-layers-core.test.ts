// The whole-model path's own layers (Dense, Flatten, Dropout, Activation and the fused recurrent
// layers) compute what tfjs-layers computes: forward outputs, weight gradients and input
// gradients agree to 1e-4 relative on random small cases; central finite differences confirm
// one case of each family independently of tfjs. The recurrent layers run on every build of the
// kernels here (native, WebAssembly: the input projected in the module; TypeScript: projected
// before the kernel).
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../../src/training/fused/layers';
import { automaticImplementation, implementations, useImplementation } from '../helpers/kernelBuilds';
import { assertFiniteDifferences, assertMatchesTfjs, chainModel, planOf, runPlan } from '../helpers/whole-model';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const BUILT = existsSync(path.join(__dirname, '..', '..', 'dist', 'fused-kernels.wasm'));

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
  for (const implementation of implementations(BUILT)) {
    describe(`recurrent layers on the ${implementation} kernels`, () => {
      before(() => useImplementation(implementation));
      after(() => automaticImplementation());

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

      for (const [kind, make] of Object.entries(kinds)) {
        it(`${kind}: Keras's masking (masked steps carry the state), forward and backward`, () => {
          const mask = [
            [1, 1, 0, 1],
            [1, 0, 0, 1],
            [1, 1, 1, 1],
          ];
          assertMatchesTfjs(chainModel([4, 2], [make({ units: 3 }), tf.layers.dense({ units: 2 })]), 3, 200, `${kind} masked`, 1e-4, mask);
          assertMatchesTfjs(chainModel([4, 2], [make({ units: 3, returnSequences: true, goBackwards: true }), tf.layers.dense({ units: 2 })]), 3, 201, `${kind} masked backwards`, 1e-4, mask);
        });

        it(`${kind}: central finite differences, with dropout and recurrent_dropout masks`, () => {
          const plan = planOf(chainModel([4, 2], [make({ units: 3, dropout: 0.3, recurrentDropout: 0.4, returnSequences: true }), tf.layers.dense({ units: 2, activation: 'tanh' })]));
          assertFiniteDifferences(plan, [3, 4, 2], 300, `${kind} with dropout`);
        });
      }
    });
  }

  it('Dense and Activation(softmax): central finite differences', () => {
    assertFiniteDifferences(planOf(chainModel([5], [tf.layers.dense({ units: 4, activation: 'sigmoid' }), tf.layers.activation({ activation: 'softmax' })])), [3, 5], 310, 'Dense → softmax');
  });

  it('Dropout while training: each value kept (scaled by 1 / (1 − rate)) or dropped, the gradient through the same mask', () => {
    const plan = planOf(chainModel([400], [tf.layers.dropout({ rate: 0.25 })]));
    const x = new Float32Array(400).fill(1);
    const dy = Float32Array.from({ length: 400 }, (_, i) => i);
    const { y, dx } = runPlan(plan, x, [1, 400], dy);
    const kept = y.filter((v) => v !== 0);
    assert.ok(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6), 'kept values are scaled by 1 / (1 − rate)');
    assert.ok(kept.length > 260 && kept.length < 340, `${kept.length} of 400 kept at rate 0.25`);
    y.forEach((v, i) => assert.ok(Math.abs(dx![i] - (v === 0 ? 0 : i * (4 / 3))) <= 1e-4 * Math.max(1, i), `dx[${i}]`));
    assert.deepEqual(Array.from(runPlan(plan, x, [1, 400], null, null, false).y), Array.from(x), 'the identity when not training');
  });
});
