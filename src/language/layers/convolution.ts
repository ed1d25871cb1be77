import { formatCount, formatShape } from '../formatting';
import type { Shape } from '../model';
import { activation, BASE_ARGS, KERNEL_ARGS, NO_PARAMS, trainable, type InferContext, type LayerSpec } from './spec';

// Conv1D and the 1-D pooling layers: they slide a window along the time axis.

/** Output length of a sliding window, or reports a window longer than the sequence. */
function slide(ctx: InferContext, layer: string, length: number | null, window: number, stride: number, padding: string, windowArg: string): number | null | undefined {
  if (length === null) return null;
  if (padding === 'same' || padding === 'causal') return Math.ceil(length / stride);
  if (window > length) {
    ctx.report(
      'window-too-long',
      `The ${layer} window spans ${window} steps but the sequence has only ${length}: use a smaller ${windowArg}, padding="same", or longer sequences.`,
      ctx.span(windowArg),
    );
    return undefined;
  }
  return Math.floor((length - window) / stride) + 1;
}

function threeD(ctx: InferContext, layer: string): boolean {
  if (ctx.input.length === 3) return true;
  ctx.report('incompatible-shape', `${layer} expects 3D input (batch, steps, channels), got ${formatShape(ctx.input)}.`);
  return false;
}

export const Conv1D: LayerSpec = {
  name: 'Conv1D',
  autoName: 'conv1d',
  category: 'convolution',
  summary: 'Slides filters of kernel_size steps along the sequence.',
  doc: [
    'Each of `filters` kernels spans `kernel_size` steps and all input channels, plus a bias.',
    '',
    'Parameters: `filters × (kernel_size × channels + 1)`. Output length: `valid` shrinks the sequence, `same` and `causal` keep it (divided by strides).',
  ].join('\n'),
  args: [
    { name: 'filters', type: { t: 'int', min: 1 }, required: true, positional: true },
    { name: 'kernel_size', type: { t: 'int1', min: 1 }, required: true, positional: true },
    { name: 'strides', type: { t: 'int1', min: 1 }, default: 1, positional: true },
    { name: 'padding', type: { t: 'enum', values: ['valid', 'same', 'causal'] }, default: 'valid', positional: true },
    { name: 'data_format', type: { t: 'enum', values: ['channels_last'] }, default: 'channels_last' },
    { name: 'dilation_rate', type: { t: 'int1', min: 1 }, default: 1 },
    { name: 'groups', type: { t: 'int', min: 1 }, default: 1 },
    activation(null),
    { name: 'use_bias', type: { t: 'bool' }, default: true },
    ...KERNEL_ARGS,
    ...BASE_ARGS,
  ],
  infer(ctx) {
    if (!threeD(ctx, 'Conv1D')) return null;
    const channels = ctx.input[2];
    if (channels === null) {
      ctx.report('incompatible-shape', `Conv1D needs a known number of channels, but the input is ${formatShape(ctx.input)}.`);
      return null;
    }
    const filters = ctx.args.filters as number;
    const k = ctx.args.kernel_size as number;
    const s = ctx.args.strides as number;
    const d = ctx.args.dilation_rate as number;
    const groups = ctx.args.groups as number;
    if (channels % groups !== 0 || filters % groups !== 0) {
      ctx.report('invalid-argument', `groups=${groups} must divide both the input channels (${channels}) and filters (${filters}).`, ctx.span('groups'));
      return null;
    }
    if (s > 1 && d > 1) {
      ctx.report('invalid-argument', 'Keras does not allow strides > 1 together with dilation_rate > 1.', ctx.span('dilation_rate'));
      return null;
    }
    const span = d * (k - 1) + 1;
    const steps = slide(ctx, 'Conv1D', ctx.input[1], span, s, ctx.args.padding as string, 'kernel_size');
    if (steps === undefined) return null;
    const perFilter = k * (channels / groups);
    const bias = ctx.args.use_bias !== false;
    const total = filters * (perFilter + (bias ? 1 : 0));
    const kc = groups === 1 ? `${k} × ${channels}` : `${k} × ${channels}/${groups}`;
    const formula = bias ? `${filters} × (${kc} + 1) = ${formatCount(total)}` : `${filters} × ${kc} = ${formatCount(total)}`;
    const out: Shape = [null, steps, filters];
    return { outputs: [out], params: trainable(total), formula };
  },
};

function pooling(name: string, autoName: string, what: string): LayerSpec {
  return {
    name,
    autoName,
    category: 'pooling',
    summary: `Takes the ${what} over windows of pool_size steps.`,
    doc: `Takes the ${what} of each window of \`pool_size\` steps, moving by \`strides\` (default: pool_size). No weights.`,
    args: [
      { name: 'pool_size', type: { t: 'int1', min: 1 }, default: 2, positional: true },
      { name: 'strides', type: { t: 'int1', min: 1, nullable: true }, default: null, positional: true },
      { name: 'padding', type: { t: 'enum', values: ['valid', 'same'] }, default: 'valid', positional: true },
      { name: 'data_format', type: { t: 'enum', values: ['channels_last'] }, default: 'channels_last' },
      ...BASE_ARGS,
    ],
    infer(ctx) {
      if (!threeD(ctx, name)) return null;
      const p = ctx.args.pool_size as number;
      const s = (ctx.args.strides as number | null) ?? p;
      const steps = slide(ctx, name, ctx.input[1], p, s, ctx.args.padding as string, 'pool_size');
      if (steps === undefined) return null;
      return { outputs: [[null, steps, ctx.input[2]]], params: NO_PARAMS, formula: 'no weights: 0' };
    },
  };
}

function globalPooling(name: string, autoName: string, what: string): LayerSpec {
  return {
    name,
    autoName,
    category: 'pooling',
    summary: `Takes the ${what} over all steps: (batch, steps, channels) → (batch, channels).`,
    doc: `Reduces the time axis to its ${what}. Works with sequences of any length. No weights.`,
    args: [
      { name: 'data_format', type: { t: 'enum', values: ['channels_last'] }, default: 'channels_last' },
      { name: 'keepdims', type: { t: 'bool' }, default: false },
      ...BASE_ARGS,
    ],
    infer(ctx) {
      if (!threeD(ctx, name)) return null;
      const out: Shape = ctx.args.keepdims ? [null, 1, ctx.input[2]] : [null, ctx.input[2]];
      return { outputs: [out], params: NO_PARAMS, formula: 'no weights: 0' };
    },
  };
}

export const MaxPooling1D = pooling('MaxPooling1D', 'max_pooling1d', 'maximum');
export const AveragePooling1D = pooling('AveragePooling1D', 'average_pooling1d', 'average');
export const GlobalMaxPooling1D = globalPooling('GlobalMaxPooling1D', 'global_max_pooling1d', 'maximum');
export const GlobalAveragePooling1D = globalPooling('GlobalAveragePooling1D', 'global_average_pooling1d', 'average');
