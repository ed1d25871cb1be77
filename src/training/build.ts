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
//
// Each layer class has its builder in builders/, keyed by its Keras class name.
import * as tf from './tf';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { LayerConfig, LayerInfo, ModelInfo } from '../language';
import { BUILDERS, type BuildContext, type Layer } from './builders';
import { ConfigReader } from './config-reader';
import { UnsupportedError } from './keras-names';
import { seedSequence } from './seeds';

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
    buildLayer: (spec, name) => buildLayer(spec, name, ctx),
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
  if (first.category === 'embedding') {
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
  const builder = BUILDERS.get(spec.type);
  if (!builder) throw new UnsupportedError(`layer type '${spec.type}' is not supported by the TensorFlow.js trainer`);
  const layer = builder(spec, name, args, ctx);
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
