// Conv1D with Keras's padding='causal', which tfjs-layers 4.22 declares but does not
// implement (conv1dWithBias throws NotImplementedError, and its output-shape rule treats
// 'causal' as 'valid'). Causal means: pad dilation·(kernel_size − 1) zeros at the start of the
// sequence, then convolve 'valid', so step t sees only steps ≤ t and the length is kept
// (divided by the stride, rounded up). Weights and their layout are tfjs's Conv1D's, which
// are Keras's: kernel (kernel_size, channels, filters), bias (filters).
import * as tf from '@tensorflow/tfjs';
import type { ConvLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

// tfjs does not export its Conv1D class; take it from an instance.
const Conv1DBase = tf.layers.conv1d({ filters: 1, kernelSize: 1 }).constructor as new (args: ConvLayerArgs) => tf.layers.Layer;

function single(value: number | number[] | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return Array.isArray(value) ? value[0] : value;
}

export class CausalConv1D extends Conv1DBase {
  static className = 'SeqModelCausalConv1D';
  /** Zeros added before the first step. */
  readonly leftPad: number;

  constructor(args: ConvLayerArgs) {
    super({ ...args, padding: 'valid' });
    const kernelSize = single(args.kernelSize, 1);
    const dilation = single(args.dilationRate as number | number[] | undefined, 1);
    this.leftPad = dilation * (kernelSize - 1);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const length = shape[1] == null ? null : shape[1] + this.leftPad;
    return super.computeOutputShape([shape[0], length, shape[2]]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const padded = this.leftPad > 0 ? tf.pad(x, [[0, 0], [this.leftPad, 0], [0, 0]]) : x;
      return super.call(padded, kwargs);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: 'causal' };
  }
}

// The base class is reached at run time, so its static side (fromConfig) is not in the type.
tf.serialization.registerClass(
  CausalConv1D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
