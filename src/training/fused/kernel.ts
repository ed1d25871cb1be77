// What every fused recurrent kernel (LSTM, GRU both ways, SimpleRNN) takes and gives. A kernel
// runs the whole sequence over Float32Arrays: the forward pass keeps what the backward pass
// (back-propagation through time) needs, and returns the backward pass as a closure over it.
//
// Layouts are batch-major, as tfjs holds the tensors: (batch, steps, width), so the input
// projection and the outputs need no transposes. Gates are in Keras's order: LSTM i f c o,
// GRU z r h.
import type { ElementwiseActivation } from './activations';
import { addRowsTimesMatrix, addRowsTimesMatrixT } from './matmul';

export interface KernelInput {
  batch: number;
  steps: number;
  units: number;
  /** (batch, steps, gates·units): every step's x·kernel plus the input bias, from one matMul. */
  xproj: Float32Array;
  /** (units, gates·units), Keras's recurrent_kernel. */
  recurrentKernel: Float32Array;
  /** (gates·units): GRU reset_after's recurrent bias (row 1 of Keras's bias); null otherwise. */
  recurrentBias: Float32Array | null;
  /** (batch, units) initial states: h, and LSTM's carry c. */
  h0: Float32Array;
  c0: Float32Array | null;
  /** (batch, steps): 0 where the step is masked (the state carries over), else 1; null: no mask. */
  mask: Uint8Array | null;
  /**
   * (batch, units): recurrent_dropout's mask for this sequence (0 or 1/(1 − rate)), multiplying
   * the state where it enters the recurrent product; null: none (not training, or rate 0).
   */
  recurrentMask: Float32Array | null;
  activation: ElementwiseActivation;
  recurrentActivation: ElementwiseActivation;
  /**
   * Arrays the kernel may write y and dxproj into instead of new ones: a whole-model layer's,
   * reused batch after batch (a new 500 kB array cost ten times its copy, in allocation and
   * garbage collection). Each is used only when its length is exactly the result's, and the
   * caller must be done with the previous batch's results. Absent: new arrays.
   */
  reuse?: { y?: Float32Array; dxproj?: Float32Array };
}

/**
 * The forward result. `y` is (batch, steps + states, units): the output of every step, then the
 * final states (h, and c for LSTM), packed in one array so one tensor carries them all.
 */
export interface KernelForward {
  y: Float32Array;
  /** dy has y's layout; the result holds the gradients of the kernel's inputs. */
  backward(dy: Float32Array): KernelGradients;
}

export interface KernelGradients {
  /** (batch, steps, gates·units) */
  dxproj: Float32Array;
  dh0: Float32Array;
  dc0: Float32Array | null;
  /**
   * (batch, steps, gates·units): the gradient of each step's recurrent product (state ·
   * recurrent_kernel, plus the recurrent bias). The recurrent kernel's gradient is, per column
   * block, leftᵀ · dProducts over all steps at once: one big matMul rather than one per step.
   */
  dProducts: Float32Array;
  /** The left factor (batch, steps, units) of the recurrent product for columns [from, to). */
  productInputs: { left: Float32Array; from: number; to: number }[];
  /**
   * (units, gates·units): the recurrent kernel's gradient itself, when the kernel computed it
   * (the WebAssembly kernels, which hold both factors already); op.ts then skips the matMul.
   */
  dRecurrentKernel?: Float32Array;
}

export type RecurrentKind = 'lstm' | 'gru' | 'gru-reset-after' | 'simple-rnn';

/** Gates per unit, and states carried (appended to y), of each kind. */
export const GATES: Record<RecurrentKind, number> = { lstm: 4, gru: 3, 'gru-reset-after': 3, 'simple-rnn': 1 };
export const STATES: Record<RecurrentKind, number> = { lstm: 2, gru: 1, 'gru-reset-after': 1, 'simple-rnn': 1 };

