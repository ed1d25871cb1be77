import { formatCount, formatShape } from '../formatting';
import type { ConfigValue, Shape } from '../model';
import { gruDoc, lstmDoc, simpleRnnDoc } from './recurrentEquations';
import { activation, BASE_ARGS, constraintArg, initializerArg, KERNEL_ARGS, regularizerArg, trainable, type ArgSpec, type InferContext, type LayerResult, type LayerSpec } from './spec';

// SimpleRNN, LSTM and GRU share everything but the number of gates and, for GRU, the
// second recurrent bias of reset_after=True (Keras's default since TF 2).

/** The weights' and dropout arguments: what a recurrent layer and its cell (LSTMCell) share. */
export const WEIGHT_ARGS: ArgSpec[] = [
  { name: 'use_bias', type: { t: 'bool' }, default: true },
  ...KERNEL_ARGS.slice(0, 1),
  initializerArg('recurrent_initializer', 'orthogonal'),
  ...KERNEL_ARGS.slice(1, 4),
  regularizerArg('recurrent_regularizer'),
  KERNEL_ARGS[5],
  constraintArg('recurrent_constraint'),
  KERNEL_ARGS[6],
  { name: 'dropout', type: { t: 'float', min: 0, max: 1 }, default: 0, doc: 'Fraction of the inputs dropped at each step while training.' },
  { name: 'recurrent_dropout', type: { t: 'float', min: 0, max: 1 }, default: 0, doc: 'Fraction of the recurrent state dropped while training.' },
];

const RECURRENT_COMMON: ArgSpec[] = [
  ...WEIGHT_ARGS,
  KERNEL_ARGS[4],
  { name: 'return_sequences', type: { t: 'bool' }, default: false, doc: 'Output the whole sequence (None, steps, units) instead of the last step (None, units). Needed when another recurrent layer follows.' },
  { name: 'return_state', type: { t: 'bool' }, default: false, doc: 'Also output the final state(s).' },
  { name: 'go_backwards', type: { t: 'bool' }, default: false, doc: 'Process the sequence backwards.' },
  { name: 'stateful', type: { t: 'bool' }, default: false },
  { name: 'unroll', type: { t: 'bool' }, default: false },
  { name: 'input_dim', type: { t: 'int', min: 1 }, doc: 'Legacy Keras: the number of features, on the first layer.' },
  { name: 'input_length', type: { t: 'int', min: 1, nullable: true }, doc: 'Legacy Keras: the number of steps, on the first layer.' },
  ...BASE_ARGS,
];

export const units: ArgSpec = { name: 'units', type: { t: 'int', min: 1 }, required: true, positional: true, doc: 'Dimensionality of the output space (the hidden state).' };
export const recurrentActivation: ArgSpec = {
  name: 'recurrent_activation',
  type: activation('sigmoid').type,
  default: 'sigmoid',
  positional: true,
  doc: 'Activation of the gates (Keras: sigmoid; tfjs would default to hard_sigmoid).',
};

function posAct(dflt: string): ArgSpec {
  return { ...activation(dflt), positional: true };
}

/** The shape checks every recurrent layer makes; returns [steps, features] or null. */
export function recurrentInput(ctx: InferContext, layer: string): [number | null, number] | null {
  const input = ctx.input;
  if (input.length !== 3) {
    const prev = ctx.previous;
    // A wrapped recurrent layer (Bidirectional(LSTM(...))) takes return_sequences too; RNN's inner is its cell.
    const prevRecurrent = prev?.category === 'recurrent' || prev?.inner?.category === 'recurrent';
    if (input.length === 2 && prev && prevRecurrent) {
      const fix = ctx.addArgToPrevious('return_sequences', 'True');
      ctx.report(
        'missing-return-sequences',
        `${layer} needs a sequence (None, steps, features), but ${prev.name} outputs only its last step ${formatShape(input)}. Add return_sequences=True to ${prev.name} so it outputs every step.`,
        undefined,
        fix ? [fix] : undefined,
      );
      return null;
    }
    ctx.report(
      'incompatible-shape',
      `${layer} expects 3D input (batch, timesteps, features) but receives ${formatShape(input)}.` +
        (input.length === 2 ? ' To feed a vector at every step use RepeatVector(n) before it; to make steps of it use Reshape.' : ''),
    );
    return null;
  }
  const features = input[2];
  if (features === null) {
    ctx.report('incompatible-shape', `${layer} needs a known number of features (the last dimension), but the input is ${formatShape(input)}.`);
    return null;
  }
  return [input[1], features];
}

