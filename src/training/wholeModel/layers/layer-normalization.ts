// Keras's LayerNormalization over the last axis on the whole-model path, as tfjs-layers computes
// it: each row (one sample, or one sample's step) normalised by its own mean and biased
// variance, epsilon inside the square root, then scaled by gamma and shifted by beta per unit.
// Unlike BatchNormalization there is no moving statistic and training and inference agree.
import type * as tf from '../../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';
import { unsupportedOption } from './unsupported';
import { weightOf } from './weights';

interface LayerNormalizationInternals {
  axis: number | number[];
  epsilon: number;
  gamma: LayerVariable | null;
  beta: LayerVariable | null;
}

export class WholeModelLayerNormalization implements WholeModelLayer {
  readonly weights: Weight[];
  private readonly gamma: Weight | null;
  private readonly beta: Weight | null;
  private readonly out = new Reusable();
  private readonly normed = new Reusable();
  private readonly dx = new Reusable();
  private invStd = new Float32Array(0);
  private rows = 0;
  private readonly epsilon: number;

  constructor(readonly name: string, held: LayerNormalizationInternals, private readonly width: number) {
    this.gamma = held.gamma ? weightOf(held.gamma) : null;
    this.beta = held.beta ? weightOf(held.beta) : null;
    this.weights = [this.gamma, this.beta].filter((w): w is Weight => w !== null);
    this.epsilon = held.epsilon;
  }

  forward(x: Activations, _training: boolean): Activations {
    const c = this.width;
    const rows = x.values.length / c;
    const xs = x.values;
    const out = this.out.take(xs.length);
    const normed = this.normed.take(xs.length);
    if (this.invStd.length < rows) this.invStd = new Float32Array(rows);
    const gamma = this.gamma?.values;
    const beta = this.beta?.values;
    for (let r = 0; r < rows; r++) {
      const at = r * c;
      let mean = 0;
      for (let j = 0; j < c; j++) mean += xs[at + j];
      mean /= c;
      let variance = 0;
      for (let j = 0; j < c; j++) variance += (xs[at + j] - mean) ** 2;
      variance /= c;
      const inv = 1 / Math.sqrt(variance + this.epsilon);
      this.invStd[r] = inv;
      for (let j = 0; j < c; j++) {
        const n = (xs[at + j] - mean) * inv;
        normed[at + j] = n;
        out[at + j] = (gamma ? n * gamma[j] : n) + (beta ? beta[j] : 0);
      }
    }
    this.rows = rows;
    return { values: out, shape: x.shape, mask: x.mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    const c = this.width;
    const normed = this.normed.take(this.rows * c);
    const gamma = this.gamma?.values;
    for (let i = 0; i < this.rows * c; i++) {
      const j = i % c;
      if (this.gamma) this.gamma.grad[j] += dy[i] * normed[i];
      if (this.beta) this.beta.grad[j] += dy[i];
    }
    if (!needInputGradient) return null;
    // Per row, with g = dy·γ: dx = (g − mean(g) − x̂·mean(g·x̂)) / σ.
    const dx = this.dx.take(this.rows * c);
    for (let r = 0; r < this.rows; r++) {
      const at = r * c;
      let sumG = 0;
      let sumGN = 0;
      for (let j = 0; j < c; j++) {
        const g = gamma ? dy[at + j] * gamma[j] : dy[at + j];
        sumG += g;
        sumGN += g * normed[at + j];
      }
      for (let j = 0; j < c; j++) {
        const g = gamma ? dy[at + j] * gamma[j] : dy[at + j];
        dx[at + j] = this.invStd[r] * (g - sumG / c - normed[at + j] * (sumGN / c));
      }
    }
    return dx;
  }
}

export const layerNormalizationFactory: LayerFactory = (layer: tf.layers.Layer, inputShape: number[]) => {
  const held = layer as unknown as LayerNormalizationInternals;
  const problem = unsupportedOption(layer, { beta_regularizer: 'betaRegularizer', gamma_regularizer: 'gammaRegularizer' });
  if (problem) return problem;
  const last = inputShape.length - 1;
  const axes = (Array.isArray(held.axis) ? held.axis : [held.axis]).map((a) => (a < 0 ? a + inputShape.length : a));
  if (axes.length !== 1 || axes[0] !== last) {
    return { unsupported: `${layer.name}: LayerNormalization axis=${JSON.stringify(held.axis)} (the whole-model path normalises the last axis)` };
  }
  const width = inputShape[last];
  if (!(width > 0)) return { unsupported: `${layer.name}: LayerNormalization over an axis of unknown size` };
  return new WholeModelLayerNormalization(layer.name, held, width);
};
