// What every layer of the whole-model training path implements. On that path a batch never
// becomes a tfjs tensor: each layer runs forward and backward over Float32Arrays (batch-major,
// as tfjs lays tensors out), the loss and the optimizer work on the same arrays, and the
// weights are copied back into the model's tfjs variables when training ends (or stops), so
// saving, Predict, Open Run and Export to Keras see an ordinary trained tfjs model.
//
// Why: for the small models this project's users train, tfjs's per-operation overhead (tens of
// microseconds a kernel, a few hundred kernels a batch with autograd and the optimizer) is most
// of a batch's time; the arithmetic itself is microseconds.
import type * as tf from '../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';

/** A batch's values between two layers: (batch, ...shape) batch-major, and Keras's mask if any. */
export interface Activations {
  values: Float32Array;
  /** Including the batch dimension first. */
  shape: number[];
  /** (batch, steps): 0 where a step is masked (Embedding(mask_zero=True) and what it feeds); null: none. */
  mask: Uint8Array | null;
}

/** One weight of a layer: its values and gradient as arrays, and the tfjs variable it mirrors. */
export interface Weight {
  /** The tfjs variable: read once when training starts, written back by syncToModel. */
  variable: LayerVariable;
  values: Float32Array;
  /** Summed over the batch by backward(); zeroed by the loop before each batch. */
  grad: Float32Array;
  /** False: not updated by the optimizer (BatchNormalization's moving statistics, trainable=False). */
  trainable: boolean;
  /**
   * Its L1L2 regularizer (Keras's kernel_, recurrent_ or bias_regularizer), if any: the loop adds
   * l1·Σ|w| + l2·Σw² to the training loss (not to validation's, as tfjs) and its gradient to `grad`.
   */
  penalty?: Penalty;
}

export interface Penalty {
  l1: number;
  l2: number;
}

export interface WholeModelLayer {
  /** The tfjs layer's name, for messages. */
  readonly name: string;
  readonly weights: Weight[];
  /** `training` as Keras means it: dropout active, BatchNormalization on batch statistics. */
  forward(x: Activations, training: boolean): Activations;
  /**
   * After forward(x, true): adds this batch's gradients into each weight's `grad` and returns
   * the gradient of the loss with respect to x (x's layout), or null when x is not
   * differentiable (the token ids into an Embedding) or nothing before needs it.
   */
  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null;
}

/** Why a tfjs layer cannot run on the whole-model path (the model then trains on tfjs's). */
export interface Unsupported {
  unsupported: string;
}

/**
 * Makes the whole-model counterpart of one built tfjs layer (its weights already initialised),
 * or says why there is none. Keyed by the tfjs class name (layer.getClassName()) in registry.ts.
 */
export type LayerFactory = (layer: tf.layers.Layer, inputShape: number[]) => WholeModelLayer | Unsupported;