interface RecurrentKind {
  name: string;
  autoName: string;
  /** Dense blocks per step: 1 for SimpleRNN, 4 LSTM gates, 3 GRU gates. */
  gates: number;
  extraArgs: ArgSpec[];
  /** States returned with return_state=True. */
  states: number;
  /** True when each gate has a second (recurrent) bias: GRU's reset_after=True. */
  recurrentBias?: (args: Record<string, ConfigValue>) => boolean;
  summary: string;
  /** The explanation with the equations for given arguments (recurrentEquations.ts). */
  explain: (args: Record<string, ConfigValue>) => string;
}

function makeRecurrent({ name, autoName, gates, extraArgs, states, recurrentBias, summary, explain }: RecurrentKind): LayerSpec {
  const args = [units, posAct('tanh'), ...extraArgs, ...RECURRENT_COMMON];
  return {
    name,
    autoName,
    category: 'recurrent',
    summary,
    doc: explain(Object.fromEntries(args.map((a) => [a.name, a.default ?? null]))),
    explain,
    args,
    infer(ctx): LayerResult | null {
      const dims = recurrentInput(ctx, name);
      if (!dims) return null;
      const [steps, f] = dims;
      const u = ctx.args.units as number;
      const useBias = ctx.args.use_bias !== false;
      const resetAfter = recurrentBias?.(ctx.args) ?? false;
      const perGate = u * (f + u) + (useBias ? (resetAfter ? 2 * u : u) : 0);
      const total = gates * perGate;
      const inner = useBias ? `${u} × (${f} + ${u}) + ${resetAfter ? `2 × ${u}` : u}` : `${u} × (${f} + ${u})`;
      const formula = gates === 1 ? `${inner} = ${formatCount(total)}` : `${gates} × (${inner}) = ${formatCount(total)}`;
      const main: Shape = ctx.args.return_sequences ? [null, steps, u] : [null, u];
      const outputs: Shape[] = [main];
      if (ctx.args.return_state) for (let i = 0; i < states; i++) outputs.push([null, u]);
      return { outputs, params: trainable(total), formula };
    },
  };
}

export const SimpleRNN = makeRecurrent({
  name: 'SimpleRNN',
  autoName: 'simple_rnn',
  gates: 1,
  extraArgs: [],
  states: 1,
  summary: 'Fully-connected RNN: the output is fed back as the next input.',
  explain: simpleRnnDoc,
});

export const LSTM = makeRecurrent({
  name: 'LSTM',
  autoName: 'lstm',
  gates: 4,
  extraArgs: [recurrentActivation, { name: 'unit_forget_bias', type: { t: 'bool' }, default: true, doc: 'Start the forget-gate bias at 1 (Keras default).' }],
  states: 2,
  summary: 'Long Short-Term Memory: gated cell state that carries information over long sequences.',
  explain: lstmDoc,
});

export const GRU = makeRecurrent({
  name: 'GRU',
  autoName: 'gru',
  gates: 3,
  extraArgs: [
    recurrentActivation,
    { name: 'reset_after', type: { t: 'bool' }, default: true, doc: 'Apply the reset gate after the matrix multiply (Keras default True: two bias vectors per gate).' },
  ],
  states: 1,
  recurrentBias: (args) => args.reset_after !== false,
  summary: 'Gated Recurrent Unit: update and reset gates, no separate cell state.',
  explain: gruDoc,
});
