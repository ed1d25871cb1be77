// Builds the tfjs-layers model for an analysed model (ModelInfo), as Keras would build it.
//
// Every Keras default is passed explicitly, never left to tfjs: tfjs-layers defaults differ in
// places (hardSigmoid recurrent activation, glorotNormal kernels in recurrent cells), and with
// them the seed LSTM predicts [108, 121] where Keras gives [101, 112]. The engine has already
// filled in Keras's defaults in LayerInfo.config; the fallbacks below are the same defaults,
// for configs written by hand.
//
// The model is functional (tf.model), not tf.sequential: a Keras Sequential may end in a
// recurrent layer with return_state=True (several outputs), which tfjs's Sequential refuses.
import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { ConfigValue, LayerConfig, LayerInfo, ModelInfo } from '../language/model';
import { ConfigReader } from './config-reader';
import { activation, constraint, initializer, regularizer, UnsupportedError } from './keras-names';
import { SeqModelConv1D } from './layers/conv1d';
import { GlobalPooling1DKeepdims } from './layers/global-pooling-keepdims';
import { ResetAfterGRU } from './layers/gru-reset-after';
import { SeedSource, seedSequence } from './seeds';

type Layer = tf.layers.Layer;
type RNNLayer = tf.RNN;

export interface BuildOptions {
  /** Seed for weight initialisation: the same seed builds identical weights. */
  seed?: number | null;
  /** Told about Keras arguments the build ignores (those with no effect on training). */
  onWarning?: (message: string) => void;
}

/** The model cannot be built; names the layer when one is to blame. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly model: string,
    readonly layer: string | null,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

/**
 * Arguments that need no translation: the input shape is the model's (ModelInfo.inputShape),
 * the name is LayerInfo.name, and the rest only tune Keras's own execution.
 */
const NOT_PASSED = [
  'name', 'input_shape', 'batch_input_shape', 'batch_size', 'input_dim',
  'implementation', 'unroll', 'time_major', 'use_cudnn', 'zero_output_for_mask',
];

interface BuildContext {
  model: string;
  nextSeed: SeedSource;
  warn: (message: string) => void;
}

export function buildModel(model: ModelInfo, options: BuildOptions = {}): tf.LayersModel {
  if (!model.valid) {
    throw new BuildError(`Model '${model.name}' has errors; fix them before training.`, model.name, null);
  }
  if (model.layers.length === 0) {
    throw new BuildError(`Model '${model.name}' has no layers.`, model.name, null);
  }
  const ctx: BuildContext = {
    model: model.name,
    nextSeed: seedSequence(options.seed),
    warn: options.onWarning ?? (() => undefined),
  };
  const input = tf.input({ shape: inputShapeOf(model), name: `${model.name}_input` });
  let x: SymbolicTensor | SymbolicTensor[] = input;
  model.layers.forEach((info) => {
    if (Array.isArray(x)) {
      throw new BuildError(
        `Layer '${info.name}' follows a layer with several outputs (return_state=True); only the last layer may have them.`,
        model.name,
        info.name,
      );
    }
    const layerInput = x;
    // Errors from tfjs itself (an incompatible input, say) are named after the layer too.
    x = withLayerName(ctx, info.name, () => buildLayer(info, info.name, ctx).apply(layerInput)) as SymbolicTensor | SymbolicTensor[];
  });
  return tf.model({ inputs: input, outputs: x, name: model.name });
}

/** The shape of one sample: the declared one without the batch, or Embedding's (length,). */
function inputShapeOf(model: ModelInfo): (number | null)[] {
  if (model.inputShape !== null) return model.inputShape.slice(1);
  const first = model.layers[0];
  if (first.type === 'Embedding') {
    const length = first.config['input_length'];
    return [typeof length === 'number' ? length : null];
  }
  // The engine's own inference of the first layer's input, when it has one.
  if (first.inputShape.length > 1) return first.inputShape.slice(1);
  throw new BuildError(
    `Model '${model.name}' has no input shape: add input(...) as its first line.`,
    model.name,
    first.name,
  );
}

function withLayerName<T>(ctx: BuildContext, layerName: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof BuildError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new BuildError(`Layer '${layerName}': ${message}`, ctx.model, layerName);
  }
}

