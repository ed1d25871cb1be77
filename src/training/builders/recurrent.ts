// SimpleRNN, LSTM and GRU as tfjs layers, with Keras's defaults stated explicitly.
import * as tf from '@tensorflow/tfjs';
import type { ConfigReader } from '../config-reader';
import { activation, constraint, initializer, regularizer } from '../keras-names';
import { ResetAfterGRU } from '../layers/gru-reset-after';
import type { BuildContext, LayerBuilder } from './context';

export const SimpleRNN: LayerBuilder = (_spec, name, a, ctx) => tf.layers.simpleRNN({ name, ...recurrentArgs(a, ctx) });

export const LSTM: LayerBuilder = (_spec, name, a, ctx) =>
  tf.layers.lstm({
    name,
    ...recurrentArgs(a, ctx),
    recurrentActivation: activation(a.raw('recurrent_activation', 'sigmoid')) as 'sigmoid',
    unitForgetBias: a.bool('unit_forget_bias', true),
  });

export const GRU: LayerBuilder = (_spec, name, a, ctx) => {
  const common = recurrentArgs(a, ctx);
  const recurrentActivation = activation(a.raw('recurrent_activation', 'sigmoid'));
  if (a.bool('reset_after', true)) {
    return new ResetAfterGRU({ name, ...common, recurrentActivation });
  }
  // tfjs's GRU is reset_after=False.
  return tf.layers.gru({ name, ...common, recurrentActivation: recurrentActivation as 'sigmoid' });
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
