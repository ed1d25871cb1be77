// Keras's 1-D pooling on the whole-model path: MaxPooling1D and AveragePooling1D (pool_size,
// strides, padding valid/same) and the global ones (GlobalMaxPooling1D, GlobalAveragePooling1D,
// and this project's keepdims variant), which are one window as long as the sequence. As in
// TensorFlow, 'same' pads with nothing: a window's maximum and average are over the steps it
// covers (the padding is neither a candidate for the maximum nor counted in the average).
// Backward, a maximum's gradient goes to the step that won, an average's evenly to its steps.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';

type Mode = 'max' | 'average';

/** How a sequence of `length` steps is cut into windows. */
interface Windows {
  size: number;
  stride: number;
  /** Padding steps before the first (TensorFlow's 'same': the extra one goes at the end). */
  before: number;
  count: number;
}

type WindowRule = (length: number) => Windows;

export class WholeModelPooling1D implements WholeModelLayer {
  readonly weights: Weight[] = [];
  private readonly out = new Reusable();
  private readonly dx = new Reusable();
  // max: the input index each output came from; average: unused.
  private winner = new Int32Array(0);
  private inShape: number[] = [];
  private windows: Windows = { size: 1, stride: 1, before: 0, count: 0 };

  constructor(
    readonly name: string,
    private readonly mode: Mode,
    private readonly rule: WindowRule,
    /** False for the global layers without keepdims: (batch, channels) out. */
    private readonly keepSteps: boolean,
  ) {}

  forward(x: Activations, _training: boolean): Activations {
    const [batch, length, channels] = x.shape;
    const w = this.rule(length);
    if (w.count <= 0) throw new Error(`${this.name}: a sequence of ${length} steps is shorter than pool_size ${w.size}`);
    const out = this.out.take(batch * w.count * channels);
    if (this.mode === 'max' && this.winner.length < out.length) this.winner = new Int32Array(out.length);
    const xs = x.values;
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < w.count; t++) {
        const start = Math.max(0, t * w.stride - w.before);
        const end = Math.min(length, t * w.stride - w.before + w.size);
        const o = (b * w.count + t) * channels;
        for (let c = 0; c < channels; c++) {
          let at = (b * length + start) * channels + c;
          if (this.mode === 'max') {
            let best = at;
            for (let p = start + 1; p < end; p++) {
              at += channels;
              if (xs[at] > xs[best]) best = at;
            }
            out[o + c] = xs[best];
            this.winner[o + c] = best;
          } else {
            let sum = 0;
            for (let p = start; p < end; p++, at += channels) sum += xs[at];
            out[o + c] = sum / (end - start);
          }
        }
      }
    }
    this.inShape = x.shape;
    this.windows = w;
    return { values: out, shape: this.keepSteps ? [batch, w.count, channels] : [batch, channels], mask: null };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    if (!needInputGradient) return null;
    const [batch, length, channels] = this.inShape;
    const w = this.windows;
    const dx = this.dx.zeros(batch * length * channels);
    if (this.mode === 'max') {
      for (let i = 0; i < batch * w.count * channels; i++) dx[this.winner[i]] += dy[i];
      return dx;
    }
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < w.count; t++) {
        const start = Math.max(0, t * w.stride - w.before);
        const end = Math.min(length, t * w.stride - w.before + w.size);
        const o = (b * w.count + t) * channels;
        for (let p = start; p < end; p++) {
          const at = (b * length + p) * channels;
          for (let c = 0; c < channels; c++) dx[at + c] += dy[o + c] / (end - start);
        }
      }
    }
    return dx;
  }
}

/** pool_size/strides/padding windows, as tfjs's convOutputLength counts them. */
function slidingWindows(size: number, stride: number, padding: string): WindowRule {
  return (length) => {
    if (padding !== 'same') return { size, stride, before: 0, count: Math.floor((length - size) / stride) + 1 };
    const count = Math.ceil(length / stride);
    const total = Math.max((count - 1) * stride + size - length, 0);
    return { size, stride, before: Math.floor(total / 2), count };
  };
}

/** One window over the whole sequence. */
const wholeSequence: WindowRule = (length) => ({ size: length, stride: length, before: 0, count: 1 });

interface PoolingInternals {
  poolSize: number[];
  strides: number[];
  padding: string;
}

function slidingFactory(mode: Mode): LayerFactory {
  return (layer: tf.layers.Layer) => {
    const { poolSize, strides, padding } = layer as unknown as PoolingInternals;
    if (padding !== 'valid' && padding !== 'same') return { unsupported: `${layer.name}: padding '${padding}'` };
    return new WholeModelPooling1D(layer.name, mode, slidingWindows(poolSize[0], strides[0], padding), true);
  };
}

function globalFactory(mode: Mode): LayerFactory {
  return (layer: tf.layers.Layer) => new WholeModelPooling1D(layer.name, mode, wholeSequence, false);
}

export const maxPooling1dFactory = slidingFactory('max');
export const averagePooling1dFactory = slidingFactory('average');
export const globalMaxPooling1dFactory = globalFactory('max');
export const globalAveragePooling1dFactory = globalFactory('average');

/** layers/global-pooling-keepdims.ts: the pooled axis kept as one step. */
export const globalPoolingKeepdimsFactory: LayerFactory = (layer: tf.layers.Layer) =>
  new WholeModelPooling1D(layer.name, (layer as unknown as { mode: Mode }).mode, wholeSequence, true);
