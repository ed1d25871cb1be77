// Keras's names for activations, initializers, regularizers and constraints, turned into
// tfjs objects with Keras's default arguments stated explicitly (tfjs's defaults differ in
// places: see ../../shared/REFERENCE.md and the comments below).
import * as tf from '@tensorflow/tfjs';
import type { Constraint } from '@tensorflow/tfjs-layers/dist/constraints';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import type { Regularizer } from '@tensorflow/tfjs-layers/dist/regularizers';
import type { ConfigValue } from '../language/model';
import { FastOrthogonal } from './layers/orthogonal';

/** An argument value the trainer cannot express in tfjs. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

/** 'GlorotUniform', 'glorot_uniform' and 'glorotUniform' all become 'glorotuniform'. */
function normalise(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** A named value: the engine keeps calls such as `l2(0.01)` as their name (docs/language.md). */
function nameOf(value: ConfigValue, what: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !Array.isArray(value) && typeof value.type === 'string') {
    return value.type;
  }
  throw new UnsupportedError(`${what} must be a name, got ${JSON.stringify(value)}`);
}

// Keras activation name → tfjs identifier. hard_sigmoid is tf.keras 2's 0.2·x + 0.5 clipped,
// which is tfjs's hardSigmoid; silu is Keras's alias of swish (x·sigmoid(x), tfjs's swish).
const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  gelu: 'gelu',
  mish: 'mish',
};

const ACTIVATION_BY_NORMALISED = new Map(
  Object.entries(ACTIVATIONS).map(([keras, tfjs]) => [normalise(keras), tfjs]),
);

/** Keras activation name (None → linear) → tfjs identifier; throws for one tfjs lacks. */
export function activation(value: ConfigValue): string {
  const name = nameOf(value, 'activation');
  if (name === null) return 'linear';
  const id = ACTIVATION_BY_NORMALISED.get(normalise(name));
  if (id === undefined) {
    throw new UnsupportedError(
      `activation '${name}' is not available in TensorFlow.js; ` +
        `use one of ${Object.keys(ACTIVATIONS).join(', ')}`,
    );
  }
  return id;
}

/**
 * Keras initializer name → a tfjs Initializer with Keras's default arguments. `seed` makes the
 * random ones reproducible; it is ignored by the constant ones.
 */
export function initializer(value: ConfigValue, seed: number | undefined): Initializer {
  const name = nameOf(value, 'initializer');
  if (name === null) throw new UnsupportedError('an initializer cannot be None');
  const I = tf.initializers;
  switch (normalise(name)) {
    case 'glorotuniform':
      return I.glorotUniform({ seed });
    case 'glorotnormal':
      return I.glorotNormal({ seed });
    case 'heuniform':
      return I.heUniform({ seed });
    case 'henormal':
      return I.heNormal({ seed });
    case 'lecununiform':
      return I.leCunUniform({ seed });
    case 'lecunnormal':
      return I.leCunNormal({ seed });
    case 'orthogonal':
      // tfjs's own takes seconds to minutes on recurrent kernels: see layers/orthogonal.ts.
      return new FastOrthogonal({ gain: 1, seed });
    // Keras: RandomUniform(-0.05, 0.05), RandomNormal(0, 0.05), TruncatedNormal(0, 0.05);
    // 'uniform' is Keras's Embedding default.
    case 'uniform':
    case 'randomuniform':
      return I.randomUniform({ minval: -0.05, maxval: 0.05, seed });
    case 'normal':
    case 'randomnormal':
      return I.randomNormal({ mean: 0, stddev: 0.05, seed });
    case 'truncatednormal':
      return I.truncatedNormal({ mean: 0, stddev: 0.05, seed });
    case 'variancescaling':
      // Keras's VarianceScaling() defaults: scale 1, fan_in, truncated normal.
      return I.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed });
    case 'zeros':
    case 'zero':
      return I.zeros();
    case 'ones':
    case 'one':
      return I.ones();
    case 'constant':
      return I.constant({ value: 0 });
    case 'identity':
      return I.identity({ gain: 1 });
    default:
      throw new UnsupportedError(`initializer '${name}' is not available in TensorFlow.js`);
  }
}

/** Keras regularizer name → tfjs Regularizer with Keras's default factor (0.01), or null. */
export function regularizer(value: ConfigValue): Regularizer | null {
  const name = nameOf(value, 'regularizer');
  if (name === null) return null;
  switch (normalise(name)) {
    case 'l1':
      return tf.regularizers.l1({ l1: 0.01 });
    case 'l2':
      return tf.regularizers.l2({ l2: 0.01 });
    case 'l1l2':
      // Keras's L1L2() defaults both factors to 0; the string 'l1_l2' means 0.01 and 0.01.
      return tf.regularizers.l1l2({ l1: 0.01, l2: 0.01 });
    default:
      throw new UnsupportedError(`regularizer '${name}' is not available in TensorFlow.js`);
  }
}

/** Keras constraint name → tfjs Constraint with Keras's defaults, or null. */
export function constraint(value: ConfigValue): Constraint | null {
  const name = nameOf(value, 'constraint');
  if (name === null) return null;
  switch (normalise(name)) {
    case 'maxnorm':
      return tf.constraints.maxNorm({ maxValue: 2, axis: 0 });
    case 'minmaxnorm':
      return tf.constraints.minMaxNorm({ minValue: 0, maxValue: 1, rate: 1, axis: 0 });
    case 'nonneg':
      return tf.constraints.nonNeg();
    case 'unitnorm':
      return tf.constraints.unitNorm({ axis: 0 });
    default:
      throw new UnsupportedError(`constraint '${name}' is not available in TensorFlow.js`);
  }
}
