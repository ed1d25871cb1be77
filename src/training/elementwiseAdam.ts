// Adam with its update done in one pass over each weight's values in JavaScript, instead of
// tfjs's AdamOptimizer, which runs about a dozen kernels per weight (mul, add, square, div,
// sqrt, assign, ...) every batch. For the small models this project's users start with (the
// seed LSTM: five weights, a few hundred values each) those kernels' per-op overhead was a
// quarter of an epoch; one loop over the values costs microseconds (bench/training.ts).
//
// The arithmetic is tfjs's formula (the same bias-corrected moments, epsilon added to the
// square root as tfjs does) computed in double precision and stored in float32: the weights
// agree with tf.train.adam's to float32 rounding, which test/unit/training-adam.test.ts checks.
// (Rounding every step to float32 as each tfjs kernel does cost 2.5× the time.) It is still an AdamOptimizer (class name, config,
// saving, loading); only where the moments live differs: Float32Arrays here, not tfjs variables.

import * as tf from './tf';
import { adamStep } from './optimizerSteps';

const f = Math.fround;

type Gradients = Parameters<tf.Optimizer['applyGradients']>[0];
type NamedTensor = { name: string; tensor: tf.Tensor };

interface Moments {
  m: Float32Array;
  v: Float32Array;
}

export class ElementwiseAdam extends tf.AdamOptimizer {
  /** Per variable name: its first and second moments. */
  private readonly moments = new Map<string, Moments>();
  /** beta1^t and beta2^t as tfjs keeps them: float32 products, one factor per step. */
  private powBeta1: number;
  private powBeta2: number;

  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number) {
    super(learningRate, beta1, beta2, epsilon);
    this.powBeta1 = f(beta1);
    this.powBeta2 = f(beta2);
  }

  override applyGradients(variableGradients: Gradients): void {
    const pairs: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const b1 = f(this.beta1);
    const b2 = f(this.beta2);
    const eps = this.epsilon;
    // The bias corrections folded into two factors: one multiplication per value instead of
    // tfjs's two divisions.
    const stepSize = -this.learningRate / (1 - this.powBeta1);
    const secondScale = 1 / (1 - this.powBeta2);
    const registered = tf.engine().registeredVariables;
    for (const [name, gradient] of pairs) {
      const variable = registered[name];
      if (!gradient || !variable) continue;
      const g = gradient.dataSync() as Float32Array;
      // A copy: on the cpu backend dataSync hands out the variable's own storage.
      const x = (variable.dataSync() as Float32Array).slice();
      let state = this.moments.get(name);
      if (!state || state.m.length !== x.length) {
        state = { m: new Float32Array(x.length), v: new Float32Array(x.length) };
        this.moments.set(name, state);
      }
      adamStep(x, g, state.m, state.v, b1, b2, stepSize, secondScale, eps);
      tf.tidy(() => variable.assign(tf.tensor(x, variable.shape, 'float32')));
    }
    this.powBeta1 = f(this.powBeta1 * b1);
    this.powBeta2 = f(this.powBeta2 * b2);
    this.incrementIterations();
  }

  /** As tfjs's Adam: the iteration count, then every first moment, then every second moment. */
  override async getWeights(): Promise<NamedTensor[]> {
    const names = [...this.moments.keys()];
    const moment = (key: 'm' | 'v') =>
      names.map((name) => ({ name: `${name}/${key}`, tensor: tf.tensor(this.moments.get(name)![key], [this.moments.get(name)![key].length]) }));
    return [await this.saveIterations(), ...moment('m'), ...moment('v')];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const count = rest.length / 2;
    this.moments.clear();
    for (let i = 0; i < count; i++) {
      const name = rest[i].name.replace(/\/m$/, '');
      this.moments.set(name, {
        m: Float32Array.from(rest[i].tensor.dataSync() as Float32Array),
        v: Float32Array.from(rest[count + i].tensor.dataSync() as Float32Array),
      });
    }
    // The running products again, factor by factor, so a restored optimizer continues exactly
    // as the one that was saved (Math.pow can differ in the last bit).
    this.powBeta1 = f(this.beta1);
    this.powBeta2 = f(this.beta2);
    for (let t = 0; t < this.iterations; t++) {
      this.powBeta1 = f(this.powBeta1 * f(this.beta1));
      this.powBeta2 = f(this.powBeta2 * f(this.beta2));
    }
  }
}
