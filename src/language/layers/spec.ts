import type { DiagnosticCode, Fix } from '../diagnostics';
import type { ConfigValue, LayerCategory, LayerInfo, ParamCount, Shape, Span } from '../model';

// What the engine knows about one Keras layer class: its arguments (names, order, types,
// defaults, as Keras documents them) and how it transforms a shape and counts parameters.

export type ArgType =
  | { t: 'int'; min?: number; nullable?: boolean }
  | { t: 'float'; min?: number; max?: number; nullable?: boolean }
  | { t: 'bool' }
  | { t: 'enum'; values: readonly string[]; nullable?: boolean }
  | { t: 'string'; nullable?: boolean }
  /** A tuple of positive ints and None: input_shape, target_shape. */
  | { t: 'shape'; allowMinusOne?: boolean }
  /** An int, or a tuple/list of one int (Keras accepts both for 1-D windows). */
  | { t: 'int1'; min?: number; nullable?: boolean }
  /** An axis or a list of axes. */
  | { t: 'axis' }
  /** A nested layer call (Bidirectional, TimeDistributed), of these categories when given. */
  | { t: 'layer'; of?: readonly LayerCategory[] }
  /** A list of nested layer calls of these categories: StackedRNNCells's cells. */
  | { t: 'layers'; of: readonly LayerCategory[] }
  /** Any expression, read from the syntax tree by the caller (a data series). */
  | { t: 'expr' }
  /** A list of values of one type (a single value counts as a list of one): metrics. */
  | { t: 'list'; item: ArgType }
  /** Any value, evaluated but left to the caller to check (in Bound.raw): csv columns. */
  | { t: 'any' }
  /**
   * An initializer, regularizer, constraint or optimizer (kerasObjects.ts): a name ("l2",
   * meaning Keras's defaults), None when nullable, or a call with its own checked arguments
   * (l2(0.001), adam(learning_rate=0.01)).
   */
  | { t: 'object'; kind: ObjectKind; nullable?: boolean };

export type ObjectKind = 'initializer' | 'regularizer' | 'constraint' | 'optimizer';

export interface ArgSpec {
  name: string;
  type: ArgType;
  /** Keras's default; absent for a required argument. */
  default?: ConfigValue;
  required?: boolean;
  /** May be given by position (in the order of the spec's args). */
  positional?: boolean;
  doc?: string;
}

export interface LayerResult {
  outputs: Shape[];
  params: ParamCount;
  formula: string;
  inner?: LayerInfo;
}

export interface InferContext {
  /** The input shape, batch dim included. */
  input: Shape;
  args: Record<string, ConfigValue>;
  /** Span of an argument's value, or of the whole layer. */
  span(arg?: string): Span;
  report(code: DiagnosticCode, message: string, span?: Span, fixes?: Fix[]): void;
  /** A warning: Keras accepts the layer, but it is almost certainly not what was meant. */
  warn(code: DiagnosticCode, message: string, span?: Span, fixes?: Fix[]): void;
  /** For wrappers: analyse the wrapped layer (the `layer` argument's call) on the given input shape. */
  inferInner(input: Shape): LayerInfo | null;
  /**
   * Analyses each call of a `layers` argument in turn, on the shape `input` gives from the
   * previous one's analysis; null when one fails (reported).
   */
  inferEach(arg: string, input: (previous: LayerInfo | null) => Shape): LayerInfo[] | null;
  /** The layer before this one in the model, for messages that point at it. */
  previous: LayerInfo | null;
  /** A fix that adds `arg=value` to the previous layer's call (or its wrapped layer). */
  addArgToPrevious(arg: string, value: string): Fix | undefined;
}

export interface LayerSpec {
  /** Keras class name. */
  name: string;
  /** Base of Keras's automatic layer names: lstm, simple_rnn, batch_normalization. */
  autoName: string;
  category: LayerCategory;
  /** One sentence for completion lists. */
  summary: string;
  /** A longer explanation for hovers (markdown), for Keras's default arguments. */
  doc: string;
  /** The explanation for a layer's actual arguments, when they change it (a recurrent layer's equations). */
  explain?(args: Record<string, ConfigValue>): string;
  args: ArgSpec[];
  /** Returns null after reporting why the shape cannot be computed. */
  infer(ctx: InferContext): LayerResult | null;
}

