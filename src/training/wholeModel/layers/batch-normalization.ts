// Keras's BatchNormalization over the last axis (2-D or 3-D input) on the whole-model path,
// as tfjs-layers computes it. Training: each channel normalised by the batch's mean and biased
// variance (tf.moments), with epsilon inside the square root; the moving mean and variance then
// move towards them as tfjs's doMovingAverage does, moving -= (moving - batch)·(1 - momentum).
// They are Weights with trainable=false, so the loop writes them back with the others.
// Inference: the moving statistics instead. center/scale=False leave beta/gamma out (0 and 1).
import type * as tf from '../../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';
import { unsupportedOption } from './unsupported';
import { weightOf } from './weights';

interface BatchNormalizationInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
  inputSpec: { ndim?: number }[] | null;
}

export class WholeModelBatchNormalization implements WholeModelLayer {
  readonly weights: Weight[];
  private readonly gamma: Weight | null;
  private readonly beta: Weight | null;
  private readonly movingMean: Weight;
  private readonly movingVariance: Weight;
  private readonly channels: number;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly out = new Reusable();
  private readonly dx = new Reusable();
  private readonly normed = new Reusable();
  // Per channel, from the last training forward: 1/√(variance + ε).
  private readonly invStd: Float32Array;
  private readonly mean: Float32Array;
  private readonly variance: Float32Array;
  // Per channel, from backward: Σ dy and Σ dy·x̂ (in double, as they sum a whole batch).
  private readonly sumDy: Float64Array;
  private readonly sumDyN: Float64Array;
  private rows = 0;

  constructor(readonly name: string, held: BatchNormalizationInternals) {
    this.gamma = held.gamma ? weightOf(held.gamma) : null;
    this.beta = held.beta ? weightOf(held.beta) : null;
    this.movingMean = weightOf(held.movingMean);
    this.movingVariance = weightOf(held.movingVariance);
    this.weights = [this.gamma, this.beta, this.movingMean, this.movingVariance].filter((w): w is Weight => w !== null);
    this.channels = this.movingMean.values.length;
    this.momentum = held.momentum;
    this.epsilon = held.epsilon;
    this.invStd = new Float32Array(this.channels);
    this.mean = new Float32Array(this.channels);
    this.variance = new Float32Array(this.channels);
    this.sumDy = new Float64Array(this.channels);
    this.sumDyN = new Float64Array(this.channels);
  }

  forward(x: Activations, training: boolean): Activations {
    const c = this.channels;
    const rows = x.values.length / c;
    const out = this.out.take(x.values.length);
    const xs = x.values;
    const mean = this.mean;
    const variance = this.variance;
    if (training) {
      mean.fill(0);
      variance.fill(0);
      for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) mean[j] += xs[r * c + j];
      for (let j = 0; j < c; j++) mean[j] /= rows;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < c; j++) {
          const d = xs[r * c + j] - mean[j];
          variance[j] += d * d;
        }
      }
      for (let j = 0; j < c; j++) variance[j] /= rows;
      const decay = 1 - this.momentum;
      const mm = this.movingMean.values;
      const mv = this.movingVariance.values;
      for (let j = 0; j < c; j++) {
        mm[j] -= (mm[j] - mean[j]) * decay;
        mv[j] -= (mv[j] - variance[j]) * decay;
      }
    } else {
      mean.set(this.movingMean.values);
      variance.set(this.movingVariance.values);
    }
    const invStd = this.invStd;
    for (let j = 0; j < c; j++) invStd[j] = 1 / Math.sqrt(variance[j] + this.epsilon);
    const gamma = this.gamma?.values;
    const beta = this.beta?.values;
    // The normalised input is kept for backward (dgamma, dx); only training needs it.
    const normed = training ? this.normed.take(xs.length) : null;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        const i = r * c + j;
        const n = (xs[i] - mean[j]) * invStd[j];
        if (normed) normed[i] = n;
        out[i] = (gamma ? n * gamma[j] : n) + (beta ? beta[j] : 0);
      }
    }
    this.rows = rows;
    return { values: out, shape: x.shape, mask: x.mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    const c = this.channels;
    const rows = this.rows;
    const normed = this.normed.take(rows * c);
    // Σ dy and Σ dy·x̂ per channel: beta's and gamma's gradients, and two terms of dx.
    const sumDy = this.sumDy.fill(0);
    const sumDyN = this.sumDyN.fill(0);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        const i = r * c + j;
        sumDy[j] += dy[i];
        sumDyN[j] += dy[i] * normed[i];
      }
    }
    if (this.beta) for (let j = 0; j < c; j++) this.beta.grad[j] += sumDy[j];
    if (this.gamma) for (let j = 0; j < c; j++) this.gamma.grad[j] += sumDyN[j];
    if (!needInputGradient) return null;
    // The mean and variance depend on every row: dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
    const dx = this.dx.take(rows * c);
    const gamma = this.gamma?.values;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        const i = r * c + j;
        const g = (gamma ? gamma[j] : 1) * this.invStd[j];
        dx[i] = g * (dy[i] - sumDy[j] / rows - normed[i] * (sumDyN[j] / rows));
      }
    }
    return dx;
  }
}

export const batchNormalizationFactory: LayerFactory = (layer: tf.layers.Layer) => {
  const held = layer as unknown as BatchNormalizationInternals;
  const problem = unsupportedOption(layer, {
    beta_regularizer: 'betaRegularizer',
    gamma_regularizer: 'gammaRegularizer',
    beta_constraint: 'betaConstraint',
    gamma_constraint: 'gammaConstraint',
  });
  if (problem) return problem;
  const rank = held.inputSpec?.[0]?.ndim;
  if (rank !== 2 && rank !== 3) {
    return { unsupported: `${layer.name}: BatchNormalization on input of rank ${rank ?? 'unknown'} (the whole-model path normalises 2-D and 3-D input)` };
  }
  if (held.axis !== -1 && held.axis !== rank - 1) {
    return { unsupported: `${layer.name}: BatchNormalization axis=${held.axis} (the whole-model path normalises the last axis)` };
  }
  return new WholeModelBatchNormalization(layer.name, held);
};
