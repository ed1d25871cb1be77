// BatchNormalization and LayerNormalization as tfjs layers.
import * as tf from '../tf';
import type { ConfigValue } from '../../language';
import type { ConfigReader } from '../config-reader';
import { constraint, initializer, regularizer } from '../keras-names';
import type { LayerBuilder } from './context';

export const BatchNormalization: LayerBuilder = (_spec, name, a, ctx) =>
  tf.layers.batchNormalization({
    name,
    axis: singleAxis(a),
    momentum: a.number('momentum', 0.99),
    epsilon: a.number('epsilon', 0.001),
    center: a.bool('center', true),
    scale: a.bool('scale', true),
    betaInitializer: initializer(a.raw('beta_initializer', 'zeros'), ctx.nextSeed()),
    gammaInitializer: initializer(a.raw('gamma_initializer', 'ones'), ctx.nextSeed()),
    movingMeanInitializer: initializer(a.raw('moving_mean_initializer', 'zeros'), ctx.nextSeed()),
    movingVarianceInitializer: initializer(a.raw('moving_variance_initializer', 'ones'), ctx.nextSeed()),
    betaRegularizer: regularizer(a.raw('beta_regularizer')) ?? undefined,
    gammaRegularizer: regularizer(a.raw('gamma_regularizer')) ?? undefined,
    betaConstraint: constraint(a.raw('beta_constraint')) ?? undefined,
    gammaConstraint: constraint(a.raw('gamma_constraint')) ?? undefined,
  });

export const LayerNormalization: LayerBuilder = (_spec, name, a, ctx) => {
  // tfjs's LayerNormalization takes no constraints: refuse them rather than train without.
  for (const key of ['beta_constraint', 'gamma_constraint']) {
    if (a.raw(key) !== null) a.fail(key, 'is not available for LayerNormalization in TensorFlow.js');
  }
  return tf.layers.layerNormalization({
    name,
    axis: singleAxis(a),
    epsilon: a.number('epsilon', 0.001),
    center: a.bool('center', true),
    scale: a.bool('scale', true),
    betaInitializer: initializer(a.raw('beta_initializer', 'zeros'), ctx.nextSeed()),
    gammaInitializer: initializer(a.raw('gamma_initializer', 'ones'), ctx.nextSeed()),
    betaRegularizer: regularizer(a.raw('beta_regularizer')) ?? undefined,
    gammaRegularizer: regularizer(a.raw('gamma_regularizer')) ?? undefined,
  });
};

/** BatchNormalization/LayerNormalization axis: one axis, possibly as a one-element list. */
function singleAxis(a: ConfigReader): number {
  const value: ConfigValue = a.raw('axis', -1);
  const axis = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    a.fail('axis', `must be one integer axis in TensorFlow.js, got ${JSON.stringify(value)}`);
  }
  return axis;
}
