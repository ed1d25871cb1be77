// Checks a built tfjs model against the engine's analysis: the same layers, parameter counts
// and output shapes. The trainer runs it before training (a mismatch means the model being
// trained is not the one the editor shows), and the tests use it on every layer type.
import type * as tf from './tf';
import type { ModelInfo, Shape } from '../language';

export interface Mismatch {
  layer: string;
  what: 'layer count' | 'params' | 'trainable params' | 'output shapes';
  engine: string;
  tfjs: string;
}

/** Parameter counts of one tfjs layer, as Keras's summary counts them. */
export function layerParams(layer: tf.layers.Layer): { total: number; trainable: number } {
  const size = (ws: tf.LayerVariable[]) =>
    ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  return { total: layer.countParams(), trainable: size(layer.trainableWeights) };
}

/** A tfjs layer's output shapes as a list (one per output). */
export function outputShapesOf(layer: tf.layers.Layer): Shape[] {
  const shape = layer.outputShape as Shape | Shape[];
  return Array.isArray(shape[0]) ? (shape as Shape[]) : [shape as Shape];
}

/** Every difference between the engine's ModelInfo and the built model; empty when they agree. */
export function compareWithEngine(info: ModelInfo, model: tf.LayersModel): Mismatch[] {
  // The functional model starts with its InputLayer, which the engine does not list.
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const out: Mismatch[] = [];
  if (layers.length !== info.layers.length) {
    out.push({ layer: info.name, what: 'layer count', engine: String(info.layers.length), tfjs: String(layers.length) });
    return out;
  }
  info.layers.forEach((expected, i) => {
    const built = layers[i];
    const params = layerParams(built);
    if (params.total !== expected.params.total) {
      out.push({ layer: expected.name, what: 'params', engine: String(expected.params.total), tfjs: String(params.total) });
    }
    if (params.trainable !== expected.params.trainable) {
      out.push({ layer: expected.name, what: 'trainable params', engine: String(expected.params.trainable), tfjs: String(params.trainable) });
    }
    const engineShapes = JSON.stringify(expected.outputShapes);
    const tfjsShapes = JSON.stringify(outputShapesOf(built));
    if (engineShapes !== tfjsShapes) {
      out.push({ layer: expected.name, what: 'output shapes', engine: engineShapes, tfjs: tfjsShapes });
    }
  });
  return out;
}
