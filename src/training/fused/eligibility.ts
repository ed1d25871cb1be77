// The one rule that decides which recurrent layers train on the fused kernels (fused/layers.ts)
// and which stay on tfjs-layers's step-by-step path. build.ts builds a layer from this answer,
// and the run reports it, so what is reported is what ran.
import type { ConfigValue, LayerConfig } from '../../language';
import { activation, UnsupportedError } from '../keras-names';
import { elementwiseActivation } from './activations';
import type { RecurrentKind } from './kernel';
import { cellOnTfjsReason, plainLayerOf } from './cells';
import { kernelImplementation } from './sequence';

export type TrainingPath = { path: 'fused'; kernel: string } | { path: 'tfjs'; reason: string };


function kindOf(layer: LayerConfig): RecurrentKind | null {
  switch (layer.type) {
    case 'SimpleRNN':
      return 'simple-rnn';
    case 'LSTM':
      return 'lstm';
    case 'GRU':
      return layer.config['reset_after'] === false ? 'gru' : 'gru-reset-after';
    default:
      return null;
  }
}

function isLayerConfig(value: ConfigValue | undefined): value is LayerConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.type === 'string';
}

/** The tfjs identifier of this activation argument, or why the kernels cannot compute it. */
function activationOf(layer: LayerConfig, key: string, fallback: string): { id: string } | { problem: string } {
  // None (null) is Keras's linear; only a missing argument takes the default.
  const value = layer.config[key] === undefined ? fallback : layer.config[key];
  let id: string;
  try {
    id = activation(value);
  } catch (err) {
    if (err instanceof UnsupportedError) return { problem: err.message };
    throw err;
  }
  if (elementwiseActivation(id) !== null) return { id };
  return { problem: `${key}=${JSON.stringify(value)} mixes the units of a gate, which the fused kernel does not compute` };
}

/**
 * The one predicate that decides whether a layer (a recurrent layer, RNN(cell), or
 * Bidirectional around one) trains on the fused path; build.ts uses this same function when it builds the layer.
 * Non-recurrent layers return { path: 'tfjs', reason: 'not a recurrent layer' }.
 */
export function fusedPathFor(layer: LayerConfig): TrainingPath {
  // RNN(LSTMCell(...)) is LSTM(...): the same rules; other cells stay on tfjs (fused/cells.ts).
  if (layer.type === 'RNN') {
    const plain = plainLayerOf(layer);
    return plain ? fusedPathFor(plain) : { path: 'tfjs', reason: cellOnTfjsReason(layer) };
  }
  if (layer.type === 'Bidirectional') {
    const inner = layer.config['layer'];
    if (!isLayerConfig(inner)) return { path: 'tfjs', reason: 'not a recurrent layer' };
    const path = fusedPathFor(inner);
    return path.path === 'fused' ? { path: 'fused', kernel: `bidirectional(${path.kernel})` } : path;
  }
  const kind = kindOf(layer);
  if (kind === null) return { path: 'tfjs', reason: 'not a recurrent layer' };
  // An escape hatch, to compare the two paths or to rule the fused one out.
  if (typeof process !== 'undefined' && process.env['SEQMODEL_FUSED'] === '0') {
    return { path: 'tfjs', reason: 'the fused path is turned off (SEQMODEL_FUSED=0)' };
  }
  if (layer.config['stateful'] === true) {
    return { path: 'tfjs', reason: 'stateful=True keeps states between batches, which the fused kernel does not' };
  }
  const act = activationOf(layer, 'activation', 'tanh');
  if ('problem' in act) return { path: 'tfjs', reason: act.problem };
  const recurrent = kind === 'simple-rnn' ? { id: 'sigmoid' } : activationOf(layer, 'recurrent_activation', 'sigmoid');
  if ('problem' in recurrent) return { path: 'tfjs', reason: recurrent.problem };
  // The kernel's name says which implementation runs (sequence.ts).
  return { path: 'fused', kernel: `${kind}/${kernelImplementation(kind, act.id, recurrent.id)}` };
}
