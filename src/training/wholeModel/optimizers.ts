// The compiled model's optimizer, run over the whole-model path's weight arrays: the same class
// and settings the user chose (makeOptimizer in compileSettings.ts built it), its update
// formula from optimizerSteps.ts, its state (moments, accumulators) in Float32Arrays per weight.
//
// The tfjs optimizer itself is left untouched: a run saves the model without its optimizer
// (modelFiles.ts: model.save with no includeOptimizer), and nothing else reads its state.
import * as tf from '../tf';
import type { Unsupported, Weight } from './layer';
import { adadeltaStep, adagradStep, adamaxStep, adamStep, momentumStep, rmspropStep, sgdStep } from '../optimizerSteps';
import { simdKernels } from '../fused/simd/module';

const f = Math.fround;

export interface ArrayOptimizer {
  /** Its tfjs class name, for messages. */
  readonly name: string;
  /** One update of every trainable weight from its `grad`. */
  step(weights: Weight[]): void;
}

/** Per weight, the state arrays an optimizer keeps, made on first use. */
function stateOf(count: number): (w: Weight, fill?: number) => Float32Array[] {
  const states = new Map<Weight, Float32Array[]>();
  return (w, fill = 0) => {
    let s = states.get(w);
    if (!s) {
      s = Array.from({ length: count }, () => new Float32Array(w.values.length).fill(fill));
      states.set(w, s);
    }
    return s;
  };
}

/** The same field tfjs keeps, read from the optimizer object (its classes expose them). */
function field(optimizer: tf.Optimizer, key: string): number {
  return (optimizer as unknown as Record<string, number>)[key];
}

/** The array counterpart of a compiled model's tfjs optimizer, or why there is none. */
export function arrayOptimizer(optimizer: tf.Optimizer): ArrayOptimizer | Unsupported {
  const name = optimizer.getClassName();
  const lr = field(optimizer, 'learningRate');
  const each = (update: (w: Weight) => void) => (weights: Weight[]) => {
    for (const w of weights) if (w.trainable) update(w);
  };
  // By class name: tfjs's optimizers answer instanceof by duck typing (an Adam "is" a Momentum).
  if (name === 'Momentum') {
    const state = stateOf(1);
    const momentum = field(optimizer, 'momentum');
    const nesterov = (optimizer as unknown as { useNesterov: boolean }).useNesterov === true;
    return { name, step: each((w) => momentumStep(w.values, w.grad, state(w)[0], lr, momentum, nesterov)) };
  }
  if (name === 'SGD') return { name, step: each((w) => sgdStep(w.values, w.grad, lr)) };
  if (name === 'Adam') {
    const b1 = f(field(optimizer, 'beta1'));
    const b2 = f(field(optimizer, 'beta2'));
    const eps = field(optimizer, 'epsilon');
    const state = stateOf(2);
    // β^t as tfjs keeps them: float32 products, one factor per step.
    let pow1 = b1;
    let pow2 = b2;
    return {
      name,
      step: (weights) => {
        const stepSize = -lr / (1 - pow1);
        const secondScale = 1 / (1 - pow2);
        for (const w of weights) {
          if (!w.trainable) continue;
          const [m, v] = state(w);
          adamStep(w.values, w.grad, m, v, b1, b2, stepSize, secondScale, eps);
        }
        pow1 = f(pow1 * b1);
        pow2 = f(pow2 * b2);
      },
    };
  }
  if (name === 'RMSProp') {
    const centered = (optimizer as unknown as { centered: boolean }).centered === true;
    const state = stateOf(centered ? 3 : 2);
    const rho = field(optimizer, 'decay');
    const momentum = field(optimizer, 'momentum');
    const eps = field(optimizer, 'epsilon');
    // The native build's pass where it loaded: the same formula, eight weights at a time (the
    // sentiment model's 320,000 embedding weights made this loop a seventh of each batch).
    const step = simdKernels()?.optimizers?.rmspropStep ?? rmspropStep;
    return {
      name,
      step: each((w) => {
        const [ms, mom, mg] = state(w);
        step(w.values, w.grad, ms, mom, centered ? mg : null, lr, rho, momentum, eps);
      }),
    };
  }
  if (name === 'Adagrad') {
    const initial = field(optimizer, 'initialAccumulatorValue');
    const state = stateOf(1);
    const eps = tf.backend().epsilon();
    return { name, step: each((w) => adagradStep(w.values, w.grad, state(w, initial)[0], lr, eps)) };
  }
  if (name === 'Adadelta') {
    const rho = field(optimizer, 'rho');
    const eps = field(optimizer, 'epsilon');
    const state = stateOf(2);
    return {
      name,
      step: each((w) => {
        const [g2, u2] = state(w);
        adadeltaStep(w.values, w.grad, g2, u2, lr, rho, eps);
      }),
    };
  }
  if (name === 'Adamax') {
    const b1 = field(optimizer, 'beta1');
    const b2 = field(optimizer, 'beta2');
    const eps = field(optimizer, 'epsilon');
    if (field(optimizer, 'decay') !== 0) return { unsupported: `optimizer Adamax with decay` };
    const state = stateOf(2);
    let pow1 = f(b1);
    return {
      name,
      step: (weights) => {
        const stepSize = -lr / (1 - pow1);
        for (const w of weights) {
          if (!w.trainable) continue;
          const [m, u] = state(w);
          adamaxStep(w.values, w.grad, m, u, b1, b2, stepSize, eps);
        }
        pow1 = f(pow1 * f(b1));
      },
    };
  }
  return { unsupported: `optimizer ${name}` };
}
