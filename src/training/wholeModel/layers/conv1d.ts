// Keras's Conv1D (this project's SeqModelConv1D: padding valid/same/causal, strides,
// dilation_rate) on the whole-model path. Each of the kernel_size taps is one matrix product per
// sequence: the input steps it reads (every stride-th, shifted by tap·dilation − the left pad)
// times that tap's (channels, filters) slice of the kernel, added into the output; steps that
// would read padding are simply left out. Backward, the same products transposed give the input's
// gradient, and the kernel's gradient is the tap's input steps (transposed) times the output
// gradient. All products go through fused/matmul.ts.
import type * as tf from '../../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import { addRowsTimesMatrix, addRowsTimesMatrixT } from '../../fused/matmul';
import type { SeqModelConv1D } from '../../layers/conv1d';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { activationId, arrayActivation, type ArrayActivation } from './activation-function';
import { Reusable } from './buffers';
import { unsupportedOption } from './unsupported';
import { weightOf } from './weights';

interface ConvInternals {
  kernel: LayerVariable;
  bias: LayerVariable | null;
  activation: unknown;
}

/** Which output steps a tap reads real input at, and the first input step it reads. */
interface TapRange {
  first: number;
  count: number;
  inputStep: number;
}

export class WholeModelConv1D implements WholeModelLayer {
  readonly weights: Weight[];
  private readonly kernel: Weight;
  private readonly bias: Weight | null;
  private readonly pre = new Reusable();
  private readonly out = new Reusable();
  private readonly dPre = new Reusable();
  private readonly dx = new Reusable();
  private readonly columns = new Reusable();
  private x: Float32Array = new Float32Array(0);
  private inShape: number[] = [];
  private outLength = 0;

  constructor(
    readonly name: string,
    private readonly conv: SeqModelConv1D,
    internals: ConvInternals,
    private readonly activation: ArrayActivation,
  ) {
    this.kernel = weightOf(internals.kernel);
    this.bias = internals.bias ? weightOf(internals.bias) : null;
    this.weights = this.bias ? [this.kernel, this.bias] : [this.kernel];
  }

  private get filters(): number {
    return this.kernel.variable.shape[2] as number;
  }

  /** For each tap, the output steps whose input step t·stride + tap·dilation − before is in [0, length). */
  private tapRanges(length: number, outLength: number): TapRange[] {
    const { taps, dilation, stride } = this.conv;
    const [before] = this.conv.pads(length);
    const ranges: TapRange[] = [];
    for (let j = 0; j < taps; j++) {
      const offset = j * dilation - before;
      const first = Math.max(0, Math.ceil(-offset / stride));
      const last = Math.min(outLength - 1, Math.floor((length - 1 - offset) / stride));
      ranges.push({ first, count: Math.max(0, last - first + 1), inputStep: first * stride + offset });
    }
    return ranges;
  }

  forward(x: Activations, _training: boolean): Activations {
    const [batch, length, channels] = x.shape;
    const filters = this.filters;
    const { taps, dilation, stride } = this.conv;
    const [before, after] = this.conv.pads(length);
    const outLength = Math.ceil((length + before + after - dilation * (taps - 1)) / stride);
    if (outLength <= 0) throw new Error(`${this.name}: a sequence of ${length} steps is too short for kernel_size ${taps} with dilation_rate ${dilation}`);
    const pre = this.pre.take(batch * outLength * filters);
    const bias = this.bias?.values;
    for (let r = 0; r < batch * outLength; r++) {
      if (bias) pre.set(bias, r * filters);
      else pre.fill(0, r * filters, (r + 1) * filters);
    }
    const kernel = this.kernel.values;
    const tapSize = channels * filters;
    const ranges = this.tapRanges(length, outLength);
    for (let b = 0; b < batch; b++) {
      ranges.forEach(({ first, count, inputStep }, j) => {
        if (count === 0) return;
        addRowsTimesMatrix(x.values, (b * length + inputStep) * channels, stride * channels, count, channels,
          kernel.subarray(j * tapSize, (j + 1) * tapSize), filters, 0, filters,
          pre, (b * outLength + first) * filters, filters);
      });
    }
    const out = this.activation.id === 'linear' ? pre : this.out.take(pre.length);
    if (out !== pre) this.activation.forward(pre, out, filters);
    this.x = x.values;
    this.inShape = x.shape;
    this.outLength = outLength;
    return { values: out, shape: [batch, outLength, filters], mask: null };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    const [batch, length, channels] = this.inShape;
    const filters = this.filters;
    const outLength = this.outLength;
    const { stride } = this.conv;
    let g = dy;
    if (this.activation.id !== 'linear') {
      const pre = this.pre.take(batch * outLength * filters);
      const y = this.out.take(pre.length);
      g = this.dPre.take(pre.length);
      this.activation.backward(pre, y, dy, g, filters);
    }
    if (this.bias) {
      const db = this.bias.grad;
      for (let r = 0; r < batch * outLength; r++) for (let f = 0; f < filters; f++) db[f] += g[r * filters + f];
    }
    const kernel = this.kernel.values;
    const dKernel = this.kernel.grad;
    const tapSize = channels * filters;
    const dx = needInputGradient ? this.dx.zeros(batch * length * channels) : null;
    const ranges = this.tapRanges(length, outLength);
    for (let b = 0; b < batch; b++) {
      ranges.forEach(({ first, count, inputStep }, j) => {
        if (count === 0) return;
        const gFrom = (b * outLength + first) * filters;
        // The tap's input steps as (channels, count), so that dK_j += columns · g.
        const columns = this.columns.take(channels * count);
        for (let r = 0; r < count; r++) {
          const from = (b * length + inputStep + r * stride) * channels;
          for (let c = 0; c < channels; c++) columns[c * count + r] = this.x[from + c];
        }
        addRowsTimesMatrix(columns, 0, count, channels, count, g.subarray(gFrom, gFrom + count * filters), filters, 0, filters,
          dKernel, j * tapSize, filters);
        if (dx) {
          addRowsTimesMatrixT(g, gFrom, filters, count, channels, kernel.subarray(j * tapSize, (j + 1) * tapSize), filters, 0, filters,
            dx, (b * length + inputStep) * channels, stride * channels);
        }
      });
    }
    return dx;
  }
}

export const conv1dFactory: LayerFactory = (layer: tf.layers.Layer) => {
  const internals = layer as unknown as ConvInternals;
  const problem = unsupportedOption(layer, {
    kernel_regularizer: 'kernelRegularizer',
    bias_regularizer: 'biasRegularizer',
    kernel_constraint: 'kernelConstraint',
    bias_constraint: 'biasConstraint',
  });
  if (problem) return problem;
  const id = activationId(internals.activation);
  const activation = arrayActivation(id);
  if (!activation) return { unsupported: `${layer.name}: activation '${id}' is not computed on the whole-model path` };
  return new WholeModelConv1D(layer.name, layer as SeqModelConv1D, internals, activation);
};
