// Which path trains a layer: a fused recurrent kernel or TensorFlow.js's own layers, and why.
// Placeholder until the fused kernels land (issue 8, part A, replaces this file): no layer has
// a fused kernel yet, so every layer trains on the tfjs-layers path and says so.
import type { LayerConfig } from '../../language/model';
import { lookupLayer } from '../../language/layers/registry';

export type TrainingPath = { path: 'fused'; kernel: string } | { path: 'tfjs'; reason: string };

export function fusedPathFor(layer: LayerConfig): TrainingPath {
  const wrapped = layer.type === 'Bidirectional' ? layer.config.layer : null;
  const inner = wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped) ? wrapped : layer;
  const recurrent = lookupLayer(inner.type)?.category === 'recurrent';
  return { path: 'tfjs', reason: recurrent ? 'no fused kernel yet' : 'not a recurrent layer' };
}
