// Keras's recurrent layers on the fused path: tfjs-layers's own SimpleRNN, LSTM and GRU (and our
// reset_after GRU) with only `call` replaced. Construction, weights (kernel, recurrent_kernel,
// bias: same names, shapes and Keras layout), initializers, regularizers, constraints, config and
// Bidirectional's cloning stay theirs, so optimizers, saving and loading a run, Predict and the
// summary see the same layer. Each has a class name of its own, registered with tfjs, so a saved
// run reloads onto the fused path; runs saved before it reload as tfjs's layers.
//
// build.ts creates these only when fusedPathFor (eligibility.ts) says the layer's configuration
// is one the kernels compute exactly.
import * as tf from '../tf';
import type { GRU, LSTM, SimpleRNN } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import { ResetAfterGRU } from '../layers/gru-reset-after';
import { elementwiseActivation, ElementwiseActivation } from './activations';
import { GATES, RecurrentKind, STATES } from './kernel';
import { fusedRecurrence } from './op';

/** What the fused call reads from a tfjs recurrent cell (tfjs's cells and ResetAfterGRUCell). */
export interface CellView {
  units: number;
  kernel: LayerVariable | null;
  recurrentKernel: LayerVariable | null;
  bias: LayerVariable | null;
  dropout: number;
  recurrentDropout: number;
  activation?: { getClassName(): string };
  recurrentActivation?: { getClassName(): string };
  activationName?: string;
  recurrentActivationName?: string;
}

export interface RecurrentLayerView {
  cell: unknown;
  name: string;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
}

export function cellActivation(cell: CellView, which: 'activation' | 'recurrentActivation'): ElementwiseActivation {
  const id = which === 'activation'
    ? cell.activationName ?? cell.activation?.getClassName()
    : cell.recurrentActivationName ?? cell.recurrentActivation?.getClassName() ?? 'sigmoid';
  const fn = id === undefined ? null : elementwiseActivation(id);
  if (fn === null) throw new Error(`the fused recurrent kernel has no activation '${id}'`);
  return fn;
}

/** The mask (batch, steps) as 0/1 bytes in processing order (reversed for go_backwards). */
function maskBytes(mask: tf.Tensor, goBackwards: boolean): Uint8Array {
  const [batch, steps] = mask.shape;
  const values = mask.dataSync();
  const out = new Uint8Array(batch * steps);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const from = b * steps + (goBackwards ? steps - 1 - t : t);
      out[b * steps + t] = values[from] ? 1 : 0;
    }
  }
  return out;
}

