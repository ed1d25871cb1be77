// GlobalMaxPooling1D / GlobalAveragePooling1D with Keras's keepdims=True: the pooled time axis
// stays as a length-1 axis, (batch, steps, channels) → (batch, 1, channels). tfjs-layers's
// global pooling layers have no such option.
import * as tf from '../tf';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

export interface GlobalPoolingKeepdimsArgs extends LayerArgs {
  mode: 'max' | 'average';
}

export class GlobalPooling1DKeepdims extends tf.layers.Layer {
  static className = 'SeqModelGlobalPooling1DKeepdims';
  readonly mode: 'max' | 'average';

  constructor(args: GlobalPoolingKeepdimsArgs) {
    super(args);
    if (args.mode !== 'max' && args.mode !== 'average') throw new Error(`Unknown pooling mode '${String(args.mode)}'`);
    this.mode = args.mode;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 3) throw new Error(`Global pooling expects (batch, steps, channels), got rank ${shape.length}`);
    return [shape[0], 1, shape[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.mode === 'max' ? tf.max(x, 1, true) : tf.mean(x, 1, true);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}

tf.serialization.registerClass(GlobalPooling1DKeepdims);
