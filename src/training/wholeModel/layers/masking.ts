// Keras's Masking on the whole-model path: a step whose features all equal mask_value is masked
// (the (batch, steps) mask the recurrent layers after it read) and its features become 0, as
// tfjs multiplies them by the mask; backward, masked steps pass no gradient.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';

export class WholeModelMasking implements WholeModelLayer {
  readonly weights = [];
  private readonly out = new Reusable();
  private readonly dx = new Reusable();
  private mask = new Uint8Array(0);
  private width = 1;

  constructor(readonly name: string, private readonly maskValue: number) {}

  forward(x: Activations, _training: boolean): Activations {
    const [batch, steps, width] = x.shape;
    const rows = batch * steps;
    if (this.mask.length < rows) this.mask = new Uint8Array(rows);
    const mask = this.mask.subarray(0, rows);
    const out = this.out.take(x.values.length);
    const xs = x.values;
    for (let r = 0; r < rows; r++) {
      const at = r * width;
      let kept = 0;
      for (let j = 0; j < width; j++) {
        if (xs[at + j] !== this.maskValue) {
          kept = 1;
          break;
        }
      }
      mask[r] = kept;
      for (let j = 0; j < width; j++) out[at + j] = kept ? xs[at + j] : 0;
    }
    this.width = width;
    return { values: out, shape: x.shape, mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    if (!needInputGradient) return null;
    const dx = this.dx.take(dy.length);
    const width = this.width;
    for (let i = 0; i < dy.length; i++) dx[i] = this.mask[(i / width) | 0] ? dy[i] : 0;
    return dx;
  }
}

export const maskingFactory: LayerFactory = (layer: tf.layers.Layer, inputShape: number[]) => {
  // Activations.mask is (batch, steps): Masking on other ranks masks something else.
  if (inputShape.length !== 3) return { unsupported: `${layer.name}: Masking on input of rank ${inputShape.length} (the whole-model path masks (batch, steps, features))` };
  return new WholeModelMasking(layer.name, (layer as unknown as { maskValue: number }).maskValue);
};