/** One Keras layer (or a wrapper and the layer it wraps) as a tfjs layer. */
function buildLayer(spec: LayerConfig | LayerInfo, name: string | undefined, ctx: BuildContext): Layer {
  const args = new ConfigReader(spec.type, spec.config);
  const layer = createLayer(spec, name, args, ctx);
  args.skip(...NOT_PASSED);
  const dtype = args.optionalString('dtype');
  if (dtype !== null && dtype !== 'float32') {
    throw new UnsupportedError(`dtype '${dtype}': TensorFlow.js layers compute in float32 only`);
  }
  if (!args.bool('trainable', true)) layer.trainable = false;
  for (const key of args.unread()) {
    ctx.warn(`${spec.type} '${name ?? spec.type}': argument ${key}=${JSON.stringify(spec.config[key])} is not used by the TensorFlow.js trainer.`);
  }
  return layer;
}

function createLayer(spec: LayerConfig | LayerInfo, name: string | undefined, a: ConfigReader, ctx: BuildContext): Layer {
  const L = tf.layers;
  switch (spec.type) {
    case 'SimpleRNN':
      return L.simpleRNN({ name, ...recurrentArgs(a, ctx) });
    case 'LSTM':
      return L.lstm({
        name,
        ...recurrentArgs(a, ctx),
        recurrentActivation: activation(a.raw('recurrent_activation', 'sigmoid')) as 'sigmoid',
        unitForgetBias: a.bool('unit_forget_bias', true),
      });
    case 'GRU': {
      const common = recurrentArgs(a, ctx);
      const recurrentActivation = activation(a.raw('recurrent_activation', 'sigmoid'));
      if (a.bool('reset_after', true)) {
        return new ResetAfterGRU({ name, ...common, recurrentActivation });
      }
      // tfjs's GRU is reset_after=False.
      return L.gru({ name, ...common, recurrentActivation: recurrentActivation as 'sigmoid' });
    }
    case 'Dense':
      return L.dense({
        name,
        units: a.int('units', 1),
        activation: activation(a.raw('activation', null)) as 'linear',
        useBias: a.bool('use_bias', true),
        ...kernelArgs(a, ctx),
        activityRegularizer: regularizer(a.raw('activity_regularizer')) ?? undefined,
      });
    case 'Embedding':
      return L.embedding({
        name,
        inputDim: a.int('input_dim', 1),
        outputDim: a.int('output_dim', 1),
        // Keras's default is 'uniform' (RandomUniform(-0.05, 0.05)).
        embeddingsInitializer: initializer(a.raw('embeddings_initializer', 'uniform'), ctx.nextSeed()),
        embeddingsRegularizer: regularizer(a.raw('embeddings_regularizer')) ?? undefined,
        activityRegularizer: regularizer(a.raw('activity_regularizer')) ?? undefined,
        embeddingsConstraint: constraint(a.raw('embeddings_constraint')) ?? undefined,
        maskZero: a.bool('mask_zero', false),
        inputLength: a.optionalInt('input_length') ?? undefined,
      });
    case 'Conv1D': {
      channelsLast(a);
      if (a.int('groups', 1) !== 1) a.fail('groups', 'other than 1 is not available in TensorFlow.js');
      const padding = a.string('padding', 'valid');
      if (!['valid', 'same', 'causal'].includes(padding)) {
        a.fail('padding', `must be 'valid', 'same' or 'causal', got '${padding}'`);
      }
      const convArgs = {
        name,
        filters: a.int('filters', 1),
        kernelSize: a.int('kernel_size', 1),
        strides: a.int('strides', 1),
        dilationRate: a.int('dilation_rate', 1),
        activation: activation(a.raw('activation', null)) as 'linear',
        useBias: a.bool('use_bias', true),
        ...kernelArgs(a, ctx),
        activityRegularizer: regularizer(a.raw('activity_regularizer')) ?? undefined,
      };
      // tfjs-layers's Conv1D cannot do 'causal', dilation in training, or train on wasm at
      // all: see layers/conv1d.ts.
      return new SeqModelConv1D({ ...convArgs, padding: padding as 'valid' | 'same' | 'causal' });
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D': {
      channelsLast(a);
      const poolArgs = {
        name,
        poolSize: a.int('pool_size', 2),
        // Keras: strides None means pool_size.
        strides: a.optionalInt('strides') ?? undefined,
        padding: a.string('padding', 'valid') as 'valid',
      };
      return spec.type === 'MaxPooling1D' ? L.maxPooling1d(poolArgs) : L.averagePooling1d(poolArgs);
    }
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling1D':
      channelsLast(a);
      // tfjs's global pooling layers cannot keep the pooled axis: see layers/global-pooling-keepdims.ts.
      if (a.bool('keepdims', false)) {
        return new GlobalPooling1DKeepdims({ name, mode: spec.type === 'GlobalMaxPooling1D' ? 'max' : 'average' });
      }
      return spec.type === 'GlobalMaxPooling1D' ? L.globalMaxPooling1d({ name }) : L.globalAveragePooling1d({ name });
    case 'BatchNormalization':
      return L.batchNormalization({
        name,
        axis: singleAxis(a),
        momentum: a.number('momentum', 0.99),
        epsilon: a.number('epsilon', 0.001),
        center: a.bool('center', true),
        scale: a.bool('scale', true),
        betaInitializer: initializer(a.raw('beta_initializer', 'zeros'), ctx.nextSeed()),
        gammaInitializer: initializer(a.raw('gamma_initializer', 'ones'), ctx.nextSeed()),
        movingMeanInitializer: initializer(a.raw('moving_mean_initializer', 'zeros'), ctx.nextSeed()),
        movingVarianceInitializer: initializer(a.raw('moving_variance_initializer', 'ones'), ctx.nextSeed()),
        betaRegularizer: regularizer(a.raw('beta_regularizer')) ?? undefined,
        gammaRegularizer: regularizer(a.raw('gamma_regularizer')) ?? undefined,
        betaConstraint: constraint(a.raw('beta_constraint')) ?? undefined,
        gammaConstraint: constraint(a.raw('gamma_constraint')) ?? undefined,
      });
    case 'LayerNormalization':
      return L.layerNormalization({
        name,
        axis: singleAxis(a),
        epsilon: a.number('epsilon', 0.001),
        center: a.bool('center', true),
        scale: a.bool('scale', true),
        betaInitializer: initializer(a.raw('beta_initializer', 'zeros'), ctx.nextSeed()),
        gammaInitializer: initializer(a.raw('gamma_initializer', 'ones'), ctx.nextSeed()),
        betaRegularizer: regularizer(a.raw('beta_regularizer')) ?? undefined,
        gammaRegularizer: regularizer(a.raw('gamma_regularizer')) ?? undefined,
      });
    case 'Dropout': {
      // No seed is passed: tfjs reuses a seeded dropout's mask on every batch.
      a.skip('seed');
      const noiseShape = a.raw('noise_shape');
      return L.dropout({
        name,
        rate: a.number('rate', 0),
        // Keras's noise_shape includes the batch; None means "as the input", which tfjs also
        // reads from a null entry (its type says number[]).
        noiseShape: noiseShape === null ? undefined : (a.shape('noise_shape') as number[]),
      });
    }
    case 'SpatialDropout1D':
      a.skip('seed');
      // Its args type lacks `name`, which the layer does accept (it is a Dropout).
      return L.spatialDropout1d({ name, rate: a.number('rate', 0) } as Parameters<typeof L.spatialDropout1d>[0]);
    case 'Activation':
      return L.activation({ name, activation: activation(a.raw('activation', 'linear')) as 'linear' });
    case 'Flatten':
      channelsLast(a);
      return L.flatten({ name });
    case 'RepeatVector':
      return L.repeatVector({ name, n: a.int('n', 1) });
    case 'Reshape':
      return L.reshape({ name, targetShape: reshapeTarget(a, 'inputShape' in spec ? spec.inputShape : null) });
    case 'Masking':
      return L.masking({ name, maskValue: a.number('mask_value', 0) });
    case 'Bidirectional':
      return bidirectional(spec, name, a, ctx);
    case 'TimeDistributed':
      return L.timeDistributed({ name, layer: buildInner(spec, a, ctx) });
    default:
      throw new UnsupportedError(`layer type '${spec.type}' is not supported by the TensorFlow.js trainer`);
  }
}

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

