// The whole-model counterpart of a layer inside a wrapper (Bidirectional's directions,
// TimeDistributed's layer), found in the registry the wrapper's factory was given: passed in
// rather than imported, so the registry and the wrappers it lists do not import each other.
import type * as tf from '../../tf';
import type { LayerFactory, Unsupported, WholeModelLayer } from '../layer';

export type FactoryLookup = (className: string) => LayerFactory | undefined;

/** The inner layer's counterpart, or why there is none, said of the wrapper. */
export function innerCounterpart(wrapper: tf.layers.Layer, inner: tf.layers.Layer, inputShape: number[], lookup: FactoryLookup): WholeModelLayer | Unsupported {
  const factory = lookup(inner.getClassName());
  if (!factory) return { unsupported: `${wrapper.name}: the ${inner.getClassName()} inside has no whole-model counterpart` };
  const made = factory(inner, inputShape);
  return 'unsupported' in made ? { unsupported: `${wrapper.name}: ${made.unsupported}` } : made;
}