export const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'selu',
  'elu',
  'exponential',
  'hard_sigmoid',
  'swish',
  'silu',
  'gelu',
  'relu6',
  'leaky_relu',
  'mish',
  'log_softmax',
] as const;

export const activation = (dflt: string | null): ArgSpec => ({
  name: 'activation',
  type: { t: 'enum', values: ACTIVATIONS, nullable: true },
  default: dflt,
  doc: 'Activation function; None means linear.',
});

/** Arguments every Keras layer takes. */
export const BASE_ARGS: ArgSpec[] = [
  { name: 'name', type: { t: 'string', nullable: true }, default: null, doc: 'Layer name shown in the summary.' },
  { name: 'trainable', type: { t: 'bool' }, default: true, doc: 'False freezes the weights: they count as non-trainable.' },
  { name: 'dtype', type: { t: 'string', nullable: true }, default: null },
  { name: 'input_shape', type: { t: 'shape' }, doc: 'Shape of one sample (without the batch), on the first layer.' },
  { name: 'batch_input_shape', type: { t: 'shape' }, doc: 'Shape with the batch size first, on the first layer.' },
  { name: 'batch_size', type: { t: 'int', min: 1, nullable: true } },
];

/** An initializer argument with Keras's default: `kernel_initializer="glorot_uniform"`. */
export function initializerArg(name: string, dflt: string, doc?: string): ArgSpec {
  return { name, type: { t: 'object', kind: 'initializer' }, default: dflt, doc: doc ?? 'How the weights start: a name such as "glorot_uniform", or a call such as RandomNormal(stddev=0.05).' };
}

/** A regularizer argument, None by default: `kernel_regularizer=l2(0.001)`. */
export function regularizerArg(name: string, doc?: string): ArgSpec {
  return { name, type: { t: 'object', kind: 'regularizer', nullable: true }, default: null, doc: doc ?? 'A penalty on the weights added to the loss: l1(0.01), l2(0.01), l1_l2(l1=..., l2=...).' };
}

/** A constraint argument, None by default: `kernel_constraint=max_norm(3)`. */
export function constraintArg(name: string): ArgSpec {
  return { name, type: { t: 'object', kind: 'constraint', nullable: true }, default: null, doc: 'Applied to the weights after each update: max_norm(3), non_neg(), unit_norm(), min_max_norm(...).' };
}

export const KERNEL_ARGS: ArgSpec[] = [
  initializerArg('kernel_initializer', 'glorot_uniform'),
  initializerArg('bias_initializer', 'zeros'),
  regularizerArg('kernel_regularizer'),
  regularizerArg('bias_regularizer'),
  regularizerArg('activity_regularizer', "A penalty on the layer's output added to the loss."),
  constraintArg('kernel_constraint'),
  constraintArg('bias_constraint'),
];

/**
 * The number of weights when nothing is frozen: all trainable. Counts are never changed once
 * made (NO_PARAMS is shared too), so a run of layers with the same count shares one object: a
 * model of 100,000 equal layers kept 100,000 copies.
 */
export function trainable(total: number): ParamCount {
  if (lastTrainable.total !== total) lastTrainable = { total, trainable: total, nonTrainable: 0 };
  return lastTrainable;
}
let lastTrainable: ParamCount = { total: 0, trainable: 0, nonTrainable: 0 };

export const NO_PARAMS: ParamCount = { total: 0, trainable: 0, nonTrainable: 0 };

export function lastDim(shape: Shape): number | null {
  return shape[shape.length - 1] ?? null;
}

/**
 * A shape with its last dimension replaced. A copy then one store gives an array of exactly
 * its length; a spread (`[...s.slice(0, -1), d]`) leaves room for ~20 elements, and a model of
 * 100,000 layers keeps one output shape per layer.
 */
export function withLastDim(shape: Shape, dim: number | null): Shape {
  // Shapes are values, never changed once made (a layer that passes its input through returns
  // it as its output): an unchanged shape is returned as it is, not copied.
  if (shape[shape.length - 1] === dim) return shape;
  const out = shape.slice();
  out[out.length - 1] = dim;
  return out;
}
