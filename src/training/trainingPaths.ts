// Which loop trained a model (the whole-model path over arrays, or tfjs's) and which path
// trained each recurrent layer (a fused kernel or TensorFlow.js's own layers), and why: the one
// description the worker sends, the CLI prints, meta.json keeps and the loss panel's run header
// shows, so they can never disagree.
import type { LayerInfo, ModelInfo } from '../language';
import { fusedPathFor, type TrainingPath } from './fused/eligibility';

export type { TrainingPath };

/** The model's training loop: the whole-model path (wholeModel/), or tfjs's (fitLoop.ts) and why. */
export type LoopPath = { path: 'whole-model' } | { path: 'tfjs'; reason: string };

export type LayerTrainingPath = (TrainingPath | LoopPath) & {
  /** The layer's name in the model: lstm, bidirectional_1, or the user's name="..."; '' for the model's loop. */
  layer: string;
  /** Its Keras class, with the wrapped one for a wrapper: LSTM, Bidirectional(GRU); 'training loop' for the loop. */
  type: string;
  /** One line for people: "lstm: fused (lstm/wasm-simd)", "gru: TensorFlow.js layers — …". */
  text: string;
  /** On the loop's entry once training ran: the recurrent kernel calls that split their batch over two threads. */
  kernelThreads?: KernelThreadUse;
};

/** Of a run's recurrent kernel calls (fused/parallel.ts runKernel), how many split their batch over two threads. */
export interface KernelThreadUse {
  split: number;
  calls: number;
}

/** The entry for the model's training loop (first in a run's list): "training loop: whole model". */
export function describeTrainingLoop(loop: LoopPath): LayerTrainingPath {
  const text = loop.path === 'whole-model' ? 'training loop: whole model' : `training loop: TensorFlow.js — ${loop.reason}`;
  return { ...loop, layer: '', type: 'training loop', text };
}

/**
 * The loop's entry once training ran, saying "2 threads" when recurrent kernel calls split their
 * batch. Whether a call splits is decided per call while training (its work, a second core, and
 * whether the split measures faster), so this is known after the fit, not before.
 */
export function withKernelThreads(loop: LayerTrainingPath, use: KernelThreadUse): LayerTrainingPath {
  if (use.split === 0) return loop;
  return { ...loop, kernelThreads: use, text: `${loop.text}; ${use.split} of ${use.calls} recurrent kernel calls split their batch over 2 threads` };
}

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
