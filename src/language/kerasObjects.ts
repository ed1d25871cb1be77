import type { ArgSpec, ObjectKind } from './layers/spec';
import type { ConfigValue, LayerConfig } from './model';

// Keras's initializers, regularizers, constraints and optimizers: every name an argument or
// the optimizer setting may give (`kernel_regularizer="l2"` or `l2(0.001)`, `optimizer=adam`),
// the Keras class it builds, and that class's arguments with tf.keras's defaults (the export
// targets TensorFlow 2's tf.keras). The binder checks calls against these, the trainer builds
// exactly the values they give, and the export writes them back: one table for all three.
// Only what the TensorFlow.js trainer can honour is listed, so anything else is an error
// where it is written, never a silent default.

export interface ObjectSpec {
  /** As written: "l2", "L2", "max_norm", "RandomNormal". */
  name: string;
  /** The Keras class it builds: "L2", "MaxNorm", "RandomNormal". */
  className: string;
  kind: ObjectKind;
  /** With the defaults of this name: the function l1_l2 defaults to 0.01, the class L1L2 to 0. */
  args: ArgSpec[];
  summary: string;
}

/** A call's value in a layer's config: Keras's class name and every argument. */
export type ObjectConfig = LayerConfig;

const float = (name: string, dflt: number, doc: string, min?: number): ArgSpec => ({ name, type: { t: 'float', min }, default: dflt, positional: true, doc });
const seed: ArgSpec = { name: 'seed', type: { t: 'int', min: 0, nullable: true }, default: null, doc: 'Makes the random values reproducible; None: the train block\'s seed decides.' };
const axis = (dflt: number): ArgSpec => ({ name: 'axis', type: { t: 'int' }, default: dflt, doc: 'The axis whose norm is constrained: 0 constrains each column (the weights into one unit).' });

interface Family {
  className: string;
  /** The other names Keras accepts for it, with the same defaults. */
  aliases: string[];
  args: ArgSpec[];
  summary: string;
}

const INITIALIZERS: Family[] = [
  { className: 'GlorotUniform', aliases: ['glorot_uniform'], args: [seed], summary: 'Uniform in ±sqrt(6 / (fan_in + fan_out)) (Xavier).' },
  { className: 'GlorotNormal', aliases: ['glorot_normal'], args: [seed], summary: 'Truncated normal with stddev sqrt(2 / (fan_in + fan_out)).' },
  { className: 'HeUniform', aliases: ['he_uniform'], args: [seed], summary: 'Uniform in ±sqrt(6 / fan_in).' },
  { className: 'HeNormal', aliases: ['he_normal'], args: [seed], summary: 'Truncated normal with stddev sqrt(2 / fan_in).' },
  { className: 'LecunUniform', aliases: ['lecun_uniform'], args: [seed], summary: 'Uniform in ±sqrt(3 / fan_in).' },
  { className: 'LecunNormal', aliases: ['lecun_normal'], args: [seed], summary: 'Truncated normal with stddev sqrt(1 / fan_in).' },
  { className: 'Orthogonal', aliases: ['orthogonal'], args: [float('gain', 1, 'Multiplies the orthogonal matrix.'), seed], summary: 'A random orthogonal matrix (Keras\'s recurrent kernel default).' },
  {
    className: 'RandomUniform',
    aliases: ['random_uniform', 'uniform'],
    args: [float('minval', -0.05, 'Lower bound.'), float('maxval', 0.05, 'Upper bound.'), seed],
    summary: 'Uniform in [minval, maxval].',
  },
  {
    className: 'RandomNormal',
    aliases: ['random_normal', 'normal'],
    args: [float('mean', 0, 'Mean.'), float('stddev', 0.05, 'Standard deviation.', 0), seed],
    summary: 'Normal with the given mean and stddev.',
  },
  {
    className: 'TruncatedNormal',
    aliases: ['truncated_normal'],
    args: [float('mean', 0, 'Mean.'), float('stddev', 0.05, 'Standard deviation before truncation.', 0), seed],
    summary: 'Normal, redrawn beyond two standard deviations.',
  },
  {
    className: 'VarianceScaling',
    aliases: ['variance_scaling'],
    args: [
      float('scale', 1, 'Scaling factor.', 0),
      { name: 'mode', type: { t: 'enum', values: ['fan_in', 'fan_out', 'fan_avg'] }, default: 'fan_in', positional: true, doc: 'Which fan divides the scale.' },
      // Keras's 'untruncated_normal' is missing: TensorFlow.js has no such variance scaling.
      { name: 'distribution', type: { t: 'enum', values: ['truncated_normal', 'uniform'] }, default: 'truncated_normal', positional: true },
      seed,
    ],
    summary: 'Scale / fan, as a truncated normal, normal or uniform distribution.',
  },
  { className: 'Zeros', aliases: ['zeros', 'zero'], args: [], summary: 'All zeros.' },
  { className: 'Ones', aliases: ['ones', 'one'], args: [], summary: 'All ones.' },
  { className: 'Constant', aliases: ['constant'], args: [float('value', 0, 'The value of every weight.')], summary: 'Every weight the same value.' },
  { className: 'Identity', aliases: ['identity'], args: [float('gain', 1, 'Multiplies the identity matrix.')], summary: 'The identity matrix (square 2-D weights only).' },
];

