// RNN(cell), its cells and StackedRNNCells: tfjs's RNN loop around the project's RecurrentCell
// (src/training/layers/recurrent-cells.ts), which computes every cell the language knows; or,
// for a single Keras cell that fusedPathFor puts on the fused path, the fused layer it equals.
import * as tf from '../tf';
import type { RNNCell } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import type { LayerConfig } from '../../language';
import type { ConfigReader } from '../config-reader';
import { activation, initializer } from '../keras-names';
import { fusedPathFor } from '../fused/eligibility';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../fused/layers';
import { CellRNN } from '../layers/cell-rnn';
import { RecurrentCell, type CellKind } from '../layers/recurrent-cells';
import type { BuildContext, Layer, LayerBuilder } from './context';

export const RNN: LayerBuilder = (spec, name, a, ctx) => {
  if (a.bool('stateful', false)) a.fail('stateful', '=True needs a fixed batch size, which the trainer does not support');
  const cellConfig = a.layer('cell');
  const cellName = 'inner' in spec && spec.inner?.name ? spec.inner.name : undefined;
  // The cell is built either way: it reads (and reports unused) the cell's arguments, and draws
  // the seeds, as on the tfjs path, so both paths start from the same weights.
  const cell = ctx.buildLayer(cellConfig, cellName);
  const sequence = {
    name,
    returnSequences: a.bool('return_sequences', false),
    returnState: a.bool('return_state', false),
    goBackwards: a.bool('go_backwards', false),
  };
  if (fusedPathFor(spec).path === 'fused' && cell instanceof RecurrentCell) return fusedLayerOf(cell, sequence);
  return new CellRNN({ ...sequence, cell: cell as unknown as RNNCell });
};

/** RNN(SimpleRNNCell | LSTMCell | GRUCell) as the fused layer of the same name and weights. */
function fusedLayerOf(cell: RecurrentCell, sequence: { name?: string; returnSequences: boolean; returnState: boolean; goBackwards: boolean }): Layer {
  const o = cell.options;
  const args = {
    ...sequence,
    units: o.units,
    activation: (o.activation ?? 'tanh') as 'tanh',
    useBias: o.useBias ?? true,
    dropout: o.dropout ?? 0,
    recurrentDropout: o.recurrentDropout ?? 0,
    kernelInitializer: cell.kernelInitializer,
    recurrentInitializer: cell.recurrentInitializer,
    biasInitializer: cell.biasInitializer,
  };
  const recurrentActivation = (o.recurrentActivation ?? 'sigmoid') as 'sigmoid';
  switch (cell.kind) {
    case 'SimpleRNNCell':
      return new FusedSimpleRNN(args);
    case 'LSTMCell':
      return new FusedLSTM({ ...args, recurrentActivation, unitForgetBias: o.unitForgetBias ?? true });
    case 'GRUCell':
      return o.resetAfter ?? true ? new FusedResetAfterGRU({ ...args, recurrentActivation }) : new FusedGRU({ ...args, recurrentActivation });
    default:
      throw new Error(`${cell.kind} has no fused layer`);
  }
}

export const StackedRNNCells: LayerBuilder = (_spec, name, a, ctx) => {
  const cells = a.raw('cells');
  if (!Array.isArray(cells) || cells.length === 0) a.fail('cells', 'must be a non-empty list of cells');
  const built = (cells as LayerConfig[]).map((c) => ctx.buildLayer(c, undefined) as unknown as RNNCell);
  return tf.layers.stackedRNNCells({ name, cells: built });
};

function cell(kind: CellKind): LayerBuilder {
  return (_spec, name, a, ctx) => buildCell(kind, name, a, ctx);
}

function buildCell(kind: CellKind, name: string | undefined, a: ConfigReader, ctx: BuildContext): Layer {
  const gammaKey = kind === 'LayerNormSimpleRNNCell' ? 'gamma_initializer' : 'norm_gamma_initializer';
  const normed = kind.startsWith('LayerNorm');
  const epsilonKey = kind === 'LayerNormSimpleRNNCell' ? 'layernorm_epsilon' : 'norm_epsilon';
  return new RecurrentCell({
    name,
    kind,
    units: a.int('units', 1),
    activation: activation(a.raw('activation', 'tanh')),
    recurrentActivation: kind.includes('SimpleRNN') ? undefined : activation(a.raw('recurrent_activation', 'sigmoid')),
    useBias: a.bool('use_bias', true),
    unitForgetBias: kind.includes('LSTM') ? a.bool('unit_forget_bias', true) : undefined,
    resetAfter: kind === 'GRUCell' ? a.bool('reset_after', true) : undefined,
    peepholeGates: kind === 'FullPeepholeLSTMCell' ? (a.raw('peephole_gates') as string[]) : undefined,
    epsilon: normed ? a.number(epsilonKey, 1e-3) : undefined,
    dropout: a.number('dropout', 0),
    recurrentDropout: a.number('recurrent_dropout', 0),
    kernelInitializer: initializer(a.raw('kernel_initializer', 'glorot_uniform'), ctx.nextSeed()),
    recurrentInitializer: initializer(a.raw('recurrent_initializer', 'orthogonal'), ctx.nextSeed()),
    biasInitializer: initializer(a.raw('bias_initializer', 'zeros'), ctx.nextSeed()),
    peepholeInitializer: kind.includes('Peephole') ? initializer(a.raw('kernel_initializer', 'glorot_uniform'), ctx.nextSeed()) : undefined,
    gammaInitializer: normed ? initializer(a.raw(gammaKey, 'ones'), ctx.nextSeed()) : undefined,
    // LayerNormSimpleRNNCell's normalization has no shift (TF Addons): no beta to initialize.
    betaInitializer: normed && kind !== 'LayerNormSimpleRNNCell' ? initializer(a.raw('norm_beta_initializer', 'zeros'), ctx.nextSeed()) : undefined,
  });
}

export const SimpleRNNCell = cell('SimpleRNNCell');
export const LSTMCell = cell('LSTMCell');
export const GRUCell = cell('GRUCell');
export const PeepholeLSTMCell = cell('PeepholeLSTMCell');
export const FullPeepholeLSTMCell = cell('FullPeepholeLSTMCell');
export const CoupledLSTMCell = cell('CoupledLSTMCell');
export const LayerNormSimpleRNNCell = cell('LayerNormSimpleRNNCell');
export const LayerNormLSTMCell = cell('LayerNormLSTMCell');
export const LayerNormGRUCell = cell('LayerNormGRUCell');
