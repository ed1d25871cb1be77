// Conv1D and the 1-D pooling layers as tfjs layers.
import * as tf from '../tf';
import type { ConfigReader } from '../config-reader';
import { activation, regularizer } from '../keras-names';
import { SeqModelConv1D } from '../layers/conv1d';
import { GlobalPooling1DKeepdims } from '../layers/global-pooling-keepdims';
import { channelsLast, kernelArgs, type LayerBuilder } from './context';

export const Conv1D: LayerBuilder = (_spec, name, a, ctx) => {
  channelsLast(a);
  if (a.int('groups', 1) !== 1) a.fail('groups', 'other than 1 is not available in TensorFlow.js');
  const padding = a.string('padding', 'valid');
  if (!['valid', 'same', 'causal'].includes(padding)) {
    a.fail('padding', `must be 'valid', 'same' or 'causal', got '${padding}'`);
  }
  const convArgs = {
    name,
    filters: a.int('filters', 1),
    kernelSize: a.int('kernel_size', 1),
    strides: a.int('strides', 1),
    dilationRate: a.int('dilation_rate', 1),
    activation: activation(a.raw('activation', null)) as 'linear',
    useBias: a.bool('use_bias', true),
    ...kernelArgs(a, ctx),
    activityRegularizer: regularizer(a.raw('activity_regularizer')) ?? undefined,
  };
  // tfjs-layers's Conv1D cannot do 'causal', dilation in training, or train on wasm at
  // all: see layers/conv1d.ts.
  return new SeqModelConv1D({ ...convArgs, padding: padding as 'valid' | 'same' | 'causal' });
};

function poolArgs(name: string | undefined, a: ConfigReader) {
  channelsLast(a);
  return {
    name,
    poolSize: a.int('pool_size', 2),
    // Keras: strides None means pool_size.
    strides: a.optionalInt('strides') ?? undefined,
    padding: a.string('padding', 'valid') as 'valid',
  };
}

export const MaxPooling1D: LayerBuilder = (_spec, name, a) => tf.layers.maxPooling1d(poolArgs(name, a));
export const AveragePooling1D: LayerBuilder = (_spec, name, a) => tf.layers.averagePooling1d(poolArgs(name, a));

/** GlobalMaxPooling1D or GlobalAveragePooling1D. */
function globalPooling(mode: 'max' | 'average'): LayerBuilder {
  return (_spec, name, a) => {
    channelsLast(a);
    // tfjs's global pooling layers cannot keep the pooled axis: see layers/global-pooling-keepdims.ts.
    if (a.bool('keepdims', false)) return new GlobalPooling1DKeepdims({ name, mode });
    return mode === 'max' ? tf.layers.globalMaxPooling1d({ name }) : tf.layers.globalAveragePooling1d({ name });
  };
}

export const GlobalMaxPooling1D = globalPooling('max');
export const GlobalAveragePooling1D = globalPooling('average');
