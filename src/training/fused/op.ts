// The fused recurrence as one differentiable tfjs operation. tf.customGrad gives tfjs the
// forward value and a gradient function, so optimizers, regularizers and the rest of the model
// see ordinary gradients of ordinary variables; in between, the kernel works on Float32Arrays
// read once from the tensors (dataSync works on every backend: wasm, cpu, tfjs-node).
//
// The recurrent kernel's gradient over all steps is one tfjs matMul (XNNPACK on wasm) of the
// kernel's saved left factors and product gradients, not one small product per step; it and
// the input projection transpose explicitly (plainProduct).
import * as tf from '../tf';
import type { ElementwiseActivation } from './activations';
import { gruResetAfterForward, gruResetBeforeForward } from './gru';
import { GATES, KernelForward, KernelInput, RecurrentKind, STATES } from './kernel';
import { lstmForward } from './lstm';
import { sequenceKernel } from './sequence';
import { simpleRnnForward } from './simple-rnn';

const KERNELS: Record<RecurrentKind, (input: KernelInput) => KernelForward> = {
  lstm: lstmForward,
  gru: gruResetBeforeForward,
  'gru-reset-after': gruResetAfterForward,
  'simple-rnn': simpleRnnForward,
};

export interface FusedRecurrenceArgs {
  kind: RecurrentKind;
  activation: ElementwiseActivation;
  recurrentActivation: ElementwiseActivation;
  /** (batch, steps) in processing order, 0 = masked; null: no mask. Not differentiated. */
  mask: Uint8Array | null;
  /** (batch, units) recurrent_dropout mask for this sequence, or null. Not differentiated. */
  recurrentMask: Float32Array | null;
}

/**
 * a · b, differentiable, whose gradient multiplies explicitly transposed operands. tfjs's own
 * gradient of matMul asks for transposeA/transposeB, which tfjs-backend-wasm computes outside
 * XNNPACK: measured here 16× (transposeA) and 9× (transposeB) slower than transposing first.
 */
export const plainProduct = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b] = args as tf.Tensor2D[];
  const save = args[2] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, [sa, sb]: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(sb as tf.Tensor2D)),
      tf.matMul(tf.transpose(sa as tf.Tensor2D), dy),
    ],
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

export interface FusedRecurrenceInputs {
  /** (batch, steps, gates·units): x·kernel + input bias for every step. */
  xproj: tf.Tensor3D;
  recurrentKernel: tf.Tensor2D;
  /** (gates·units), GRU reset_after only. */
  recurrentBias: tf.Tensor1D | null;
  /** Given initial states (batch, units): [h] or LSTM's [h, c]; empty: zeros (no tensors made). */
  initialStates: tf.Tensor2D[];
}

function floats(t: tf.Tensor): Float32Array {
  // On cpu, dataSync returns the tensor's own storage: the kernels only read it.
  return t.dataSync() as Float32Array;
}

/**
 * Runs the recurrence over every step. Returns (batch, steps + states, units): each step's
 * output, then the final h (and c for LSTM).
 */
export function fusedRecurrence(args: FusedRecurrenceArgs, inputs: FusedRecurrenceInputs): tf.Tensor3D {
  const [batch, steps, width] = inputs.xproj.shape;
  const units = inputs.recurrentKernel.shape[0];
  const gates = GATES[args.kind];
  const states = STATES[args.kind];
  if (width !== gates * units) {
    throw new Error(`fused ${args.kind}: the input projection has ${width} columns, expected ${gates * units}`);
  }
  if (args.recurrentMask !== null && args.recurrentMask.length !== batch * units) {
    throw new Error(`fused ${args.kind}: the recurrent dropout mask has ${args.recurrentMask.length} entries, expected ${batch * units}`);
  }
  if (args.mask !== null && args.mask.length !== batch * steps) {
    throw new Error(`fused ${args.kind}: the mask has ${args.mask.length} entries, expected ${batch * steps}`);
  }
  const given = inputs.initialStates.length;
  if (given !== 0 && given !== states) {
    throw new Error(`fused ${args.kind}: ${given} initial state(s) given, expected ${states}`);
  }
  const hasBias = inputs.recurrentBias !== null;
  const tensors: tf.Tensor[] = [inputs.xproj, inputs.recurrentKernel];
  if (hasBias) tensors.push(inputs.recurrentBias!);
  tensors.push(...inputs.initialStates);

  const op = tf.customGrad((...opArgs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xproj, recurrentKernel] = opArgs as tf.Tensor[];
    const recurrentBias = hasBias ? (opArgs[2] as tf.Tensor) : null;
    const stateTensors = opArgs.slice(hasBias ? 3 : 2, (hasBias ? 3 : 2) + given) as tf.Tensor[];
    const input: KernelInput = {
      batch,
      steps,
      units,
      xproj: floats(xproj),
      recurrentKernel: floats(recurrentKernel),
      recurrentBias: recurrentBias && floats(recurrentBias),
      h0: given ? floats(stateTensors[0]) : new Float32Array(batch * units),
      c0: given > 1 ? floats(stateTensors[1]) : null,
      mask: args.mask,
      recurrentMask: args.recurrentMask,
      activation: args.activation,
      recurrentActivation: args.recurrentActivation,
    };
    // The whole sequence in WebAssembly where it loads and has the activations, else TypeScript.
    const forward = (sequenceKernel(args.kind, input) ?? KERNELS[args.kind])(input);
    const value = tf.tensor3d(forward.y, [batch, steps + states, units]);
    const gradFunc = (dy: tf.Tensor3D): tf.Tensor[] => {
      const g = forward.backward(floats(dy));
      const rows = batch * steps;
      const dProducts = tf.tensor2d(g.dProducts, [rows, gates * units]);
      const kernelGradient = (): tf.Tensor => {
        if (g.dRecurrentKernel) return tf.tensor2d(g.dRecurrentKernel, [units, gates * units]);
        const blocks = g.productInputs.map(({ left, from, to }) => {
          const right = from === 0 && to === gates * units ? dProducts : tf.slice(dProducts, [0, from], [rows, to - from]);
          return tf.matMul(tf.transpose(tf.tensor2d(left, [rows, units])), right);
        });
        return blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1);
      };
      const grads: tf.Tensor[] = [tf.tensor3d(g.dxproj, [batch, steps, gates * units]), kernelGradient()];
      if (hasBias) grads.push(tf.sum(dProducts, 0));
      if (given) grads.push(tf.tensor2d(g.dh0, [batch, units]));
      if (given > 1) grads.push(tf.tensor2d(g.dc0!, [batch, units]));
      return grads;
    };
    return { value, gradFunc };
  });
  return op(...tensors) as tf.Tensor3D;
}
