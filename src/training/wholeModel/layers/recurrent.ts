// Keras's SimpleRNN, LSTM and GRU (both reset_after conventions) on the whole-model path, as
// the fused classes (fused/layers.ts) are built: the input goes to the kernel with the layer's
// kernel and bias (fused/inputs.ts), which projects every step at once in WebAssembly (or
// native code) where it loads and returns the projection's gradients, so the projection never
// leaves the module; else (TypeScript kernels, a batch split over two threads) the projection is
// one product (fused/matmul.ts) before runKernel, its gradients three after.
//
// Keras's semantics as the fused layers compute them: dropout and recurrent_dropout masks drawn
// once per sequence while training (the same units dropped at every step), go_backwards
// processes the reversed sequence and returns its outputs in processing order, masked steps
// carry the state forward. return_state gives several outputs (no single-target chain) and
// stateful keeps states across batches: both train on tfjs.
import type * as tf from '../../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import type { ElementwiseActivation } from '../../fused/activations';
import { type InputsKernelForward, packOutputRows, runInputsKernel, unpackOutputGradient } from '../../fused/inputs';
import { GATES, type KernelInput, type RecurrentKind, STATES } from '../../fused/kernel';
import { addInto } from '../../fused/matmul';
import { cellActivation, type CellView, FUSED_KINDS, type RecurrentLayerView } from '../../fused/layers';
import { type ProjectionRows, type RowsKernelForward, runRowsKernel } from '../../fused/rows';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';
import { drawDropoutMask } from './dropout';
import { unsupportedOption } from './unsupported';
import { weightOf } from './weights';

export class WholeModelRecurrent implements WholeModelLayer {
  readonly weights: Weight[];
  private readonly kernel: Weight;
  private readonly recurrentKernel: Weight;
  private readonly bias: Weight | null;
  private readonly gates: number;
  private readonly states: number;
  // The batch in flight: what backward needs.
  private batch = 0;
  private steps = 0;
  private tape: InputsKernelForward | null = null;
  /** The tape when the projection came as rows (forwardRows). */
  private rowsTape: RowsKernelForward | null = null;
  private inputMask: Float32Array | null = null;
  private readonly xr = new Reusable();
  private readonly xproj = new Reusable();
  private readonly h0 = new Reusable();
  private readonly inMask = new Reusable();
  private readonly recMask = new Reusable();
  private readonly out = new Reusable();
  /** The kernel's y and dxproj, written into these batch after batch (KernelInput.reuse). */
  private readonly kernelY = new Reusable();
  private readonly kernelDx = new Reusable();
  private readonly kernelDRows = new Reusable();
  private readonly dY = new Reusable();
  private readonly dxr = new Reusable();
  private readonly dx = new Reusable();
  private maskBytes = new Uint8Array(0);

  /** gates·units: the projection's width. */
  readonly width: number;

  constructor(
    readonly name: string,
    private readonly kind: RecurrentKind,
    private readonly features: number,
    private readonly units: number,
    kernel: LayerVariable,
    recurrentKernel: LayerVariable,
    bias: LayerVariable | null,
    private readonly activation: ElementwiseActivation,
    private readonly recurrentActivation: ElementwiseActivation,
    private readonly dropout: number,
    private readonly recurrentDropout: number,
    private readonly returnSequences: boolean,
    private readonly goBackwards: boolean,
  ) {
    this.kernel = weightOf(kernel);
    this.recurrentKernel = weightOf(recurrentKernel);
    this.bias = bias ? weightOf(bias) : null;
    this.weights = [this.kernel, this.recurrentKernel, ...(this.bias ? [this.bias] : [])];
    this.gates = GATES[kind];
    this.states = STATES[kind];
    this.width = this.gates * units;
  }

  /** The input projection's kernel (features, gates·units). */
  get inputKernel(): Weight {
    return this.kernel;
  }

