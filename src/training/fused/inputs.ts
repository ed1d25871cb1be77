// A recurrent kernel that takes the layer's input, kernel and bias instead of the input
// projection xproj = x · kernel + bias. The WebAssembly (and native) kernels project the input
// in their own memory and return the input's, the kernel's and the bias's gradients, so neither
// the projection (batch·steps × gates·units: 2 MB for LSTM(64) over 30 steps at batch 64) nor the
// gate gradients of the same size cross the module's boundary: before, each was computed in the
// module, copied out, and copied back in for the next product, four 2 MB copies a batch. In goes
// x (batch·steps × features), out come dx, dKernel and dBias, which are small when the features
// are few. A batch split over two threads (parallel.ts) does the same on each thread for its
// half of the samples. Elsewhere (the TypeScript kernels) the projection is made here, runKernel
// runs it, and the gradients are computed here, as before.
import { GATES, type KernelInput, type RecurrentKind, STATES } from './kernel';
import { runInputsKernelSplit, runKernel, type RunOptions } from './parallel';
import { addInto } from './matmul';
import { addProjectionGradients, projectInputs } from './projection';
import { recurrentWeightGradients } from './rows';
import { inputsSequenceKernel } from './sequence';

export interface ProjectionInputs {
  /** (batch·steps, features): the layer's input in the order the kernel processes the steps. */
  x: Float32Array;
  features: number;
  /** (features, gates·units): Keras's kernel. */
  kernel: Float32Array;
  /** (gates·units): the bias added to every step's projection; null: none. */
  bias: Float32Array | null;
}

/**
 * Where a backward pass puts the gradients: the input's written, the weights' added into (a
 * layer's gradient accumulators), so that in the module they are summed where they are computed
 * and come out once.
 */
export interface GradientTargets {
  /** (batch·steps, features): the input's gradient, written; null: not wanted (nothing before the layer needs it). */
  dx: Float32Array | null;
  /** (features, gates·units): the kernel's. */
  dKernel: Float32Array;
  /** (gates·units): the projection's bias's; null: the projection has no bias. */
  dBias: Float32Array | null;
  /** (units, gates·units): the recurrent kernel's. */
  dRecurrentKernel: Float32Array;
  /** (gates·units): GRU reset_after's recurrent bias's (row 1 of Keras's bias); null for the other kinds, or without a bias. */
  dRecurrentBias: Float32Array | null;
}

/**
 * The rows of y a layer reads, packed: every step's output (return_sequences: (batch, steps,
 * units)) or the last step's ((batch, units)), without the state rows.
 */
export interface OutputRows {
  sequences: boolean;
  /** Where they are written; the forward result's y is then this array, and backward's dy has its layout. */
  into: Float32Array;
}

export type InputsKernelInput = Omit<KernelInput, 'xproj' | 'reuse'> & {
  inputs: ProjectionInputs;
  /**
   * The rows of y the caller reads, which the WebAssembly kernels write there straight from
   * their memory (and read dy from, in that layout); absent: all of y, as KernelForward's.
   */
  outputs?: OutputRows;
  /**
   * As KernelInput.reuse: an array for y (all of it) and, where the projection is made here, for
   * the projection and its gradient, and where the packed outputs are unpacked here, for dy in
   * y's layout; each used when its length is exactly right.
   */
  reuse?: { y?: Float32Array; xproj?: Float32Array; dxproj?: Float32Array; dy?: Float32Array };
};

/** The initial states' gradients (the weights' went into the targets). */
export interface InputsKernelGradients {
  dh0: Float32Array;
  dc0: Float32Array | null;
}

export interface InputsKernelForward {
  y: Float32Array;
  /** dy has y's layout; the input's and the weights' gradients go into `targets`. */
  backward(dy: Float32Array, targets: GradientTargets): InputsKernelGradients;
  /** Frees what the forward pass kept for a backward pass that will not come (as RowsKernelForward's). */
  release(): void;
}