const factor = (name: string, dflt: number): ArgSpec => float(name, dflt, `The ${name.toUpperCase()} factor: adds ${name} × ${name === 'l1' ? 'Σ|w|' : 'Σw²'} to the loss.`, 0);

const REGULARIZERS: Family[] = [
  { className: 'L1', aliases: ['l1'], args: [factor('l1', 0.01)], summary: 'Adds l1 × Σ|w| to the loss.' },
  { className: 'L2', aliases: ['l2'], args: [factor('l2', 0.01)], summary: 'Adds l2 × Σw² to the loss.' },
  { className: 'L1L2', aliases: [], args: [factor('l1', 0), factor('l2', 0)], summary: 'Adds l1 × Σ|w| + l2 × Σw² to the loss.' },
];

const CONSTRAINTS: Family[] = [
  { className: 'MaxNorm', aliases: ['max_norm', 'maxnorm'], args: [float('max_value', 2, 'The largest norm allowed.', 0), axis(0)], summary: 'Rescales weights whose norm exceeds max_value.' },
  {
    className: 'MinMaxNorm',
    aliases: ['min_max_norm'],
    args: [float('min_value', 0, 'The smallest norm.', 0), float('max_value', 1, 'The largest norm.', 0), float('rate', 1, 'How far to move towards the range each step (1: all the way).', 0), axis(0)],
    summary: 'Keeps the norm of the weights between min_value and max_value.',
  },
  { className: 'NonNeg', aliases: ['non_neg', 'nonneg'], args: [], summary: 'Sets negative weights to 0.' },
  { className: 'UnitNorm', aliases: ['unit_norm', 'unitnorm'], args: [axis(0)], summary: 'Rescales the weights to norm 1.' },
];

const lr = (d: number): ArgSpec => float('learning_rate', d, 'The step size of each update.', 0);
const eps: ArgSpec = { name: 'epsilon', type: { t: 'float', min: 0 }, default: 1e-7, doc: 'A small constant for numerical stability.' };
const beta = (name: string, d: number): ArgSpec => ({ name, type: { t: 'float', min: 0, max: 1 }, default: d, doc: `Decay rate of the ${name === 'beta_1' ? 'first' : 'second'} moment estimates.` });
const rho = (d: number): ArgSpec => ({ name: 'rho', type: { t: 'float', min: 0, max: 1 }, default: d, doc: 'Decay rate of the moving average of squared gradients.' });
const momentum: ArgSpec = { name: 'momentum', type: { t: 'float', min: 0 }, default: 0, doc: 'Accelerates updates in a consistent direction.' };

// The first alias of each is the setting's canonical name (TrainSettings.optimizer.name).
const OPTIMIZERS: Family[] = [
  {
    className: 'Adam',
    aliases: ['adam'],
    args: [lr(0.001), beta('beta_1', 0.9), beta('beta_2', 0.999), eps, { name: 'amsgrad', type: { t: 'bool' }, default: false, doc: 'The AMSGrad variant (TensorFlow.js has none: training refuses True).' }],
    summary: 'Adaptive moments: the usual first choice.',
  },
  { className: 'SGD', aliases: ['sgd'], args: [lr(0.01), momentum, { name: 'nesterov', type: { t: 'bool' }, default: false, doc: 'Nesterov momentum.' }], summary: 'Stochastic gradient descent, with optional (Nesterov) momentum.' },
  { className: 'RMSprop', aliases: ['rmsprop'], args: [lr(0.001), rho(0.9), momentum, eps, { name: 'centered', type: { t: 'bool' }, default: false, doc: 'Normalise by the variance of the gradient.' }], summary: 'Divides the step by a moving average of squared gradients.' },
  { className: 'Adagrad', aliases: ['adagrad'], args: [lr(0.001), { name: 'initial_accumulator_value', type: { t: 'float', min: 0 }, default: 0.1, doc: 'Starting value of the accumulators.' }, eps], summary: 'Per-parameter rates that shrink with the sum of squared gradients.' },
  { className: 'Adadelta', aliases: ['adadelta'], args: [lr(0.001), rho(0.95), eps], summary: 'Adagrad with a moving window of gradient updates.' },
  { className: 'Adamax', aliases: ['adamax'], args: [lr(0.001), beta('beta_1', 0.9), beta('beta_2', 0.999), eps], summary: 'Adam with the infinity norm.' },
];