  /** The bias added to every step's projection, and its gradient: all of Keras's bias, or GRU reset_after's row 0; null without a bias. */
  inputBias(): { values: Float32Array; grad: Float32Array } | null {
    if (!this.bias) return null;
    if (this.kind !== 'gru-reset-after') return this.bias;
    return { values: this.bias.values.subarray(0, this.width), grad: this.bias.grad.subarray(0, this.width) };
  }

  /**
   * Whether each step's projection depends on that step's input row alone, so equal rows
   * project alike: not with input dropout, whose mask differs from sample to sample.
   */
  projectsRowsAlike(): boolean {
    return !(this.dropout > 0 && this.dropout < 1);
  }

  /** Whether the layer reads its steps in reverse (go_backwards): the order rows' ids are given in. */
  get reversed(): boolean {
    return this.goBackwards;
  }

  /** This batch's recurrent_dropout mask, drawn once per sequence while training, or null. */
  private recurrentDropoutMask(batch: number, training: boolean): Float32Array | null {
    return training && this.recurrentDropout > 0 && this.recurrentDropout < 1
      ? drawDropoutMask(this.recMask.take(batch * this.units), this.recurrentDropout)
      : null;
  }

  /**
   * forward() for an input whose projection (bias included) is given as rows of a table (an
   * Embedding's distinct tokens projected once: embedded-recurrent.ts), with ids in processing
   * order (reversed for go_backwards). `mask` is (batch, steps) in the input's order.
   */
  forwardRows(rows: ProjectionRows, x: { shape: number[]; mask: Uint8Array | null }, training: boolean): Activations {
    const [batch, steps] = x.shape;
    this.batch = batch;
    this.steps = steps;
    this.inputMask = null;
    this.tape = null;
    // Where the rows are gathered for the TypeScript kernels or the batch split: taken (and
    // allocated) only then, as the WebAssembly rows path never makes the projection.
    const gathered = batch * steps * this.width;
    const projection = this.xproj;
    const projectionGradient = this.kernelDx;
    this.rowsTape = runRowsKernel(this.kind, {
      ...this.kernelInput(batch, steps, x.mask, this.recurrentDropoutMask(batch, training)),
      rows,
      reuse: {
        y: this.kernelY.take(batch * (steps + this.states) * this.units),
        dRows: this.kernelDRows.take(rows.table.length),
        get xproj() {
          return projection.take(gathered);
        },
        get dxproj() {
          return projectionGradient.take(gathered);
        },
      },
    }, { forwardOnly: !training });
    const out = this.output(x.mask, this.rowsTape.y);
    if (!training) {
      // No backward pass follows a batch outside training (validation): its tape goes now.
      this.rowsTape.release();
      this.rowsTape = null;
    }
    return out;
  }

  /** What every kernel call takes beside the projection: weights, zero initial states, masks in processing order, activations. */
  private kernelInput(batch: number, steps: number, mask: Uint8Array | null, recurrentMask: Float32Array | null): Omit<KernelInput, 'xproj' | 'reuse'> {
    return {
      batch,
      steps,
      units: this.units,
      recurrentKernel: this.recurrentKernel.values,
      recurrentBias: this.recurrentBiasValues(),
      h0: this.h0.zeros(batch * this.units),
      c0: null,
      mask: mask && this.processingMask(mask, batch, steps),
      recurrentMask,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
    };
  }

  /**
   * backward() after forwardRows: adds the recurrent weights' gradients and returns the
   * projection's gradient summed per table row (the caller's to turn into the input kernel's,
   * the bias's and the table's gradients).
   */
  backwardRows(dy: Float32Array): Float32Array {
    const g = this.rowsTape!.backward(this.kernelDy(dy));
    this.rowsTape = null;
    this.addRecurrentGradients(g);
    return g.dRows;
  }

  /** Adds the recurrent kernel's gradient, and GRU reset_after's recurrent bias's (row 1 of Keras's bias). */
  private addRecurrentGradients(g: { dRecurrentKernel: Float32Array; dRecurrentBias: Float32Array | null }): void {
    addInto(this.recurrentKernel.grad, g.dRecurrentKernel);
    if (g.dRecurrentBias && this.bias) addInto(this.bias.grad.subarray(this.width, 2 * this.width), g.dRecurrentBias);
  }