/** Throws unless x, the kernel and the bias have the sizes the batch, steps and width say. */
function checkInputs(k: InputsKernelInput, width: number): void {
  const { x, features, kernel, bias } = k.inputs;
  if (!(Number.isInteger(features) && features >= 0)) throw new RangeError(`projection inputs: ${features} features`);
  if (x.length !== k.batch * k.steps * features) throw new RangeError(`projection inputs: ${x.length} input values for ${k.batch} × ${k.steps} steps of ${features} features`);
  if (kernel.length !== features * width) throw new RangeError(`projection inputs: a kernel of ${kernel.length} values for ${features} × ${width}`);
  if (bias && bias.length !== width) throw new RangeError(`projection inputs: a bias of ${bias.length} values for ${width} columns`);
  const o = k.outputs;
  const rows = o && (o.sequences ? k.batch * k.steps : k.batch) * k.units;
  if (o && o.into.length !== rows) throw new RangeError(`projection inputs: ${o.into.length} output values for ${rows}`);
}

/**
 * Copies the rows a layer reads out of y (batch, steps + states, units): every step's, or the
 * last step's, packed into `into`.
 */
export function packOutputRows(y: Float32Array, batch: number, steps: number, states: number, units: number, sequences: boolean, into: Float32Array): Float32Array {
  const row = (steps + states) * units;
  const [length, offset] = sequences ? [steps * units, 0] : [units, (steps - 1) * units];
  for (let b = 0; b < batch; b++) into.set(y.subarray(b * row + offset, b * row + offset + length), b * length);
  return into;
}

/** packOutputRows's gradient: dy in y's layout from the packed rows' gradient, zeros elsewhere (the state rows, the other steps). */
export function unpackOutputGradient(
  d: Float32Array, batch: number, steps: number, states: number, units: number, sequences: boolean, reuse?: Float32Array,
): Float32Array {
  const row = (steps + states) * units;
  const dy = reuse?.length === batch * row ? reuse : new Float32Array(batch * row);
  const [length, offset] = sequences ? [steps * units, 0] : [units, (steps - 1) * units];
  for (let b = 0; b < batch; b++) {
    dy.fill(0, b * row, b * row + offset);
    dy.set(d.subarray(b * length, (b + 1) * length), b * row + offset);
    dy.fill(0, b * row + offset + length, (b + 1) * row);
  }
  return dy;
}

/** A forward pass on all of y as one on the packed output rows `k.outputs` asks for (none: as it is). */
function packed(kind: RecurrentKind, k: InputsKernelInput, f: InputsKernelForward): InputsKernelForward {
  const o = k.outputs;
  if (!o) return f;
  const S = STATES[kind];
  return {
    y: packOutputRows(f.y, k.batch, k.steps, S, k.units, o.sequences, o.into),
    release: f.release,
    backward: (d, targets) => f.backward(unpackOutputGradient(d, k.batch, k.steps, S, k.units, o.sequences, k.reuse?.dy), targets),
  };
}

/**
 * Runs the kernel on the layer's input: projected in WebAssembly (split over two threads where
 * that pays, as runKernel splits), else here for runKernel.
 */
export function runInputsKernel(kind: RecurrentKind, k: InputsKernelInput, options: RunOptions = {}): InputsKernelForward {
  const width = GATES[kind] * k.units;
  checkInputs(k, width);
  const wasm = inputsSequenceKernel(kind, k);
  // On one thread the kernel writes and reads the packed rows itself; a split runs on all of y.
  if (wasm !== null) return runInputsKernelSplit(kind, k, wasm, options, (whole) => packed(kind, k, whole));
  const { inputs, reuse, outputs: _, ...rest } = k;
  const rows = k.batch * k.steps;
  const size = rows * width;
  const xproj = projectInputs(inputs.x, rows, inputs.features, inputs.kernel, width, inputs.bias, reuse?.xproj?.length === size ? reuse.xproj : undefined);
  const forward = runKernel(kind, { ...rest, xproj, reuse: { y: reuse?.y, dxproj: reuse?.dxproj } }, options);
  return packed(kind, k, {
    y: forward.y,
    // The projection kernels keep their tape until the next call needs the memory, as before.
    release: () => undefined,
    backward(dy, targets) {
      const g = forward.backward(dy);
      addProjectionGradients(inputs.x, rows, inputs.features, inputs.kernel, width, g.dxproj, targets);
      const { dRecurrentKernel, dRecurrentBias } = recurrentWeightGradients(kind, g, rows, k.units);
      addInto(targets.dRecurrentKernel, dRecurrentKernel);
      if (targets.dRecurrentBias && dRecurrentBias) addInto(targets.dRecurrentBias, dRecurrentBias);
      return { dh0: g.dh0, dc0: g.dc0 };
    },
  });
}
