// Options of a tfjs layer that the whole-model path does not compute: a regularizer adds a term
// to the loss and a constraint projects the weights after each step, neither of which these
// layers do. A layer with one set trains on tfjs instead, and the run says which option why.
import type * as tf from '../../tf';
import type { Unsupported } from '../layer';

/**
 * The first of `options` (Keras argument name → the tfjs layer's property) that is set on the
 * layer, as an Unsupported; null when none is. The activity regularizer is every layer's.
 */
export function unsupportedOption(layer: tf.layers.Layer, options: Record<string, string>): Unsupported | null {
  const fields = { activity_regularizer: 'activityRegularizer', ...options };
  const held = layer as unknown as Record<string, unknown>;
  for (const [keras, property] of Object.entries(fields)) {
    if (held[property] != null) {
      return { unsupported: `${layer.name}: ${keras} is not computed on the whole-model path` };
    }
  }
  return null;
}
