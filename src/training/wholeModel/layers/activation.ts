// Keras's Activation layer on the whole-model path: the activation alone (activation-function.ts),
// over the last axis; the mask passes through.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, WholeModelLayer } from '../layer';
import { activationId, arrayActivation, type ArrayActivation } from './activation-function';
import { Reusable } from './buffers';

class WholeModelActivation implements WholeModelLayer {
  readonly weights = [];
  private x: Float32Array = new Float32Array(0);
  private width = 1;
  private readonly y = new Reusable();
  private readonly dx = new Reusable();

  constructor(
    readonly name: string,
    private readonly activation: ArrayActivation,
  ) {}

  forward(x: Activations): Activations {
    this.x = x.values;
    this.width = x.shape[x.shape.length - 1];
    const y = this.y.take(x.values.length);
    this.activation.forward(x.values, y, this.width);
    return { values: y, shape: x.shape, mask: x.mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    if (!needInputGradient) return null;
    const dx = this.dx.take(dy.length);
    this.activation.backward(this.x, this.y.take(dy.length), dy, dx, this.width);
    return dx;
  }
}

export const activationFactory: LayerFactory = (layer: tf.layers.Layer) => {
  const id = activationId((layer as unknown as { activation: unknown }).activation);
  const activation = arrayActivation(id);
  if (activation === null) return { unsupported: `${layer.name}: activation '${id}' is not computed on the whole-model path` };
  return new WholeModelActivation(layer.name, activation);
};
