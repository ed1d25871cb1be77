import { formatCount, formatShape } from '../formatting';
import { BASE_ARGS, constraintArg, initializerArg, regularizerArg, type ArgSpec, type InferContext, type LayerSpec } from './spec';

// Normalization layers count per feature of the normalised axis (the last, by default).

function axisSize(ctx: InferContext, layer: string): number | null {
  const axis = ctx.args.axis;
  const rank = ctx.input.length;
  const axes = Array.isArray(axis) ? (axis as number[]) : [axis as number];
  let size = 1;
  for (const a of axes) {
    const i = a < 0 ? rank + a : a;
    if (i <= 0 || i >= rank) {
      ctx.report('invalid-argument', `axis ${a} of ${layer} is out of range for input ${formatShape(ctx.input)}.`, ctx.span('axis'));
      return null;
    }
    const d = ctx.input[i];
    if (d === null) {
      ctx.report('incompatible-shape', `${layer} needs a known size on axis ${a}, but the input is ${formatShape(ctx.input)}.`);
      return null;
    }
    size *= d;
  }
  return size;
}

/** What both normalizations take: the axis, epsilon, and their learned beta (center) and gamma (scale). */
function normalizationArgs(extraInitializers: ArgSpec[]): ArgSpec[] {
  return [
    { name: 'axis', type: { t: 'axis' }, default: -1 },
    { name: 'epsilon', type: { t: 'float', min: 0 }, default: 0.001 },
    { name: 'center', type: { t: 'bool' }, default: true, doc: 'Learn an offset beta per feature.' },
    { name: 'scale', type: { t: 'bool' }, default: true, doc: 'Learn a scale gamma per feature.' },
    initializerArg('beta_initializer', 'zeros'),
    initializerArg('gamma_initializer', 'ones'),
    ...extraInitializers,
    regularizerArg('beta_regularizer'),
    regularizerArg('gamma_regularizer'),
    constraintArg('beta_constraint'),
    constraintArg('gamma_constraint'),
    ...BASE_ARGS,
  ];
}

/** How many per-feature vectors are learned: beta if center, gamma if scale. */
function learnedVectors(ctx: InferContext): number {
  return (ctx.args.center !== false ? 1 : 0) + (ctx.args.scale !== false ? 1 : 0);
}

export const BatchNormalization: LayerSpec = {
  name: 'BatchNormalization',
  autoName: 'batch_normalization',
  category: 'normalization',
  summary: 'Normalises each feature over the batch, with a learned scale (gamma) and offset (beta).',
  doc: [
    'Keeps four values per feature: gamma and beta (learned) and the moving mean and variance (computed while training, not trainable).',
    '',
    'Parameters: `4 × features`, of which `2 × features` trainable.',
  ].join('\n'),
  args: [
    { name: 'momentum', type: { t: 'float', min: 0, max: 1 }, default: 0.99 },
    ...normalizationArgs([
      initializerArg('moving_mean_initializer', 'zeros', 'How the moving mean starts (not trainable).'),
      initializerArg('moving_variance_initializer', 'ones', 'How the moving variance starts (not trainable).'),
    ]),
  ],
  infer(ctx) {
    const n = axisSize(ctx, 'BatchNormalization');
    if (n === null) return null;
    const learned = learnedVectors(ctx);
    const total = (learned + 2) * n;
    const train = learned * n;
    return {
      outputs: [ctx.input],
      params: { total, trainable: train, nonTrainable: total - train },
      formula: `${learned + 2} × ${formatCount(n)} = ${formatCount(total)} (${learned} × ${formatCount(n)} = ${formatCount(train)} trainable)`,
    };
  },
};

export const LayerNormalization: LayerSpec = {
  name: 'LayerNormalization',
  autoName: 'layer_normalization',
  category: 'normalization',
  summary: 'Normalises each sample over its features, with a learned scale and offset.',
  doc: 'Learns gamma and beta per feature of the normalised axis: `2 × features`, all trainable.',
  args: normalizationArgs([]),
  infer(ctx) {
    const n = axisSize(ctx, 'LayerNormalization');
    if (n === null) return null;
    const learned = learnedVectors(ctx);
    const total = learned * n;
    return { outputs: [ctx.input], params: { total, trainable: total, nonTrainable: 0 }, formula: `${learned} × ${formatCount(n)} = ${formatCount(total)}` };
  },
};