/** kernel_*, bias_* arguments of Dense and Conv1D. */
function kernelArgs(a: ConfigReader, ctx: BuildContext) {
  return {
    kernelInitializer: initializer(a.raw('kernel_initializer', 'glorot_uniform'), ctx.nextSeed()),
    biasInitializer: initializer(a.raw('bias_initializer', 'zeros'), ctx.nextSeed()),
    kernelRegularizer: regularizer(a.raw('kernel_regularizer')) ?? undefined,
    biasRegularizer: regularizer(a.raw('bias_regularizer')) ?? undefined,
    kernelConstraint: constraint(a.raw('kernel_constraint')) ?? undefined,
    biasConstraint: constraint(a.raw('bias_constraint')) ?? undefined,
  };
}

function channelsLast(a: ConfigReader): void {
  const format = a.optionalString('data_format');
  if (format !== null && format !== 'channels_last') {
    a.fail('data_format', `'${format}' is not supported; sequences are (steps, features)`);
  }
}

/** BatchNormalization/LayerNormalization axis: one axis, possibly as a one-element list. */
function singleAxis(a: ConfigReader): number {
  const value: ConfigValue = a.raw('axis', -1);
  const axis = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    a.fail('axis', `must be one integer axis in TensorFlow.js, got ${JSON.stringify(value)}`);
  }
  return axis;
}