  /** GRU reset_after's recurrent bias (row 1 of Keras's bias), or null. */
  private recurrentBiasValues(): Float32Array | null {
    return this.bias && this.kind === 'gru-reset-after' ? this.bias.values.subarray(this.width, 2 * this.width) : null;
  }

  forward(x: Activations, training: boolean): Activations {
    const [batch, steps] = x.shape;
    const { features: F, units: U } = this;
    const W = this.gates * U;
    const rows = batch * steps;
    this.batch = batch;
    this.steps = steps;
    // Keras's rule: rates outside (0, 1) mean no dropout.
    this.inputMask = training && this.dropout > 0 && this.dropout < 1 ? drawDropoutMask(this.inMask.take(batch * F), this.dropout) : null;
    const recurrentMask = this.recurrentDropoutMask(batch, training);
    // The sequence as processed: dropped out, then reversed for go_backwards.
    const xr = this.inputMask === null && !this.goBackwards ? x.values : this.xr.take(rows * F);
    if (xr !== x.values) {
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < steps; t++) {
          const from = (b * steps + (this.goBackwards ? steps - 1 - t : t)) * F;
          const to = (b * steps + t) * F;
          for (let f = 0; f < F; f++) xr[to + f] = x.values[from + f] * (this.inputMask ? this.inputMask[b * F + f] : 1);
        }
      }
    }
    this.rowsTape = null;
    // Where the projection is made outside the kernel (TypeScript kernels, a split batch):
    // taken (and allocated) only then.
    // Likewise all of y and dy in the kernel's layout, where the output rows are packed outside
    // the kernel: on one thread the kernel writes the layer's output straight from its memory.
    const projection = this.xproj;
    const projectionGradient = this.kernelDx;
    const kernelY = this.kernelY;
    const kernelDy = this.dY;
    const yRows = batch * (steps + this.states) * U;
    this.tape = runInputsKernel(this.kind, {
      ...this.kernelInput(batch, steps, x.mask, recurrentMask),
      // GRU reset_after's (2, 3u) bias: row 0 joins the input projection, row 1 the recurrent product.
      inputs: { x: xr, features: F, kernel: this.kernel.values, bias: this.inputBias()?.values ?? null },
      outputs: { sequences: this.returnSequences, into: this.outputArray() },
      reuse: {
        get y() {
          return kernelY.take(yRows);
        },
        get xproj() {
          return projection.take(rows * W);
        },
        get dxproj() {
          return projectionGradient.take(rows * W);
        },
        get dy() {
          return kernelDy.take(yRows);
        },
      },
    }, { forwardOnly: !training });
    const out = this.activations(this.tape.y, x.mask);
    if (!training) {
      // No backward pass follows (validation, Predict): the kernel's tape goes now.
      this.tape.release();
      this.tape = null;
    }
    return out;
  }

  /** The (batch, steps) mask in processing order (reversed for go_backwards). */
  private processingMask(mask: Uint8Array, batch: number, steps: number): Uint8Array {
    if (!this.goBackwards) return mask;
    if (this.maskBytes.length !== batch * steps) this.maskBytes = new Uint8Array(batch * steps);
    for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) this.maskBytes[b * steps + t] = mask[b * steps + steps - 1 - t];
    return this.maskBytes;
  }

  /** Every step's output (return_sequences) or the last one, from the kernel's (batch, steps + states, units). */
  private output(mask: Uint8Array | null, y: Float32Array): Activations {
    return this.activations(packOutputRows(y, this.batch, this.steps, this.states, this.units, this.returnSequences, this.outputArray()), mask);
  }

  /** Where the output rows go: (batch, steps, units) with return_sequences, else (batch, units). */
  private outputArray(): Float32Array {
    return this.out.take((this.returnSequences ? this.batch * this.steps : this.batch) * this.units);
  }

  /** The output rows as the next layer takes them; the mask goes on with every step's output only. */
  private activations(values: Float32Array, mask: Uint8Array | null): Activations {
    const { batch, steps, units: U } = this;
    return this.returnSequences ? { values, shape: [batch, steps, U], mask } : { values, shape: [batch, U], mask: null };
  }

  /** The kernel's dy layout: every step's row, then the state rows (no gradient from outside). */
  private kernelDy(dy: Float32Array): Float32Array {
    const { batch, steps, units: U } = this;
    return unpackOutputGradient(dy, batch, steps, this.states, U, this.returnSequences, this.dY.take(batch * (steps + this.states) * U));
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    const { batch, steps, features: F } = this;
    const rows = batch * steps;
    const dxr = needInputGradient ? this.dxr.take(rows * F) : null;
    this.tape!.backward(dy, {
      dx: dxr,
      dKernel: this.kernel.grad,
      dBias: this.inputBias()?.grad ?? null,
      dRecurrentKernel: this.recurrentKernel.grad,
      dRecurrentBias: this.bias && this.kind === 'gru-reset-after' ? this.bias.grad.subarray(this.width, 2 * this.width) : null,
    });
    this.tape = null;
    if (dxr === null) return null;
    if (this.inputMask === null && !this.goBackwards) return dxr;
    const dx = this.dx.take(rows * F);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < steps; t++) {
        const to = (b * steps + (this.goBackwards ? steps - 1 - t : t)) * F;
        const from = (b * steps + t) * F;
        for (let f = 0; f < F; f++) dx[to + f] = dxr[from + f] * (this.inputMask ? this.inputMask[b * F + f] : 1);
      }
    }
    return dx;
  }
}

