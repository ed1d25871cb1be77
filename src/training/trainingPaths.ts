// Which path trained each recurrent layer of a model (a fused kernel or TensorFlow.js's own
// layers) and why: the one description the worker sends, the CLI prints, meta.json keeps and
// the loss panel's run header shows, so they can never disagree.
import type { LayerInfo, ModelInfo } from '../language';
import { fusedPathFor, type TrainingPath } from './fused/eligibility';

export type { TrainingPath };

export type LayerTrainingPath = TrainingPath & {
  /** The layer's name in the model: lstm, bidirectional_1, or the user's name="...". */
  layer: string;
  /** Its Keras class, with the wrapped one for a wrapper: LSTM, Bidirectional(GRU). */
  type: string;
  /** One line for people: "lstm: fused (lstm/wasm-simd)", "gru: TensorFlow.js layers — …". */
  text: string;
};

/** Every recurrent layer of the model, and Bidirectional around one, in model order. */
export function describeTrainingPaths(model: ModelInfo): LayerTrainingPath[] {
  return model.layers.filter(isRecurrentLayer).map((layer) => {
    const path = fusedPathFor(layer);
    const type = layer.inner ? `${layer.type}(${layer.inner.type})` : layer.type;
    return { ...path, layer: layer.name, type, text: `${layer.name}: ${pathText(path)}` };
  });
}

function pathText(path: TrainingPath): string {
  return path.path === 'fused' ? `fused (${path.kernel})` : `TensorFlow.js layers — ${path.reason}`;
}

/** The layers whose training path matters: the recurrent ones, bare or wrapped (Bidirectional); RNN's inner is its cell. */
function isRecurrentLayer(layer: LayerInfo): boolean {
  return layer.category === 'recurrent' || layer.inner?.category === 'recurrent';
}
