// Keras's TimeDistributed on the whole-model path, generic over the layer it wraps: the
// (batch, steps, ...) input is read as (batch·steps, ...) rows, as it lies in memory, and the
// inner layer's counterpart runs once over all of them. tfjs runs the inner layer step by step
// instead; for a layer that treats its rows independently (Dense, Conv1D, ...) that is the same
// computation. BatchNormalization is not such a layer (tfjs normalises each step on its own and
// moves the moving statistics once per step), so it stays on tfjs.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { innerCounterpart, type FactoryLookup } from './inner';

/** Inner layers whose rows interact within a batch: wrapped, they are not row-independent. */
const ACROSS_ROWS = new Set(['BatchNormalization']);

export class WholeModelTimeDistributed implements WholeModelLayer {
  readonly weights: Weight[];

  constructor(readonly name: string, private readonly inner: WholeModelLayer) {
    this.weights = inner.weights;
  }

  forward(x: Activations, training: boolean): Activations {
    const [batch, steps, ...rest] = x.shape;
    const y = this.inner.forward({ values: x.values, shape: [batch * steps, ...rest], mask: null }, training);
    // tfjs's TimeDistributed passes the input's mask on.
    return { values: y.values, shape: [batch, steps, ...y.shape.slice(1)], mask: x.mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    return this.inner.backward(dy, needInputGradient);
  }
}

/** TimeDistributed's factory, finding its inner layer's factory with `lookup` (the registry). */
export function timeDistributedFactory(lookup: FactoryLookup): LayerFactory {
  return (layer: tf.layers.Layer, inputShape: number[]) => {
    const inner = (layer as unknown as { layer: tf.layers.Layer }).layer;
    if (ACROSS_ROWS.has(inner.getClassName())) {
      return { unsupported: `${layer.name}: ${inner.getClassName()} inside TimeDistributed runs per step in tfjs (statistics per step), which the whole-model path does not reproduce` };
    }
    // The planner gives the batch as -1 (any size); then the rows are any number too.
    const [batch, steps, ...rest] = inputShape;
    const rows = batch < 0 || steps < 0 ? -1 : batch * steps;
    const made = innerCounterpart(layer, inner, [rows, ...rest], lookup);
    return 'unsupported' in made ? made : new WholeModelTimeDistributed(layer.name, made);
  };
}
