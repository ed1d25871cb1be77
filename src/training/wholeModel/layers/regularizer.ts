// Keras's weight regularizers on the whole-model path: tfjs's L1L2 (what l1(...), l2(...) and
// l1_l2(...) build) becomes a Weight's penalty, which the loop adds to the loss with its
// gradient (loop.ts). Any other regularizer class sends the model to tfjs's loop.
import type { Penalty, Unsupported, Weight } from '../layer';

/** The penalty of a tfjs regularizer (null: none), or why the path cannot compute it. */
export function penaltyOf(layerName: string, keras: string, regularizer: unknown): Penalty | null | Unsupported {
  if (regularizer == null) return null;
  const r = regularizer as { getClassName?: () => string; l1?: number; l2?: number };
  if (r.getClassName?.() !== 'L1L2' || typeof r.l1 !== 'number' || typeof r.l2 !== 'number') {
    return { unsupported: `${layerName}: ${keras} ${r.getClassName?.() ?? String(regularizer)} is not computed on the whole-model path` };
  }
  return { l1: r.l1, l2: r.l2 };
}

/**
 * Adds a weight's penalty gradient to its grad (l1·sign(w), with tfjs's abs gradient of −1 at 0,
 * plus 2·l2·w) and returns the penalty itself.
 */
export function applyPenalty(values: Float32Array, grad: Float32Array, penalty: Penalty): number {
  const { l1, l2 } = penalty;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const w = values[i];
    sum += l1 * Math.abs(w) + l2 * w * w;
    grad[i] += l1 * (w > 0 ? 1 : -1) + 2 * l2 * w;
  }
  return sum;
}

/** Sets a weight's penalty from penaltyOf's answer (already checked to be no Unsupported). */
export function withPenalty(weight: Weight, penalty: Penalty | null | Unsupported): void {
  if (penalty && !('unsupported' in penalty)) weight.penalty = penalty;
}
