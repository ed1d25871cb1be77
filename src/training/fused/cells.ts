// RNN(cell) and the training paths. A single Keras cell in RNN computes exactly the Keras layer
// of the same name (RNN(LSTMCell(u, ...)) is LSTM(u, ...)), so it takes that layer's fused path,
// under that layer's eligibility rules. Every other cell (the course's peephole, coupled and
// layer-normalized cells, StackedRNNCells) runs inside tfjs's RNN loop as the project's
// RecurrentCell (src/training/layers/recurrent-cells.ts), one step at a time: no kernel computes
// it. fusedPathFor asks this for every RNN.
import type { ConfigValue, LayerConfig } from '../../language';

/** The Keras cells whose layer has a fused kernel, and that layer. */
const PLAIN_LAYER: Record<string, string> = { SimpleRNNCell: 'SimpleRNN', LSTMCell: 'LSTM', GRUCell: 'GRU' };

function cellOf(rnn: LayerConfig): LayerConfig | null {
  const cell = rnn.config['cell'];
  return cell && typeof cell === 'object' && !Array.isArray(cell) && typeof cell.type === 'string' ? (cell as LayerConfig) : null;
}

/**
 * The plain layer RNN(cell) equals: the cell's arguments with RNN's (return_sequences, stateful,
 * ...), typed as the layer. Null when the cell is not SimpleRNNCell, LSTMCell or GRUCell.
 */
export function plainLayerOf(rnn: LayerConfig): LayerConfig | null {
  const cell = cellOf(rnn);
  const type = cell ? PLAIN_LAYER[cell.type] : undefined;
  if (!cell || !type) return null;
  const sequence: Record<string, ConfigValue> = { ...rnn.config };
  delete sequence['cell'];
  return { type, config: { ...cell.config, ...sequence } };
}

/** Why RNN(cell) with any other cell stays on tfjs, in the run's words. */
export function cellOnTfjsReason(rnn: LayerConfig): string {
  const name = cellOf(rnn)?.type ?? 'cell';
  return `RNN(${name}): the fused kernels compute Keras's SimpleRNNCell, LSTMCell and GRUCell only; ${name} runs step by step in tfjs's RNN loop`;
}
