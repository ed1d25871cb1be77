// The fused recurrence as one differentiable tfjs operation, input projection included. tf.customGrad
// gives tfjs the forward value and a gradient function, so optimizers, regularizers and the rest
// of the model see ordinary gradients of ordinary variables; in between, everything works on
// Float32Arrays read once from the tensors (dataSync works on every backend: wasm, cpu,
// tfjs-node): the projection of every step (projection.ts), the recurrence (a kernel), and in the
// backward pass the recurrent kernel's gradient (the kernel's own, or one product here) and the
// projection's gradients.
import * as tf from '../tf';
import type { ElementwiseActivation } from './activations';
import { GATES, KernelGradients, KernelInput, RecurrentKind, STATES } from './kernel';
import { columnSums, multiply } from './matmul';
import { runKernel } from './parallel';
import { floats, inputProjection, productsInModule, valuesOf } from './projection';

export interface FusedRecurrenceArgs {
  kind: RecurrentKind;
  activation: ElementwiseActivation;
  recurrentActivation: ElementwiseActivation;
  /** (batch, steps) in processing order, 0 = masked; null: no mask. Not differentiated. */
  mask: Uint8Array | null;
  /** (batch, units) recurrent_dropout mask for this sequence, or null. Not differentiated. */
  recurrentMask: Float32Array | null;
  /**
   * The layer is called in training (Keras's `training`): a backward pass will follow. Outside
   * training (Predict, evaluation) the kernels keep no tape on the second thread (parallel.ts).
   */
  training: boolean;
}

export interface FusedRecurrenceInputs {
  /** (batch, steps, features) in processing order (reversed for go_backwards), dropout applied. */
  x: tf.Tensor3D;
  /** (features, gates·units), Keras's kernel. */
  kernel: tf.Tensor2D;
  /** (gates·units): the bias added to the input projection (GRU reset_after: row 0 of Keras's bias); null: none. */
  inputBias: tf.Tensor1D | null;
  recurrentKernel: tf.Tensor2D;
  /** (gates·units), GRU reset_after only. */
  recurrentBias: tf.Tensor1D | null;
  /** Given initial states (batch, units): [h] or LSTM's [h, c]; empty: zeros (no tensors made). */
  initialStates: tf.Tensor2D[];
}

/**
 * The recurrent kernel's gradient over every step at once, per block of columns: the block's left
 * factor (h_{t-1}, or r ⊙ h_{t-1}) transposed times its product gradients.
 */
function recurrentKernelGradient(g: KernelGradients, rows: number, units: number, width: number): Float32Array {
  if (!productsInModule()) {
    return valuesOf(() => {
      const dProducts = tf.tensor2d(g.dProducts, [rows, width]);
      // The blocks cover the columns in order; transposed explicitly (see projection.ts).
      const blocks = g.productInputs.map(({ left, from, to }) =>
        tf.matMul(tf.transpose(tf.tensor2d(left, [rows, units])), tf.slice(dProducts, [0, from], [rows, to - from])));
      return blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1);
    });
  }
  const out = new Float32Array(units * width);
  for (const { left, from, to } of g.productInputs) {
    multiply({
      m: units, n: to - from, k: rows,
      a: { data: left, transpose: true },
      b: { data: g.dProducts, offset: from, stride: width },
      c: { data: out, offset: from, stride: width },
    });
  }
  return out;
}

/**
 * Runs the recurrence over every step. Returns (batch, steps + states, units): each step's
 * output, then the final h (and c for LSTM).
 */
export function fusedRecurrence(args: FusedRecurrenceArgs, inputs: FusedRecurrenceInputs): tf.Tensor3D {
  const [batch, steps, features] = inputs.x.shape;
  const units = inputs.recurrentKernel.shape[0];
  const gates = GATES[args.kind];
  const states = STATES[args.kind];
  const width = gates * units;
  const [kernelRows, kernelCols] = inputs.kernel.shape;
  if (kernelRows !== features || kernelCols !== width) {
    throw new Error(`fused ${args.kind}: the kernel is ${kernelRows} × ${kernelCols}, expected ${features} × ${width}`);
  }
  if (inputs.inputBias !== null && inputs.inputBias.size !== width) {
    throw new Error(`fused ${args.kind}: the bias has ${inputs.inputBias.size} entries, expected ${width}`);
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
  const hasInputBias = inputs.inputBias !== null;
  const hasBias = inputs.recurrentBias !== null;
  // The op's arguments, in this order: x, kernel, [input bias], recurrent kernel, [recurrent bias], states.
  const tensors: tf.Tensor[] = [inputs.x, inputs.kernel];
  if (hasInputBias) tensors.push(inputs.inputBias!);
  tensors.push(inputs.recurrentKernel);
  if (hasBias) tensors.push(inputs.recurrentBias!);
  tensors.push(...inputs.initialStates);

  const op = tf.customGrad((...opArgs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const args0 = opArgs as tf.Tensor[];
    let next = 0;
    const x = args0[next++] as tf.Tensor3D;
    const kernel = args0[next++] as tf.Tensor2D;
    const projection = inputProjection(x, kernel, hasInputBias ? (args0[next++] as tf.Tensor1D) : null);
    // tfjs disposes the op's inputs after the forward pass unless saved for the gradient.
    (opArgs[opArgs.length - 1] as tf.GradSaveFunc)([x, kernel]);
    const recurrentKernel = args0[next++];
    const recurrentBias = hasBias ? args0[next++] : null;
    const stateTensors = args0.slice(next, next + given);
    const rows = batch * steps;
    const input: KernelInput = {
      batch,
      steps,
      units,
      xproj: projection.forward(),
      recurrentKernel: floats(recurrentKernel),
      recurrentBias: recurrentBias && floats(recurrentBias),
      h0: given ? floats(stateTensors[0]) : new Float32Array(batch * units),
      c0: given > 1 ? floats(stateTensors[1]) : null,
      mask: args.mask,
      recurrentMask: args.recurrentMask,
      activation: args.activation,
      recurrentActivation: args.recurrentActivation,
    };
    // The whole sequence in WebAssembly where it loads and has the activations, else
    // TypeScript; a large batch split over two threads (parallel.ts).
    const forward = runKernel(args.kind, input, { forwardOnly: !args.training });
    const value = tf.tensor3d(forward.y, [batch, steps + states, units]);
    const gradFunc = (dy: tf.Tensor3D, saved: tf.Tensor[]): tf.Tensor[] => {
      const g = forward.backward(floats(dy));
      const grads = projection.backward(g.dxproj, saved[0] as tf.Tensor3D, saved[1] as tf.Tensor2D);
      grads.push(tf.tensor2d(g.dRecurrentKernel ?? recurrentKernelGradient(g, rows, units, width), [units, width]));
      if (hasBias) {
        const dBias = new Float32Array(width);
        columnSums(g.dProducts, rows, width, dBias);
        grads.push(tf.tensor1d(dBias));
      }
      if (given) grads.push(tf.tensor2d(g.dh0, [batch, units]));
      if (given > 1) grads.push(tf.tensor2d(g.dc0!, [batch, units]));
      return grads;
    };
    return { value, gradFunc };
  });
  return op(...tensors) as tf.Tensor3D;
}
