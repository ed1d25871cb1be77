import * as assert from 'node:assert/strict';
import * as tf from '../../src/training/tf';
import { historyKey, makeLoss, makeOptimizer, planMetrics, SettingsError } from '../../src/training/compileSettings';

describe('training compile settings (Keras names → tfjs)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('maps optimizers with their Keras arguments and defaults', () => {
    const adam = makeOptimizer({ name: 'adam', args: { learning_rate: 0.005, beta_1: 0.8 } }) as tf.AdamOptimizer;
    assert.equal(adam.getClassName(), 'Adam');
    assert.deepEqual(adam.getConfig(), { learningRate: 0.005, beta1: 0.8, beta2: 0.999, epsilon: 1e-7 });
    assert.equal(makeOptimizer({ name: 'sgd', args: {} }).getClassName(), 'SGD');
    assert.equal(makeOptimizer({ name: 'sgd', args: {} }).getConfig().learningRate, 0.01, "Keras's SGD default");
    const momentum = makeOptimizer({ name: 'sgd', args: { learning_rate: 0.1, momentum: 0.9, nesterov: true } });
    assert.equal(momentum.getClassName(), 'Momentum');
    assert.deepEqual(momentum.getConfig(), { learningRate: 0.1, momentum: 0.9, useNesterov: true });
    assert.equal(makeOptimizer({ name: 'rmsprop', args: {} }).getConfig().decay, 0.9);
    assert.equal(makeOptimizer({ name: 'adagrad', args: {} }).getConfig().initialAccumulatorValue, 0.1);
    assert.equal(makeOptimizer({ name: 'adadelta', args: {} }).getConfig().rho, 0.95);
    assert.equal(makeOptimizer({ name: 'Adamax', args: {} }).getClassName(), 'Adamax');
    assert.throws(() => makeOptimizer({ name: 'nadam', args: {} }), SettingsError);
    assert.throws(() => makeOptimizer({ name: 'adam', args: { amsgrad: true } }), /amsgrad/);
  });

  it('maps loss names and aliases; huber is quadratic within 1 and linear beyond', () => {
    assert.equal(makeLoss('mse'), 'meanSquaredError');
    assert.equal(makeLoss('mean_absolute_error'), 'meanAbsoluteError');
    assert.equal(makeLoss('binary_crossentropy'), 'binaryCrossentropy');
    assert.equal(makeLoss('sparse_categorical_crossentropy'), 'sparseCategoricalCrossentropy');
    assert.throws(() => makeLoss('mean_squared_thing'), SettingsError);
    const huber = makeLoss('huber');
    assert.equal(typeof huber, 'function');
    if (typeof huber !== 'function') return;
    // Errors 0.5 and 3 in one sample: (0.5·0.25 + (0.5·1 + 1·2)) / 2 = 1.3125.
    const value = huber(tf.tensor2d([[0, 0]]), tf.tensor2d([[0.5, -3]])).arraySync() as number[];
    assert.ok(Math.abs(value[0] - 1.3125) < 1e-6, String(value));
  });

  it('logs metrics under the names the user wrote, val_ included', () => {
    const plan = planMetrics(['accuracy', 'mae', 'binary_accuracy']);
    assert.equal(plan.metrics[0], 'accuracy');
    assert.equal((plan.metrics[1] as { name: string }).name, 'mae');
    assert.equal((plan.metrics[2] as { name: string }).name, 'binary_accuracy');
    assert.equal(historyKey('acc', plan.rename), 'accuracy');
    assert.equal(historyKey('val_acc', plan.rename), 'val_accuracy');
    assert.equal(historyKey('val_mae', plan.rename), 'val_mae');
    assert.equal(historyKey('loss', plan.rename), 'loss');
    assert.equal(historyKey('acc', planMetrics(['acc']).rename), 'acc');
    assert.throws(() => planMetrics(['auc']), SettingsError);
  });

  it('a compiled tfjs model reports the metrics under those names', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    const plan = planMetrics(['accuracy', 'mse']);
    model.compile({ optimizer: makeOptimizer({ name: 'adam', args: {} }), loss: makeLoss('categorical_crossentropy'), metrics: plan.metrics });
    const h = await model.fit(tf.ones([4, 2]), tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3), { epochs: 1, verbose: 0, validationSplit: 0.5 });
    assert.deepEqual(Object.keys(h.history).map((k) => historyKey(k, plan.rename)).sort(), ['accuracy', 'loss', 'mse', 'val_accuracy', 'val_loss', 'val_mse']);
  });
});