export const recurrentFactory: LayerFactory = (layer: tf.layers.Layer, inputShape: number[]) => {
  const kind = FUSED_KINDS.get(layer.getClassName());
  if (kind === undefined) return { unsupported: `${layer.name}: ${layer.getClassName()} is not a fused recurrent layer` };
  const view = layer as unknown as RecurrentLayerView & { stateful?: boolean };
  const cell = view.cell as CellView & tf.layers.Layer;
  if (view.returnState) return { unsupported: `${layer.name}: return_state=True (several outputs) is not trained on the whole-model path` };
  if (view.stateful) return { unsupported: `${layer.name}: stateful=True is not trained on the whole-model path` };
  if (inputShape.length !== 3) return { unsupported: `${layer.name}: input of rank ${inputShape.length}, expected (batch, steps, features)` };
  // Regularizers too: tfjs-layers keeps a recurrent layer's regularizer losses on its cell, which
  // no model collects, so the tfjs path trains without them; computing them here would make the
  // two paths disagree. Such a layer stays on tfjs (and the run says so).
  const problem = unsupportedOption(layer, {}) ?? unsupportedOption(cell, {
    kernel_regularizer: 'kernelRegularizer',
    recurrent_regularizer: 'recurrentRegularizer',
    bias_regularizer: 'biasRegularizer',
    kernel_constraint: 'kernelConstraint',
    recurrent_constraint: 'recurrentConstraint',
    bias_constraint: 'biasConstraint',
  });
  if (problem) return { unsupported: problem.unsupported.replace(`${cell.name}:`, `${layer.name}:`) };
  let activation: ElementwiseActivation;
  let recurrentActivation: ElementwiseActivation;
  try {
    activation = cellActivation(cell, 'activation');
    recurrentActivation = cellActivation(cell, 'recurrentActivation');
  } catch (err) {
    return { unsupported: `${layer.name}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return new WholeModelRecurrent(
    layer.name, kind, inputShape[2], cell.units, cell.kernel!, cell.recurrentKernel!, cell.bias,
    activation, recurrentActivation, cell.dropout, cell.recurrentDropout, view.returnSequences, view.goBackwards,
  );
};