/**
 * Reshape's target_shape with its -1 worked out: tfjs leaves a -1 unknown (None) in the
 * symbolic shape, which the next layer cannot build weights on; Keras computes it.
 */
function reshapeTarget(a: ConfigReader, input: (number | null)[] | null): number[] {
  const target = a.shape('target_shape').map((d) => {
    if (d === null) a.fail('target_shape', 'cannot hold None');
    return d;
  });
  const unknown = target.indexOf(-1);
  const sample = input?.slice(1) ?? [];
  if (unknown < 0 || sample.some((d) => d === null) || input === null) return target;
  const total = (sample as number[]).reduce((x, y) => x * y, 1);
  const known = target.reduce((x, y) => (y === -1 ? x : x * y), 1);
  if (known === 0 || total % known !== 0) {
    a.fail('target_shape', `${JSON.stringify(target)} does not fit an input of ${total} values`);
  }
  return target.map((d) => (d === -1 ? total / known : d));
}

/** The wrapped layer of Bidirectional/TimeDistributed, named as the engine named it. */
function buildInner(spec: LayerConfig | LayerInfo, a: ConfigReader, ctx: BuildContext): Layer {
  const inner = a.layer('layer');
  const innerName = ('inner' in spec && spec.inner?.name) || stringOrUndefined(inner.config['name']);
  return buildLayer(inner, innerName, ctx);
}

function bidirectional(spec: LayerConfig | LayerInfo, name: string | undefined, a: ConfigReader, ctx: BuildContext): Layer {
  const inner = buildInner(spec, a, ctx);
  if (!(inner instanceof tf.RNN)) {
    a.fail('layer', `must be a recurrent layer (SimpleRNN, LSTM, GRU), got ${inner.getClassName()}`);
  }
  if (a.raw('backward_layer') !== null) a.fail('backward_layer', 'is not supported by TensorFlow.js');
  const mergeMode = a.raw('merge_mode', 'concat');
  if (mergeMode !== null && !['concat', 'sum', 'mul', 'ave'].includes(String(mergeMode))) {
    a.fail('merge_mode', `must be 'concat', 'sum', 'mul', 'ave' or None, got ${JSON.stringify(mergeMode)}`);
  }
  const layer = tf.layers.bidirectional({
    name,
    layer: inner,
    // null (Keras's None) returns both directions' outputs; undefined would mean 'concat'.
    mergeMode: mergeMode as 'concat',
  });
  // tfjs clones the backward layer from the forward one's config, seeds included: give its
  // initializers seeds of their own, or both directions would start with equal weights.
  const backward = (layer as unknown as { backwardLayer: RNNLayer }).backwardLayer;
  reseedInitializers(backward, ctx.nextSeed);
  return layer;
}

/** Replaces the seed of every seeded initializer held by a recurrent layer's cell. */
function reseedInitializers(layer: RNNLayer, nextSeed: SeedSource): void {
  for (const owner of [layer as object, layer.cell as object]) {
    for (const value of Object.values(owner)) {
      // tfjs does not export its Initializer class: recognise one by its shape.
      const init = value as { apply?: unknown; seed?: unknown } | null;
      if (typeof init === 'object' && init !== null && typeof init.apply === 'function' && typeof init.seed === 'number') {
        init.seed = nextSeed();
      }
    }
  }
}

function stringOrUndefined(value: ConfigValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
