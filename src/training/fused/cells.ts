// RNN(cell) and the training paths: a cell runs inside tfjs's RNN loop as the project's
// RecurrentCell (src/training/layers/recurrent-cells.ts), one step at a time; no fused kernel
// takes a cell, whatever the cell. fusedPathFor asks this first.
import type { LayerConfig } from '../../language';
import type { TrainingPath } from './eligibility';

export function cellPathFor(layer: LayerConfig): TrainingPath | null {
  const wrapped = layer.type === 'Bidirectional' ? layer.config.layer : null;
  const inner = wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped) ? wrapped : layer;
  if (inner.type !== 'RNN') return null;
  const cell = inner.config.cell;
  const name = cell && typeof cell === 'object' && !Array.isArray(cell) ? cell.type : 'cell';
  return { path: 'tfjs', reason: `RNN(${name}): a cell runs step by step in tfjs's RNN loop; no fused kernel takes a cell` };
}
