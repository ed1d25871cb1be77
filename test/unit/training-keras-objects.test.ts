// The trainer builds initializers, regularizers and constraints with exactly the arguments
// written (`l2(0.001)` is 0.001, not Keras's default 0.01), from the engine's analysis.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/language';
import { initBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/build';

type Serialized = { className: string; config: Record<string, unknown> };

function built(layers: string) {
  const analysis = analyze(`model m {\n  input(3, 1)\n${layers}\n}\n`);
  const model = analysis.models[0];
  assert.ok(model.valid, analysis.diagnostics.map((d) => d.message).join('; '));
  return buildModel(model, { seed: 1 }).layers.slice(1).map((l) => l.getConfig() as Record<string, Serialized>);
}

describe('training: initializers, regularizers and constraints with their arguments', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('cpu');
  });

  it('regularizers: the factors written, Keras defaults for names', () => {
    const [lstm, dense, dense2] = built(
      '  LSTM(8, kernel_regularizer=l2(0.001), recurrent_regularizer=l1(0.5), bias_regularizer=L1L2(l1=0.1))\n' +
        '  Dense(2, kernel_regularizer="l2", bias_regularizer="l1_l2")\n' +
        '  Dense(1, kernel_regularizer=l1_l2(l2=0.2))',
    );
    assert.deepEqual(lstm.kernelRegularizer.config, { l1: 0, l2: 0.001 });
    assert.deepEqual(lstm.recurrentRegularizer.config, { l1: 0.5, l2: 0 });
    assert.deepEqual(lstm.biasRegularizer.config, { l1: 0.1, l2: 0 });
    assert.deepEqual(dense.kernelRegularizer.config, { l1: 0, l2: 0.01 });
    assert.deepEqual(dense.biasRegularizer.config, { l1: 0.01, l2: 0.01 });
    assert.deepEqual(dense2.kernelRegularizer.config, { l1: 0.01, l2: 0.2 });
  });

  it('initializers: the arguments written, the call\'s seed when it gives one', () => {
    const [dense, dense2] = built(
      '  Dense(4, kernel_initializer=RandomNormal(stddev=0.1, seed=7), bias_initializer=Constant(0.5))\n' +
        '  Dense(2, kernel_initializer=RandomUniform(-1, 1), bias_initializer=VarianceScaling(2.0, "fan_out", "uniform"))',
    );
    assert.equal(dense.kernelInitializer.className, 'RandomNormal');
    assert.deepEqual(dense.kernelInitializer.config, { mean: 0, stddev: 0.1, seed: 7 });
    assert.deepEqual(dense.biasInitializer.config, { value: 0.5 });
    assert.equal(dense2.kernelInitializer.config.minval, -1);
    assert.equal(dense2.kernelInitializer.config.maxval, 1);
    assert.deepEqual({ ...dense2.biasInitializer.config, seed: undefined }, { scale: 2, mode: 'fanOut', distribution: 'uniform', seed: undefined });
  });

  it('constraints: the arguments written', () => {
    const [dense, dense2] = built('  Dense(4, kernel_constraint=max_norm(3), bias_constraint=non_neg())\n  Dense(2, kernel_constraint=MinMaxNorm(0.5, 2.0, rate=0.5))');
    assert.deepEqual(dense.kernelConstraint, { className: 'MaxNorm', config: { maxValue: 3, axis: 0 } });
    assert.equal(dense.biasConstraint.className, 'NonNeg');
    assert.deepEqual(dense2.kernelConstraint.config, { minValue: 0.5, maxValue: 2, rate: 0.5, axis: 0 });
  });

  it('refuses what TensorFlow.js cannot honour, naming the argument, rather than training without it', () => {
    const analysis = analyze('model m {\n  input(3, 2)\n  LayerNormalization(gamma_constraint=non_neg())\n}\n');
    assert.throws(() => buildModel(analysis.models[0]), /gamma_constraint.*not available for LayerNormalization/);
  });

  it('the regularization penalty of l2(0.001) is 0.001 × Σw²', async () => {
    const analysis = analyze('model m {\n  input(2)\n  Dense(3, kernel_regularizer=l2(0.001), kernel_initializer=Constant(2))\n}\n');
    const dense = buildModel(analysis.models[0]).layers[1];
    const penalty = dense.losses.map((l) => (typeof l === 'function' ? l() : l));
    assert.equal(penalty.length, 1);
    const value = (await (penalty[0] as { data(): Promise<Float32Array> }).data())[0];
    // Six weights of 2: 0.001 × 6 × 4.
    assert.ok(Math.abs(value - 0.024) < 1e-6, String(value));
  });
});