/** tfjs RNN.call's contract (sequences, last output, states, masking, initial states), fused. */
function fusedCall(layer: RecurrentLayerView, kind: RecurrentKind, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
  return tf.tidy(() => {
    const cell = layer.cell as CellView;
    const stateCount = STATES[kind];
    let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const given = (kwargs?.['initialState'] as tf.Tensor[] | undefined) ?? (Array.isArray(inputs) && inputs.length > 1 ? inputs.slice(1) : null);
    if (given && given.length !== stateCount) {
      throw new Error(`Layer ${layer.name} has ${stateCount} state(s) but was passed ${given.length} initial state(s).`);
    }
    if (x.rank !== 3) throw new Error(`Layer ${layer.name} expects (batch, steps, features), got shape ${JSON.stringify(x.shape)}`);
    const [batch, steps, features] = x.shape;
    if (steps === 0) throw new Error(`Layer ${layer.name} got a sequence of 0 steps`);
    const units = cell.units;
    // Dropout masks: one per sequence, the same at every step (Keras's and tfjs's rule), drawn
    // as tfjs's cells draw theirs (dropout of ones shaped as one step's input, or state).
    const training = kwargs?.['training'] === true;
    if (training && cell.dropout > 0 && cell.dropout < 1) {
      const keep = tf.dropout(tf.ones([batch, 1, features]), cell.dropout);
      x = tf.mul(x, keep);
    }
    const recurrentMask = training && cell.recurrentDropout > 0 && cell.recurrentDropout < 1
      ? Float32Array.from(tf.dropout(tf.ones([batch, units]), cell.recurrentDropout).dataSync())
      : null;
    if (layer.goBackwards) x = tf.reverse(x, 1);
    let inputBias: tf.Tensor1D | null = null;
    let recurrentBias: tf.Tensor1D | null = null;
    if (cell.bias !== null) {
      const bias = cell.bias.read();
      if (kind === 'gru-reset-after') {
        // Keras's (2, 3u) bias: row 0 joins the input projection, row 1 the recurrent product.
        [inputBias, recurrentBias] = tf.unstack(bias) as tf.Tensor1D[];
      } else {
        inputBias = bias as tf.Tensor1D;
      }
    }
    const mask = kwargs?.['mask'] as tf.Tensor | null | undefined;
    const y = fusedRecurrence(
      {
        kind,
        activation: cellActivation(cell, 'activation'),
        recurrentActivation: cellActivation(cell, 'recurrentActivation'),
        mask: mask ? maskBytes(mask, layer.goBackwards) : null,
        recurrentMask,
        training,
      },
      {
        x,
        kernel: cell.kernel!.read() as tf.Tensor2D,
        inputBias,
        recurrentKernel: cell.recurrentKernel!.read() as tf.Tensor2D,
        recurrentBias,
        initialStates: (given ?? []) as tf.Tensor2D[],
      },
    );
    const output = layer.returnSequences
      ? tf.slice(y, [0, 0, 0], [batch, steps, units])
      : tf.reshape(tf.slice(y, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
    if (!layer.returnState) return output;
    const states = Array.from({ length: stateCount }, (_, i) =>
      tf.reshape(tf.slice(y, [0, steps + i, 0], [batch, 1, units]), [batch, units]));
    return [output, ...states];
  });
}

// tfjs-layers exports its recurrent layers' factories, not their classes: take the classes from
// instances. They are named, so that they take no automatic name ('lstm', ...) from a model.
const SimpleRNNBase = tf.layers.simpleRNN({ units: 1, name: 'seqmodel_class_probe' }).constructor as typeof SimpleRNN;
const LSTMBase = tf.layers.lstm({ units: 1, name: 'seqmodel_class_probe' }).constructor as typeof LSTM;
const GRUBase = tf.layers.gru({ units: 1, name: 'seqmodel_class_probe' }).constructor as typeof GRU;

export class FusedSimpleRNN extends SimpleRNNBase {
  static override className = 'SeqModelFusedSimpleRNN';
  static readonly kind: RecurrentKind = 'simple-rnn';
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, FusedSimpleRNN.kind, inputs, kwargs);
  }
}

export class FusedLSTM extends LSTMBase {
  static override className = 'SeqModelFusedLSTM';
  static readonly kind: RecurrentKind = 'lstm';
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, FusedLSTM.kind, inputs, kwargs);
  }
}

/** GRU with reset_after=False (tfjs's GRU). */
export class FusedGRU extends GRUBase {
  static override className = 'SeqModelFusedGRU';
  static readonly kind: RecurrentKind = 'gru';
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, FusedGRU.kind, inputs, kwargs);
  }
}

/** Keras's default GRU (reset_after=True). */
export class FusedResetAfterGRU extends ResetAfterGRU {
  static override className = 'SeqModelFusedResetAfterGRU';
  static readonly kind: RecurrentKind = 'gru-reset-after';
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, FusedResetAfterGRU.kind, inputs, kwargs);
  }
}

const FUSED_CLASSES = [FusedSimpleRNN, FusedLSTM, FusedGRU, FusedResetAfterGRU];
for (const cls of FUSED_CLASSES) tf.serialization.registerClass(cls);

/** The kernel each fused class runs, by class name (the whole-model path's recurrent layers read it). */
export const FUSED_KINDS: ReadonlyMap<string, RecurrentKind> = new Map(FUSED_CLASSES.map((cls) => [cls.className, cls.kind]));
