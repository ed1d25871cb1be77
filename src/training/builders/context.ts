// What every layer builder receives, and the argument groups several of them share.
import type * as tf from '../tf';
import type { LayerConfig, LayerInfo } from '../../language';
import type { ConfigReader } from '../config-reader';
import { constraint, initializer, regularizer } from '../keras-names';
import type { SeedSource } from '../seeds';

export type Layer = tf.layers.Layer;

export interface BuildContext {
  model: string;
  nextSeed: SeedSource;
  warn: (message: string) => void;
  /** Builds a nested layer (the one a wrapper wraps), with the same argument checks. */
  buildLayer(spec: LayerConfig | LayerInfo, name: string | undefined): Layer;
}

/**
 * Builds one Keras layer class as a tfjs layer. `spec` is the analysed layer (or a wrapped
 * layer's config), `a` reads its Keras arguments: every argument it does not read is reported
 * as unused by the trainer.
 */
export type LayerBuilder = (spec: LayerConfig | LayerInfo, name: string | undefined, a: ConfigReader, ctx: BuildContext) => Layer;

/** kernel_*, bias_* arguments of Dense and Conv1D. */
export function kernelArgs(a: ConfigReader, ctx: BuildContext) {
  return {
    kernelInitializer: initializer(a.raw('kernel_initializer', 'glorot_uniform'), ctx.nextSeed()),
    biasInitializer: initializer(a.raw('bias_initializer', 'zeros'), ctx.nextSeed()),
    kernelRegularizer: regularizer(a.raw('kernel_regularizer')) ?? undefined,
    biasRegularizer: regularizer(a.raw('bias_regularizer')) ?? undefined,
    kernelConstraint: constraint(a.raw('kernel_constraint')) ?? undefined,
    biasConstraint: constraint(a.raw('bias_constraint')) ?? undefined,
  };
}

export function channelsLast(a: ConfigReader): void {
  const format = a.optionalString('data_format');
  if (format !== null && format !== 'channels_last') {
    a.fail('data_format', `'${format}' is not supported; sequences are (steps, features)`);
  }
}
