// Keras's dropout for recurrent cells: one mask for the step inputs and one for the recurrent
// state, drawn at the first step of a sequence and kept for all its steps (the same units are
// dropped at every step, so the recurrence does not see fresh noise each step), only while
// training; the layer running the cell clears them before each sequence.
import * as tf from '../tf';

/** An input-sized mask of 0 or 1/(1-rate) while training; all ones otherwise (as Keras). */
function dropoutMask(like: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  const ones = tf.onesLike(like);
  return tf.keep(training ? tf.dropout(ones, rate) : ones);
}

export class DropoutMasks {
  private inputMask: tf.Tensor | null = null;
  private recurrentMask: tf.Tensor | null = null;

  /** Rates outside (0, 1) mean no dropout, as in Keras. */
  constructor(
    readonly rate: number,
    readonly recurrentRate: number,
  ) {}

  /** The step input with the sequence's input mask applied (unchanged at rate 0). */
  input(x: tf.Tensor, training: boolean): tf.Tensor {
    if (!(this.rate > 0 && this.rate < 1)) return x;
    this.inputMask ??= dropoutMask(x, this.rate, training);
    return tf.mul(x, this.inputMask);
  }

  /** The previous state as the recurrent matrix product sees it (masked while training). */
  recurrent(h: tf.Tensor, training: boolean): tf.Tensor {
    if (!(this.recurrentRate > 0 && this.recurrentRate < 1)) return h;
    this.recurrentMask ??= dropoutMask(h, this.recurrentRate, training);
    return tf.mul(h, this.recurrentMask);
  }

  /** Forgets the masks: the next sequence draws its own. */
  reset(): void {
    if (this.inputMask != null) tf.dispose(this.inputMask);
    if (this.recurrentMask != null) tf.dispose(this.recurrentMask);
    this.inputMask = null;
    this.recurrentMask = null;
  }
}
