// Keras's names for activations, initializers, regularizers and constraints, turned into
// tfjs objects. Initializers, regularizers and constraints carry every argument (Keras's
// defaults filled in by the engine's table, src/language/kerasObjects.ts), so nothing is left
// to tfjs's own defaults, which differ in places (docs/keras-reference.md).
import * as tf from './tf';
import type { Constraint } from '@tensorflow/tfjs-layers/dist/constraints';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import type { Regularizer } from '@tensorflow/tfjs-layers/dist/regularizers';
import { objectNames, resolveObject, type ObjectConfig } from '../language';
import type { ObjectKind } from '../language';
import type { ConfigValue } from '../language';
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

/** An activation's name, or null for None. */
function nameOf(value: ConfigValue, what: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
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

/** A number of an object's config (the engine has checked it). */
function num(config: Record<string, ConfigValue>, key: string): number {
  const v = config[key];
  if (typeof v !== 'number') throw new UnsupportedError(`${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** The class and every argument the engine bound (kerasObjects.ts), or why there is none. */
function resolve(kind: ObjectKind, value: ConfigValue): ObjectConfig | null {
  const resolved = resolveObject(kind, value);
  if (resolved === undefined) {
    const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
    throw new UnsupportedError(`${kind} ${shown} is not available in TensorFlow.js; use one of ${objectNames(kind).join(', ')}`);
  }
  return resolved;
}

const VARIANCE_MODES: Record<string, 'fanIn' | 'fanOut' | 'fanAvg'> = { fan_in: 'fanIn', fan_out: 'fanOut', fan_avg: 'fanAvg' };
// tfjs's VarianceScaling draws a truncated normal for 'normal' (as its glorotNormal and
// heNormal do) and, despite the name, a uniform for 'truncatedNormal'; it has no untruncated
// normal, which the engine therefore does not offer.
const DISTRIBUTIONS: Record<string, 'normal' | 'uniform'> = { truncated_normal: 'normal', uniform: 'uniform' };

/**
 * A Keras initializer (a name or a call, kerasObjects.ts) → a tfjs Initializer with exactly
 * its arguments. `seed` makes the random ones reproducible unless the call gives its own; it
 * is ignored by the constant ones.
 */
export function initializer(value: ConfigValue, seed: number | undefined): Initializer {
  const init = resolve('initializer', value);
  if (init === null) throw new UnsupportedError('an initializer cannot be None');
  const c = init.config;
  const s = typeof c.seed === 'number' ? c.seed : seed;
  const I = tf.initializers;
  switch (init.type) {
    case 'GlorotUniform':
      return I.glorotUniform({ seed: s });
    case 'GlorotNormal':
      return I.glorotNormal({ seed: s });
    case 'HeUniform':
      return I.heUniform({ seed: s });
    case 'HeNormal':
      return I.heNormal({ seed: s });
    case 'LecunUniform':
      return I.leCunUniform({ seed: s });
    case 'LecunNormal':
      return I.leCunNormal({ seed: s });
    case 'Orthogonal':
      // tfjs's own takes seconds to minutes on recurrent kernels: see layers/orthogonal.ts.
      return new FastOrthogonal({ gain: num(c, 'gain'), seed: s });
    case 'RandomUniform':
      return I.randomUniform({ minval: num(c, 'minval'), maxval: num(c, 'maxval'), seed: s });
    case 'RandomNormal':
      return I.randomNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev'), seed: s });
    case 'TruncatedNormal':
      return I.truncatedNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev'), seed: s });
    case 'VarianceScaling':
      return I.varianceScaling({ scale: num(c, 'scale'), mode: VARIANCE_MODES[String(c.mode)], distribution: DISTRIBUTIONS[String(c.distribution)], seed: s });
    case 'Zeros':
      return I.zeros();
    case 'Ones':
      return I.ones();
    case 'Constant':
      return I.constant({ value: num(c, 'value') });
    case 'Identity':
      return I.identity({ gain: num(c, 'gain') });
    default:
      throw new UnsupportedError(`initializer '${init.type}' is not available in TensorFlow.js`);
  }
}

/** A Keras regularizer (a name or a call) → a tfjs Regularizer with exactly its factors, or null. */
export function regularizer(value: ConfigValue): Regularizer | null {
  const reg = resolve('regularizer', value);
  if (reg === null) return null;
  const c = reg.config;
  switch (reg.type) {
    case 'L1':
      return tf.regularizers.l1({ l1: num(c, 'l1') });
    case 'L2':
      return tf.regularizers.l2({ l2: num(c, 'l2') });
    case 'L1L2':
      return tf.regularizers.l1l2({ l1: num(c, 'l1'), l2: num(c, 'l2') });
    default:
      throw new UnsupportedError(`regularizer '${reg.type}' is not available in TensorFlow.js`);
  }
}

/** A Keras constraint (a name or a call) → a tfjs Constraint with exactly its arguments, or null. */
export function constraint(value: ConfigValue): Constraint | null {
  const con = resolve('constraint', value);
  if (con === null) return null;
  const c = con.config;
  switch (con.type) {
    case 'MaxNorm':
      return tf.constraints.maxNorm({ maxValue: num(c, 'max_value'), axis: num(c, 'axis') });
    case 'MinMaxNorm':
      return tf.constraints.minMaxNorm({ minValue: num(c, 'min_value'), maxValue: num(c, 'max_value'), rate: num(c, 'rate'), axis: num(c, 'axis') });
    case 'NonNeg':
      return tf.constraints.nonNeg();
    case 'UnitNorm':
      return tf.constraints.unitNorm({ axis: num(c, 'axis') });
    default:
      throw new UnsupportedError(`constraint '${con.type}' is not available in TensorFlow.js`);
  }
}
