// TrainSettings speak Keras (adam(learning_rate=...), "mse", metrics=["accuracy"]); tfjs has its
// own names and argument orders. This maps one onto the other (Keras's defaults, where an
// argument is missing, come from the engine's table) and names the metrics in the history as
// the user wrote them.

import * as tf from './tf';
import { ElementwiseAdam } from './elementwiseAdam';
import { lookupObject, objectNames, resolveObject } from '../language';
import type { OptimizerSpec } from '../language';

/** A setting tfjs cannot honour (an unknown loss, amsgrad, ...): reported as a build error. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  const entry = lookupObject(spec.name);
  if (!entry || entry.kind !== 'optimizer') {
    throw new SettingsError(`Unknown optimizer '${spec.name}': use ${objectNames('optimizer', true).join(', ')}.`);
  }
  // The engine gives every argument; settings written by hand (tests, old runs) get Keras's
  // defaults from the same table (src/language/kerasObjects.ts).
  const a = resolveObject('optimizer', { type: entry.className, config: spec.args })!.config;
  const num = (key: string): number => {
    const v = a[key];
    if (typeof v !== 'number') throw new SettingsError(`${spec.name}(${key}=...) must be a number, got ${JSON.stringify(v)}.`);
    return v;
  };
  const lr = num('learning_rate');
  switch (entry.className) {
    case 'Adam':
      if (a.amsgrad === true) throw new SettingsError('adam(amsgrad=True) is not available in TensorFlow.js; remove amsgrad.');
      return new ElementwiseAdam(lr, num('beta_1'), num('beta_2'), num('epsilon'));
    case 'SGD': {
      const momentum = num('momentum');
      const nesterov = a.nesterov === true;
      // tfjs splits Keras's SGD in two: plain sgd, and momentum (with optional Nesterov).
      return momentum > 0 || nesterov ? tf.train.momentum(lr, momentum, nesterov) : tf.train.sgd(lr);
    }
    case 'RMSprop':
      return tf.train.rmsprop(lr, num('rho'), num('momentum'), num('epsilon'), a.centered === true);
    case 'Adagrad':
      return tf.train.adagrad(lr, num('initial_accumulator_value'));
    case 'Adadelta':
      return tf.train.adadelta(lr, num('rho'), num('epsilon'));
    case 'Adamax':
      return tf.train.adamax(lr, num('beta_1'), num('beta_2'), num('epsilon'), 0);
    default:
      throw new SettingsError(`optimizer '${entry.className}' is not available in TensorFlow.js.`);
  }
}

const LOSS_NAMES: Record<string, string> = {
  mse: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  hinge: 'hinge',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  logcosh: 'logcosh',
  log_cosh: 'logcosh',
  kld: 'kullbackLeiblerDivergence',
  kl_divergence: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  poisson: 'poisson',
};

/** Keras's Huber loss (delta 1): quadratic near zero, linear beyond, averaged over the last axis. */
function huber(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const error = tf.abs(tf.sub(yPred, yTrue));
    const quadratic = tf.minimum(error, 1);
    const linear = tf.sub(error, quadratic);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), linear), -1);
  });
}

/** The loss's tfjs identifier ('meanSquaredError', ...), or 'huber' (ours); a SettingsError if unknown. */
export function lossId(name: string): string {
  const key = name.toLowerCase();
  if (key === 'huber' || key === 'huber_loss') return 'huber';
  const tfName = LOSS_NAMES[key];
  if (!tfName) throw new SettingsError(`Unknown loss '${name}': use one of ${[...Object.keys(LOSS_NAMES), 'huber'].join(', ')}.`);
  return tfName;
}

export function makeLoss(name: string): string | LossFn {
  const id = lossId(name);
  return id === 'huber' ? huber : id;
}

const METRIC_FNS: Record<string, LossFn> = {
  mae: tf.metrics.meanAbsoluteError,
  mean_absolute_error: tf.metrics.meanAbsoluteError,
  mse: tf.metrics.meanSquaredError,
  mean_squared_error: tf.metrics.meanSquaredError,
  mape: tf.metrics.meanAbsolutePercentageError,
  mean_absolute_percentage_error: tf.metrics.meanAbsolutePercentageError,
  binary_accuracy: tf.metrics.binaryAccuracy,
  categorical_accuracy: tf.metrics.categoricalAccuracy,
  sparse_categorical_accuracy: tf.metrics.sparseCategoricalAccuracy,
  binary_crossentropy: tf.metrics.binaryCrossentropy,
  categorical_crossentropy: tf.metrics.categoricalCrossentropy,
  precision: tf.metrics.precision,
  recall: tf.metrics.recall,
};

export interface MetricPlan {
  /** What model.compile takes. */
  metrics: (string | LossFn)[];
  /** tfjs log key → the user's name ("acc" → "accuracy"); other keys are already right. */
  rename: Record<string, string>;
}

/**
 * 'accuracy' stays a string so tfjs picks binary, categorical or sparse accuracy from the
 * loss and output shape, as Keras does; it logs it as 'acc', which is renamed back. Every other
 * metric becomes a function whose name is the user's spelling, because tfjs logs a function
 * metric under its function name.
 */
export function planMetrics(names: string[]): MetricPlan {
  const metrics: (string | LossFn)[] = [];
  const rename: Record<string, string> = {};
  for (const name of names) {
    const key = name.toLowerCase();
    if (key === 'accuracy' || key === 'acc') {
      metrics.push('accuracy');
      rename.acc = name;
      continue;
    }
    const fn = METRIC_FNS[key];
    if (!fn) throw new SettingsError(`Unknown metric '${name}': use accuracy or one of ${Object.keys(METRIC_FNS).join(', ')}.`);
    const named = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => fn(yTrue, yPred);
    Object.defineProperty(named, 'name', { value: name });
    metrics.push(named);
  }
  return { metrics, rename };
}

/** A tfjs log key under the user's name, keeping the val_ prefix. */
export function historyKey(key: string, rename: Record<string, string>): string {
  if (key.startsWith('val_')) return `val_${rename[key.slice(4)] ?? key.slice(4)}`;
  return rename[key] ?? key;
}