function entries(kind: ObjectKind, families: Family[]): ObjectSpec[] {
  // The usual name first: it wins a did-you-mean tie (adamm → adam, not Adam).
  return families.flatMap((f) => [...f.aliases, f.className].map((name) => ({ name, className: f.className, kind, args: f.args, summary: f.summary })));
}

const ALL: ObjectSpec[] = [
  ...entries('initializer', INITIALIZERS),
  ...entries('regularizer', REGULARIZERS),
  // tf.keras's function l1_l2 defaults both factors to 0.01, unlike the class L1L2 (0 and 0);
  // the string "l1_l2" means the function.
  { name: 'l1_l2', className: 'L1L2', kind: 'regularizer', args: [factor('l1', 0.01), factor('l2', 0.01)], summary: 'Adds l1 × Σ|w| + l2 × Σw² to the loss (both 0.01 unless given).' },
  ...entries('constraint', CONSTRAINTS),
  ...entries('optimizer', OPTIMIZERS),
];

/** Every initializer, regularizer and constraint name. */
export const KERAS_OBJECTS: ReadonlyMap<string, ObjectSpec> = new Map(ALL.map((o) => [o.name, o]));

const CLASSES: ReadonlyMap<string, ObjectSpec> = new Map(ALL.filter((o) => o.name === o.className).map((o) => [o.className, o]));

export function lookupObject(name: string): ObjectSpec | undefined {
  return KERAS_OBJECTS.get(name);
}

// Each class's usual name: the first other name Keras accepts (l2, max_norm, glorot_uniform,
// adam; l1_l2 for L1L2), else the class name.
const SHORT = new Map<string, string>();
for (const o of ALL) if (!SHORT.has(o.className) || SHORT.get(o.className) === o.className) SHORT.set(o.className, o.name);

/** The name Keras tutorials write for a class: "adam" for Adam, "l2" for L2. */
export function shortName(className: string): string {
  return SHORT.get(className) ?? className;
}

/**
 * The names of one kind, for did-you-mean and completion; `short`: one name per class (see
 * shortName), for messages.
 */
export function objectNames(kind: ObjectKind, short = false): string[] {
  const specs = ALL.filter((o) => o.kind === kind);
  return short ? [...new Set(specs.map((o) => shortName(o.className)))] : specs.map((o) => o.name);
}

/** The class entry (its defaults are the class's own): what the export compares against. */
export function objectClass(className: string): ObjectSpec | undefined {
  return CLASSES.get(className);
}

/** A config value built by a call of an initializer, regularizer or constraint. */
export function isObjectConfig(value: ConfigValue | undefined): value is ObjectConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && CLASSES.has(value.type);
}

/** Every argument of a spec at its default. */
function defaults(spec: ObjectSpec): Record<string, ConfigValue> {
  return Object.fromEntries(spec.args.map((a) => [a.name, a.default ?? null]));
}

/**
 * What an argument's value means: the class and every argument, whether it was written as a
 * name ("l2" is l2() with its defaults) or a call. Null for None; undefined when the name is
 * not one of `kind` (the engine reports that where it is written).
 */
export function resolveObject(kind: ObjectKind, value: ConfigValue): ObjectConfig | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') {
    const spec = lookupObject(value);
    return spec && spec.kind === kind ? { type: spec.className, config: defaults(spec) } : undefined;
  }
  if (isObjectConfig(value) && CLASSES.get(value.type)!.kind === kind) return { type: value.type, config: { ...defaults(CLASSES.get(value.type)!), ...value.config } };
  return undefined;
}

/** Keras's repr of an object config, the arguments that differ from the class's defaults: `L2(l2=0.001)`. */
export function objectCall(value: ObjectConfig, render: (v: ConfigValue) => string): string {
  const spec = CLASSES.get(value.type);
  const args = (spec?.args ?? [])
    .filter((a) => a.name in value.config && JSON.stringify(value.config[a.name]) !== JSON.stringify(a.default ?? null))
    .map((a) => `${a.name}=${render(value.config[a.name])}`);
  return `${value.type}(${args.join(', ')})`;
}
