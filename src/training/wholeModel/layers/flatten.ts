// Keras's Flatten on the whole-model path: the values stay as they are (batch-major, row-major),
// only the shape changes; the gradient likewise. Keras drops the mask here.
import type { Activations, LayerFactory, WholeModelLayer } from '../layer';

class WholeModelFlatten implements WholeModelLayer {
  readonly weights = [];
  constructor(readonly name: string) {}

  forward(x: Activations): Activations {
    const batch = x.shape[0];
    return { values: x.values, shape: [batch, x.values.length / batch], mask: null };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    return needInputGradient ? dy : null;
  }
}

export const flattenFactory: LayerFactory = (layer) => new WholeModelFlatten(layer.name);
