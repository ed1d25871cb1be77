// Keras's RNN(cell) layer for the project's cells: tfjs's RNN loop, with three things tfjs's own
// RNN lacks for a custom cell. It clears the cells' dropout masks before each sequence (tfjs
// does that only inside its LSTM/GRU/SimpleRNN layers). And it can be cloned from its config
// more than once: tfjs's RNN.fromConfig replaces the config's serialized cell by the cell it
// builds, so Bidirectional, which builds the forward and the backward copy from one config,
// failed on the second copy; and a saved Bidirectional(RNN(cell)) could not load back.
import * as tf from '../tf';
import type { RNNCell } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { RecurrentCell } from './recurrent-cells';
import { revive, type Serialized } from './gru-reset-after';

/** The project's cells in a cell: itself, or each of a StackedRNNCells's cells. */
export function recurrentCellsOf(cell: unknown): RecurrentCell[] {
  if (cell instanceof RecurrentCell) return [cell];
  const stacked = (cell as { cells?: unknown[] } | null)?.cells;
  return Array.isArray(stacked) ? stacked.flatMap(recurrentCellsOf) : [];
}

export class CellRNN extends tf.RNN {
  static override className = 'SeqModelRNN';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      for (const cell of recurrentCellsOf(this.cell)) cell.resetDropoutMasks();
      return super.call(inputs, kwargs);
    });
  }

  /** tfjs nests the cell's config only for its own class name: nest it here too. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), cell: { className: this.cell.getClassName(), config: this.cell.getConfig() } };
  }

  /** Builds the cell without touching `config`, which Bidirectional reads a second time. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const cell = revive<RNNCell>(config['cell'] as unknown as Serialized);
    return new cls({ ...config, cell });
  }
}

tf.serialization.registerClass(CellRNN);
