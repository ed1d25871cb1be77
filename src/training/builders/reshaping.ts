// Flatten, RepeatVector and Reshape as tfjs layers.
import * as tf from '../tf';
import type { ConfigReader } from '../config-reader';
import { channelsLast, type LayerBuilder } from './context';

export const Flatten: LayerBuilder = (_spec, name, a) => {
  channelsLast(a);
  return tf.layers.flatten({ name });
};

export const RepeatVector: LayerBuilder = (_spec, name, a) => tf.layers.repeatVector({ name, n: a.int('n', 1) });

export const Reshape: LayerBuilder = (spec, name, a) => tf.layers.reshape({ name, targetShape: reshapeTarget(a, 'inputShape' in spec ? spec.inputShape : null) });

/**
 * Reshape's target_shape with its -1 worked out: tfjs leaves a -1 unknown (None) in the
 * symbolic shape, which the next layer cannot build weights on; Keras computes it.
 */
function reshapeTarget(a: ConfigReader, input: (number | null)[] | null): number[] {
  const target = a.shape('target_shape').map((d) => {
    if (d === null) a.fail('target_shape', 'cannot hold None');
    return d;
  });
  const unknown = target.indexOf(-1);
  const sample = input?.slice(1) ?? [];
  if (unknown < 0 || sample.some((d) => d === null) || input === null) return target;
  const total = (sample as number[]).reduce((x, y) => x * y, 1);
  const known = target.reduce((x, y) => (y === -1 ? x : x * y), 1);
  if (known === 0 || total % known !== 0) {
    a.fail('target_shape', `${JSON.stringify(target)} does not fit an input of ${total} values`);
  }
  return target.map((d) => (d === -1 ? total / known : d));
}
