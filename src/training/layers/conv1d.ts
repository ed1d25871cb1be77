// Keras's Conv1D, computed so that it trains on every backend and with every argument Keras
// takes. tfjs-layers's own Conv1D falls short three ways:
//   - padding='causal' is declared but throws (conv1dWithBias: NotImplementedError);
//   - its gradient needs the Conv2DBackpropFilter kernel, which the wasm backend lacks, so a
//     Conv1D model could not train on the default backend;
//   - tfjs has no gradient for dilation_rate > 1 on any backend.
// Here the convolution is an im2col product: the kernel_size taps of each output step
// (dilated, after Keras's padding) are laid side by side and multiplied by the kernel in one
// matMul. Slice, concat, reshape and matMul have gradients everywhere. Weights and their
// layout are tfjs's Conv1D's, which are Keras's: kernel (kernel_size, channels, filters), bias
// (filters), so saved models and weight counts are unchanged.
import * as tf from '../tf';
import type { ConvLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

// tfjs does not export its Conv1D class; take it from an instance.
const Conv1DBase = tf.layers.conv1d({ filters: 1, kernelSize: 1 }).constructor as new (args: ConvLayerArgs) => tf.layers.Layer;

type KerasPadding = 'valid' | 'same' | 'causal';

export interface SeqModelConv1DArgs extends Omit<ConvLayerArgs, 'padding'> {
  padding?: KerasPadding;
}

interface ConvInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

function single(value: number | number[] | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return Array.isArray(value) ? value[0] : value;
}

export class SeqModelConv1D extends Conv1DBase {
  static className = 'SeqModelConv1D';
  readonly kerasPadding: KerasPadding;
  readonly taps: number;
  readonly dilation: number;
  readonly stride: number;

  constructor(args: SeqModelConv1DArgs) {
    const padding = args.padding ?? 'valid';
    // The base class validates the arguments and owns the weights; 'causal' is a left pad then
    // 'valid', which is also how its output length is computed below.
    super({ ...args, padding: padding === 'causal' ? 'valid' : padding });
    this.kerasPadding = padding;
    this.taps = single(args.kernelSize, 1);
    this.dilation = single(args.dilationRate as number | number[] | undefined, 1);
    this.stride = single(args.strides, 1);
  }

  /** Zeros before and after the sequence, as Keras pads for this length (the whole-model path's Conv1D pads the same). */
  pads(length: number): [number, number] {
    const span = this.dilation * (this.taps - 1);
    if (this.kerasPadding === 'causal') return [span, 0];
    if (this.kerasPadding === 'valid') return [0, 0];
    // 'same': TensorFlow's rule, the extra zero (if any) goes at the end.
    const outLength = Math.ceil(length / this.stride);
    const total = Math.max((outLength - 1) * this.stride + span + 1 - length, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (this.kerasPadding !== 'causal') return super.computeOutputShape(shape);
    const length = shape[1] == null ? null : shape[1] + this.dilation * (this.taps - 1);
    return super.computeOutputShape([shape[0], length, shape[2]]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const self = this as unknown as ConvInternals;
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, length, channels] = x.shape;
      const [before, after] = this.pads(length);
      const padded = before || after ? tf.pad(x, [[0, 0], [before, after], [0, 0]]) : x;
      const span = this.dilation * (this.taps - 1);
      const steps = padded.shape[1] - span; // output length at stride 1
      const kernel = self.kernel.read();
      const filters = kernel.shape[2] as number;
      // im2col: for every output step, its taps' channels side by side (tap-major, as the
      // kernel's rows are).
      const taps: tf.Tensor[] = [];
      for (let j = 0; j < this.taps; j++) taps.push(tf.slice(padded, [0, j * this.dilation, 0], [batch, steps, channels]));
      const columns = taps.length === 1 ? taps[0] : tf.concat(taps, 2);
      let y: tf.Tensor = tf.matMul(tf.reshape(columns, [batch * steps, this.taps * channels]), tf.reshape(kernel, [this.taps * channels, filters]));
      y = tf.reshape(y, [batch, steps, filters]);
      if (this.stride > 1) {
        // Every stride-th step, by reshaping into (steps / stride, stride) and keeping the first
        // of each group: StridedSlice has no gradient in tfjs.
        const outLength = Math.ceil(steps / this.stride);
        const grouped = tf.reshape(tf.pad(y, [[0, 0], [0, outLength * this.stride - steps], [0, 0]]), [batch, outLength, this.stride, filters]);
        y = tf.reshape(tf.slice(grouped, [0, 0, 0, 0], [batch, outLength, 1, filters]), [batch, outLength, filters]);
      }
      if (self.bias) y = tf.add(y, self.bias.read());
      return self.activation.apply(y);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.kerasPadding };
  }
}

// The base class is reached at run time, so its static side (fromConfig) is not in the type.
tf.serialization.registerClass(SeqModelConv1D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
