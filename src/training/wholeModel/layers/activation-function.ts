// A layer's activation over a batch's arrays: the element-wise ones of fused/activations.ts
// (tfjs's own definitions, each with its derivative) and softmax over the last axis, which mixes
// a row's values and so needs a row-wise forward and backward. Dense and Activation share it.
import { elementwiseActivation } from '../../fused/activations';

export interface ArrayActivation {
  readonly id: string;
  /** y = f(z) over rows of `width` values. */
  forward(z: Float32Array, y: Float32Array, width: number): void;
  /** dz = dy · f'(z) (the Jacobian-vector product for softmax); y = f(z). */
  backward(z: Float32Array, y: Float32Array, dy: Float32Array, dz: Float32Array, width: number): void;
}

const linear: ArrayActivation = {
  id: 'linear',
  forward: (z, y) => y.set(z),
  backward: (_z, _y, dy, dz) => dz.set(dy),
};

/** tfjs's softmax: exp(z − max) / Σ, per row; its gradient y ⊙ (dy − Σ dy·y). */
const softmax: ArrayActivation = {
  id: 'softmax',
  forward(z, y, width) {
    for (let at = 0; at < z.length; at += width) {
      let max = -Infinity;
      for (let j = 0; j < width; j++) if (z[at + j] > max) max = z[at + j];
      let sum = 0;
      for (let j = 0; j < width; j++) {
        const e = Math.exp(z[at + j] - max);
        y[at + j] = e;
        sum += e;
      }
      for (let j = 0; j < width; j++) y[at + j] /= sum;
    }
  },
  backward(_z, y, dy, dz, width) {
    for (let at = 0; at < y.length; at += width) {
      let dot = 0;
      for (let j = 0; j < width; j++) dot += dy[at + j] * y[at + j];
      for (let j = 0; j < width; j++) dz[at + j] = y[at + j] * (dy[at + j] - dot);
    }
  },
};

/** The activation with this tfjs identifier (layer.activation.getClassName()), or null when the path lacks it. */
export function arrayActivation(id: string): ArrayActivation | null {
  if (id === 'linear') return linear;
  if (id === 'softmax') return softmax;
  const fn = elementwiseActivation(id);
  if (fn === null) return null;
  return {
    id,
    forward(z, y) {
      for (let i = 0; i < z.length; i++) y[i] = fn.f(z[i]);
    },
    backward(z, y, dy, dz) {
      for (let i = 0; i < z.length; i++) dz[i] = dy[i] * fn.df(z[i], y[i]);
    },
  };
}

/** The tfjs identifier of a layer's activation object (tfjs's Activation classes name themselves so). */
export function activationId(activation: unknown): string {
  const named = activation as { getClassName?: () => string } | null | undefined;
  return named?.getClassName?.() ?? 'linear';
}
