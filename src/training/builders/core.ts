// Dense, Activation, Dropout, SpatialDropout1D and Masking as tfjs layers.
import * as tf from '../tf';
import { activation, regularizer } from '../keras-names';
import { kernelArgs, type LayerBuilder } from './context';

export const Dense: LayerBuilder = (_spec, name, a, ctx) =>
  tf.layers.dense({
    name,
    units: a.int('units', 1),
    activation: activation(a.raw('activation', null)) as 'linear',
    useBias: a.bool('use_bias', true),
    ...kernelArgs(a, ctx),
    activityRegularizer: regularizer(a.raw('activity_regularizer')) ?? undefined,
  });

export const Activation: LayerBuilder = (_spec, name, a) => tf.layers.activation({ name, activation: activation(a.raw('activation', 'linear')) as 'linear' });

export const Dropout: LayerBuilder = (_spec, name, a) => {
  // No seed is passed: tfjs reuses a seeded dropout's mask on every batch.
  a.skip('seed');
  const noiseShape = a.raw('noise_shape');
  return tf.layers.dropout({
    name,
    rate: a.number('rate', 0),
    // Keras's noise_shape includes the batch; None means "as the input", which tfjs also
    // reads from a null entry (its type says number[]).
    noiseShape: noiseShape === null ? undefined : (a.shape('noise_shape') as number[]),
  });
};

export const SpatialDropout1D: LayerBuilder = (_spec, name, a) => {
  a.skip('seed');
  // Its args type lacks `name`, which the layer does accept (it is a Dropout).
  return tf.layers.spatialDropout1d({ name, rate: a.number('rate', 0) } as Parameters<typeof tf.layers.spatialDropout1d>[0]);
};

export const Masking: LayerBuilder = (_spec, name, a) => tf.layers.masking({ name, maskValue: a.number('mask_value', 0) });
