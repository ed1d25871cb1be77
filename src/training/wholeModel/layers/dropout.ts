// Keras's Dropout on the whole-model path: while training, each value is kept with probability
// 1 − rate and scaled by 1 / (1 − rate) (tfjs's dropout), else dropped; otherwise the identity.
// The draws come from Math.random, which a seeded run replaces (seededMath.ts), so a seeded run
// repeats its masks. A noise_shape (masks shared along axes) trains on tfjs.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';

/**
 * Fills `mask` with Keras's inverted dropout: 1 / (1 − rate) with probability 1 − rate, else 0,
 * from Math.random. Dropout here and the recurrent layers' per-sequence masks draw through it.
 */
export function drawDropoutMask(mask: Float32Array, rate: number): Float32Array {
  const scale = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = Math.random() >= rate ? scale : 0;
  return mask;
}

class WholeModelDropout implements WholeModelLayer {
  readonly weights = [];
  private readonly mask = new Reusable();
  private readonly y = new Reusable();
  private readonly dx = new Reusable();
  private active = false;

  constructor(
    readonly name: string,
    private readonly rate: number,
  ) {}

  forward(x: Activations, training: boolean): Activations {
    this.active = training && this.rate > 0 && this.rate < 1;
    if (!this.active) return x;
    const n = x.values.length;
    const mask = drawDropoutMask(this.mask.take(n), this.rate);
    const y = this.y.take(n);
    for (let i = 0; i < n; i++) y[i] = x.values[i] * mask[i];
    return { values: y, shape: x.shape, mask: x.mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    if (!needInputGradient) return null;
    if (!this.active) return dy;
    const dx = this.dx.take(dy.length);
    const mask = this.mask.take(dy.length);
    for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * mask[i];
    return dx;
  }
}

export const dropoutFactory: LayerFactory = (layer: tf.layers.Layer) => {
  const held = layer as unknown as { rate: number; noiseShape: number[] | null | undefined };
  if (held.noiseShape != null) return { unsupported: `${layer.name}: noise_shape is not computed on the whole-model path` };
  return new WholeModelDropout(layer.name, held.rate);
};
