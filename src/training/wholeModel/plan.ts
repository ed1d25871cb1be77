// Whether a compiled model trains on the whole-model path (a batch never a tfjs tensor: see
// layer.ts) and, when it does, its layers, loss, metrics and optimizer over arrays; when it
// does not, the one reason, which the run reports (trainingPaths.ts) before training on tfjs.
//
// The path takes what buildModel makes: one input, one output, each layer fed by the one before
// (a chain), every layer with a factory in registry.ts that accepts its configuration, and a
// loss, metrics and optimizer it computes exactly as tfjs does. SEQMODEL_WHOLE_MODEL=0 turns it
// off (as SEQMODEL_FUSED=0 does the fused kernels), to compare or to work around a problem.
import * as tf from '../tf';
import { lossId } from '../compileSettings';
import { metricsNamesOf } from '../fitLoop';
import type { WholeModelLayer } from './layer';
import { arrayLoss, type ArrayLoss } from './losses';
import { arrayMetric, type ArrayMetric } from './metrics';
import { arrayOptimizer, type ArrayOptimizer } from './optimizers';
import { joinEmbeddedRecurrent } from './layers/embedded-recurrent';
import { LAYER_FACTORIES } from './registry';

export interface WholeModelPlan {
  layers: WholeModelLayer[];
  loss: ArrayLoss;
  /** In the order of `names` after 'loss'. */
  metrics: ArrayMetric[];
  optimizer: ArrayOptimizer;
  /** The log names (tfjs's metricsNames: loss, acc, ...). */
  names: string[];
  /** The model's output shape without the batch dimension. */
  outputShape: number[];
}

export type PlanOutcome = { plan: WholeModelPlan } | { reason: string };

/** What plan needs of the run's settings: the loss and metrics as the user named them. */
export interface PlanSettings {
  loss: string;
  metrics: string[];
}

function turnedOff(): boolean {
  return typeof process !== 'undefined' && process.env['SEQMODEL_WHOLE_MODEL'] === '0';
}

/** The shape of a layer's (one) input, the batch dimension as -1; null when it has several. */
function inputShapeOf(layer: tf.layers.Layer): number[] | null {
  const input = layer.input;
  if (Array.isArray(input)) return null;
  return (input.shape as (number | null)[]).map((d) => d ?? -1);
}

/**
 * Plans the whole-model path for a model compiled with these settings (after model.compile),
 * reading its weights' current values; or says why the model trains on tfjs.
 */
export function planWholeModel(model: tf.LayersModel, settings: PlanSettings): PlanOutcome {
  if (turnedOff()) return { reason: 'the whole-model loop is turned off (SEQMODEL_WHOLE_MODEL=0)' };
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { reason: 'the model has several inputs or outputs' };
  const loss = arrayLoss(lossId(settings.loss));
  if (loss === null) return { reason: `loss '${settings.loss}' is not computed on the whole-model path` };
  const outputShape = (model.outputs[0].shape as (number | null)[]).slice(1).map((d) => d ?? -1);
  const lastDim = outputShape[outputShape.length - 1] ?? 1;
  const metrics: ArrayMetric[] = [];
  for (const name of settings.metrics) {
    const metric = arrayMetric(name, loss.id, lastDim);
    if (metric === null) return { reason: `metric '${name}' is not computed on the whole-model path` };
    metrics.push(metric);
  }
  const names = metricsNamesOf(model);
  if (names.length !== metrics.length + 1) return { reason: `the model logs ${names.join(', ')}, not one entry per metric` };
  const optimizer = arrayOptimizer(model.optimizer);
  if ('unsupported' in optimizer) return { reason: `${optimizer.unsupported} is not computed on the whole-model path` };

  const chain = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  const layers: WholeModelLayer[] = [];
  let previous: tf.layers.Layer | null = model.layers.find((layer) => layer.getClassName() === 'InputLayer') ?? null;
  for (const layer of chain) {
    const inbound = (layer as unknown as { inboundNodes: { inboundLayers: tf.layers.Layer[] }[] }).inboundNodes;
    if (inbound.length !== 1 || inbound[0].inboundLayers.length !== 1 || inbound[0].inboundLayers[0] !== previous) {
      return { reason: `layer ${layer.name} is not fed by the one before it (not a chain)` };
    }
    previous = layer;
    const factory = LAYER_FACTORIES.get(layer.getClassName());
    if (!factory) return { reason: `layer ${layer.name} (${layer.getClassName()}) has no whole-model counterpart` };
    const shape = inputShapeOf(layer);
    if (shape === null) return { reason: `layer ${layer.name} has several inputs` };
    const made = factory(layer, shape);
    if ('unsupported' in made) return { reason: made.unsupported };
    layers.push(made);
  }
  if (previous === null || model.outputs[0].sourceLayer !== previous) return { reason: 'the model\'s output is not its last layer\'s' };
  return { plan: { layers: joinEmbeddedRecurrent(layers), loss, metrics, optimizer, names, outputShape } };
}
