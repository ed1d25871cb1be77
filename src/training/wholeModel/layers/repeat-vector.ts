// Keras's RepeatVector on the whole-model path: (batch, features) → (batch, n, features), each
// sample's vector n times; backward, the n copies' gradients summed.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';

export class WholeModelRepeatVector implements WholeModelLayer {
  readonly weights = [];
  private readonly out = new Reusable();
  private readonly dx = new Reusable();
  private inShape: number[] = [0, 0];

  constructor(readonly name: string, private readonly n: number) {}

  forward(x: Activations, _training: boolean): Activations {
    const [batch, features] = x.shape;
    const out = this.out.take(batch * this.n * features);
    for (let b = 0; b < batch; b++) {
      const row = x.values.subarray(b * features, (b + 1) * features);
      for (let t = 0; t < this.n; t++) out.set(row, (b * this.n + t) * features);
    }
    this.inShape = x.shape;
    return { values: out, shape: [batch, this.n, features], mask: null };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    if (!needInputGradient) return null;
    const [batch, features] = this.inShape;
    const dx = this.dx.zeros(batch * features);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < this.n; t++) {
        const from = (b * this.n + t) * features;
        for (let j = 0; j < features; j++) dx[b * features + j] += dy[from + j];
      }
    }
    return dx;
  }
}

export const repeatVectorFactory: LayerFactory = (layer: tf.layers.Layer) =>
  new WholeModelRepeatVector(layer.name, (layer as unknown as { n: number }).n);
