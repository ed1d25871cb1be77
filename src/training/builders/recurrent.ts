// SimpleRNN, LSTM and GRU as tfjs layers, with Keras's defaults stated explicitly. Each runs on
// the fused kernels when fusedPathFor says so (the same layer classes with a fused call: see
// ../fused/layers.ts), else on tfjs-layers's step loop; Bidirectional wraps whichever is built.
import * as tf from '../tf';
import type { ConfigReader } from '../config-reader';
import { fusedPathFor } from '../fused/eligibility';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../fused/layers';
import { activation, constraint, initializer, regularizer } from '../keras-names';
import { ResetAfterGRU } from '../layers/gru-reset-after';
import type { BuildContext, LayerBuilder } from './context';

export const SimpleRNN: LayerBuilder = (spec, name, a, ctx) => {
  const args = { name, ...recurrentArgs(a, ctx) };
  return fusedPathFor(spec).path === 'fused' ? new FusedSimpleRNN(args) : tf.layers.simpleRNN(args);
};

export const LSTM: LayerBuilder = (spec, name, a, ctx) => {
  const args = {
    name,
    ...recurrentArgs(a, ctx),
    recurrentActivation: activation(a.raw('recurrent_activation', 'sigmoid')) as 'sigmoid',
    unitForgetBias: a.bool('unit_forget_bias', true),
  };
  return fusedPathFor(spec).path === 'fused' ? new FusedLSTM(args) : tf.layers.lstm(args);
};

export const GRU: LayerBuilder = (spec, name, a, ctx) => {
  const common = recurrentArgs(a, ctx);
  const recurrentActivation = activation(a.raw('recurrent_activation', 'sigmoid'));
  const fused = fusedPathFor(spec).path === 'fused';
  if (a.bool('reset_after', true)) {
    const args = { name, ...common, recurrentActivation };
    return fused ? new FusedResetAfterGRU(args) : new ResetAfterGRU(args);
  }
  // tfjs's GRU is reset_after=False.
  const args = { name, ...common, recurrentActivation: recurrentActivation as 'sigmoid' };
  return fused ? new FusedGRU(args) : tf.layers.gru(args);
};

/** Arguments shared by SimpleRNN, LSTM and GRU, with Keras's defaults. */
function recurrentArgs(a: ConfigReader, ctx: BuildContext) {
  if (a.bool('stateful', false)) {
    a.fail('stateful', '=True needs a fixed batch size, which the trainer does not support');
  }
  if (a.raw('activity_regularizer') !== null) {
    a.fail('activity_regularizer', 'is not available for recurrent layers in TensorFlow.js');
  }
  return {
    units: a.int('units', 1),
    activation: activation(a.raw('activation', 'tanh')) as 'tanh',
    useBias: a.bool('use_bias', true),
    kernelInitializer: initializer(a.raw('kernel_initializer', 'glorot_uniform'), ctx.nextSeed()),
    recurrentInitializer: initializer(a.raw('recurrent_initializer', 'orthogonal'), ctx.nextSeed()),
    biasInitializer: initializer(a.raw('bias_initializer', 'zeros'), ctx.nextSeed()),
    kernelRegularizer: regularizer(a.raw('kernel_regularizer')) ?? undefined,
    recurrentRegularizer: regularizer(a.raw('recurrent_regularizer')) ?? undefined,
    biasRegularizer: regularizer(a.raw('bias_regularizer')) ?? undefined,
    kernelConstraint: constraint(a.raw('kernel_constraint')) ?? undefined,
    recurrentConstraint: constraint(a.raw('recurrent_constraint')) ?? undefined,
    biasConstraint: constraint(a.raw('bias_constraint')) ?? undefined,
    dropout: a.number('dropout', 0),
    recurrentDropout: a.number('recurrent_dropout', 0),
    returnSequences: a.bool('return_sequences', false),
    returnState: a.bool('return_state', false),
    goBackwards: a.bool('go_backwards', false),
  };
}
