// Keras's Reshape on the whole-model path: the values stay as they lie in memory (batch-major,
// as tfjs's reshape keeps them); only the shape changes, a -1 in target_shape worked out from the
// sample's size. The gradient passes back unchanged.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, WholeModelLayer } from '../layer';

export class WholeModelReshape implements WholeModelLayer {
  readonly weights = [];

  /** target_shape with the unknown dimension (tfjs holds -1 as null) as -1. */
  private readonly target: number[];

  constructor(readonly name: string, target: (number | null)[]) {
    this.target = target.map((d) => d ?? -1);
  }

  forward(x: Activations, _training: boolean): Activations {
    const batch = x.shape[0];
    const sample = x.values.length / batch;
    const known = this.target.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const shape = this.target.map((d) => (d === -1 ? sample / known : d));
    if (!shape.every(Number.isInteger) || shape.reduce((a, d) => a * d, 1) !== sample) {
      throw new Error(`${this.name}: target_shape ${JSON.stringify(this.target)} does not fit a sample of ${sample} values`);
    }
    return { values: x.values, shape: [batch, ...shape], mask: null };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    return needInputGradient ? dy : null;
  }
}

export const reshapeFactory: LayerFactory = (layer: tf.layers.Layer) =>
  new WholeModelReshape(layer.name, (layer as unknown as { targetShape: (number | null)[] }).targetShape);