/** Where sample b's row of step t starts in a batch-major (batch, steps, width) array: the layout of the kernels' per-step arrays. */
export function stepRow(b: number, t: number, steps: number, width: number): number {
  return (b * steps + t) * width;
}

/** Whether step t of sample b counts (is not masked). */
export function stepCounts(mask: Uint8Array | null, b: number, steps: number, t: number): boolean {
  return mask === null || mask[stepRow(b, t, steps, 1)] !== 0;
}

/** The state as the recurrent product sees it: h ⊙ recurrentMask (into `out`), or h itself. */
function droppedState(h: Float32Array, recurrentMask: Float32Array | null, out: Float32Array): Float32Array {
  if (recurrentMask === null) return h;
  for (let i = 0; i < h.length; i++) out[i] = h[i] * recurrentMask[i];
  return out;
}

/**
 * The step's recurrent product: `out`'s batch rows (from outAt, every outStride) += (h ⊙
 * recurrentMask) · columns [0, to) of R (units × width). Returns its left factor: h, or
 * `dropped` holding h ⊙ recurrentMask.
 */
export function addRecurrentProduct(
  h: Float32Array, recurrentMask: Float32Array | null, dropped: Float32Array, batch: number, units: number,
  R: Float32Array, width: number, to: number, out: Float32Array, outAt: number, outStride: number,
): Float32Array {
  const hIn = droppedState(h, recurrentMask, dropped);
  addRowsTimesMatrix(hIn, 0, units, batch, units, R, width, 0, to, out, outAt, outStride);
  return hIn;
}

/**
 * dh += (dProducts of step t) · Rᵀ[from, to), times the recurrent mask when there is one (the
 * product saw h ⊙ mask). `scratch` is (batch, units).
 */
export function addStateGradient(
  dProducts: Float32Array, t: number, steps: number, width: number, batch: number, units: number,
  R: Float32Array, from: number, to: number, recurrentMask: Float32Array | null, scratch: Float32Array, dh: Float32Array,
): void {
  if (recurrentMask === null) {
    addRowsTimesMatrixT(dProducts, t * width + from, steps * width, batch, units, R, width, from, to, dh, 0, units);
    return;
  }
  scratch.fill(0);
  addRowsTimesMatrixT(dProducts, t * width + from, steps * width, batch, units, R, width, from, to, scratch, 0, units);
  for (let i = 0; i < dh.length; i++) dh[i] += scratch[i] * recurrentMask[i];
}

/**
 * dst[to .. to + n) = src[from .. from + n). A loop, not set(subarray(...)): the kernels copy
 * one row per sample and step, and a subarray is an object for the garbage collector each time.
 */
export function copy(src: Float32Array, from: number, dst: Float32Array, to: number, n: number): void {
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i];
}

/** Copies the final states into y's trailing rows, and the dy of those rows out. */
export function writeStates(y: Float32Array, states: Float32Array[], batch: number, steps: number, units: number): void {
  const row = (steps + states.length) * units;
  states.forEach((s, i) => {
    for (let b = 0; b < batch; b++) y.set(s.subarray(b * units, (b + 1) * units), b * row + (steps + i) * units);
  });
}

export function readStateGradient(dy: Float32Array, index: number, stateCount: number, batch: number, steps: number, units: number): Float32Array {
  const row = (steps + stateCount) * units;
  const out = new Float32Array(batch * units);
  for (let b = 0; b < batch; b++) {
    const from = b * row + (steps + index) * units;
    out.set(dy.subarray(from, from + units), b * units);
  }
  return out;
}

/** Adds step t's output gradient (from dy) into the running state gradient dh. */
export function addOutputGradient(dh: Float32Array, dy: Float32Array, batch: number, steps: number, stateCount: number, units: number, t: number): void {
  const row = (steps + stateCount) * units;
  for (let b = 0; b < batch; b++) {
    const yo = b * row + t * units;
    const so = b * units;
    for (let j = 0; j < units; j++) dh[so + j] += dy[yo + j];
  }
}
