import { formatCount, formatShape } from '../formatting';
import type { Shape } from '../model';
import { activation, BASE_ARGS, KERNEL_ARGS, lastDim, NO_PARAMS, withLastDim, trainable, type InferContext, type LayerSpec } from './spec';

// Layers that act on the last axis or pass the shape through: Dense, Activation, Dropout,
// Masking.

export const Dense: LayerSpec = {
  name: 'Dense',
  autoName: 'dense',
  category: 'core',
  summary: 'Fully-connected layer on the last axis: output = activation(input · kernel + bias).',
  doc: [
    '`output = activation(dot(input, kernel) + bias)`, applied to the last axis (so on a sequence it acts on every step).',
    '',
    'Weights: a kernel of `inputs × units` and one bias per unit: `units × (inputs + 1)`.',
  ].join('\n'),
  args: [
    { name: 'units', type: { t: 'int', min: 1 }, required: true, positional: true, doc: 'Number of output units.' },
    { ...activation(null), positional: true },
    { name: 'use_bias', type: { t: 'bool' }, default: true },
    ...KERNEL_ARGS,
    { name: 'input_dim', type: { t: 'int', min: 1 }, doc: 'Legacy Keras: the input size, on the first layer.' },
    ...BASE_ARGS,
  ],
  infer(ctx) {
    const n = lastDim(ctx.input);
    if (ctx.input.length < 2) {
      ctx.report('incompatible-shape', `Dense needs at least a 2D input (batch, features), got ${formatShape(ctx.input)}.`);
      return null;
    }
    if (n === null) {
      ctx.report('incompatible-shape', `Dense needs a known last dimension, but the input is ${formatShape(ctx.input)}.`);
      return null;
    }
    const u = ctx.args.units as number;
    const bias = ctx.args.use_bias !== false;
    const total = bias ? u * (n + 1) : u * n;
    const formula = bias ? `${u} × (${n} + 1) = ${formatCount(total)}` : `${u} × ${n} = ${formatCount(total)}`;
    if (u === 1) warnSingleSoftmax(ctx, 'activation="sigmoid" for a binary output, or more units for several classes');
    const out = withLastDim(ctx.input, u);
    return { outputs: [out], params: trainable(total), formula };
  },
};

/**
 * softmax over one unit: Keras builds and trains it, but it outputs 1.0 whatever the input, so
 * nothing is learned. A warning (the model is valid) with the fix to sigmoid.
 */
function warnSingleSoftmax(ctx: InferContext, instead: string): void {
  if (ctx.args.activation !== 'softmax') return;
  const at = ctx.span('activation');
  ctx.warn('softmax-single-unit', `softmax over a single unit always outputs 1.0, so the model cannot learn: use ${instead}.`, at, [
    { title: 'Use sigmoid', edits: [{ span: at, newText: '"sigmoid"' }], preferred: true },
  ]);
}

function passThrough(name: string, autoName: string, category: LayerSpec['category'], summary: string, args: LayerSpec['args']): LayerSpec {
  return {
    name,
    autoName,
    category,
    summary,
    doc: `${summary}\n\nNo weights: 0 parameters; the shape passes through unchanged.`,
    args: [...args, ...BASE_ARGS],
    infer(ctx) {
      if (name === 'Activation' && lastDim(ctx.input) === 1) warnSingleSoftmax(ctx, '"sigmoid" for a binary output');
      return { outputs: [ctx.input], params: NO_PARAMS, formula: 'no weights: 0' };
    },
  };
}

export const Activation = passThrough('Activation', 'activation', 'core', 'Applies an activation function element-wise.', [
  { ...activation(null), required: true, positional: true, default: undefined },
]);

export const Dropout = passThrough('Dropout', 'dropout', 'regularization', 'Randomly sets a fraction of inputs to 0 while training.', [
  { name: 'rate', type: { t: 'float', min: 0, max: 1 }, required: true, positional: true, doc: 'Fraction of the inputs to drop.' },
  { name: 'noise_shape', type: { t: 'shape' } },
  { name: 'seed', type: { t: 'int', nullable: true }, default: null },
]);

export const Masking = passThrough('Masking', 'masking', 'core', 'Masks time steps whose features all equal mask_value, so later layers skip them.', [
  { name: 'mask_value', type: { t: 'float' }, default: 0, positional: true },
]);

export const SpatialDropout1D: LayerSpec = {
  ...passThrough('SpatialDropout1D', 'spatial_dropout1d', 'regularization', 'Drops whole feature channels (for every step at once) while training.', [
    { name: 'rate', type: { t: 'float', min: 0, max: 1 }, required: true, positional: true },
    { name: 'seed', type: { t: 'int', nullable: true }, default: null },
  ]),
  infer(ctx) {
    if (ctx.input.length !== 3) {
      ctx.report('incompatible-shape', `SpatialDropout1D expects 3D input (batch, timesteps, channels), got ${formatShape(ctx.input)}.`);
      return null;
    }
    return { outputs: [ctx.input], params: NO_PARAMS, formula: 'no weights: 0' };
  },
};
