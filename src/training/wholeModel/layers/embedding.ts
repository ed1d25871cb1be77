// Keras's Embedding on the whole-model path: each token id's row of the (input_dim, output_dim)
// table. The table's gradient is dense, as tfjs's is (tfjs differentiates gather into a dense
// tensor), so Adam and RMSprop move every row each step exactly as on the tfjs path; backward
// only adds into the rows the batch used, and the array itself lives as long as the layer, so the
// sentiment model's 10000×32 table costs no allocation per batch.
import type * as tf from '../../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { gatherRows, scatterAddRows } from '../../fused/rows';
import { Reusable } from './buffers';
import { unsupportedOption } from './unsupported';
import { weightOf } from './weights';

interface EmbeddingInternals {
  embeddings: LayerVariable;
  inputDim: number;
  outputDim: number;
  maskZero?: boolean;
}

export class WholeModelEmbedding implements WholeModelLayer {
  readonly weights: Weight[];
  readonly table: Weight;
  private readonly out = new Reusable();
  /** The batch's token ids (the first `count`), as forward read them. */
  private ids = new Int32Array(0);
  private maskArray = new Uint8Array(0);
  private count = 0;

  constructor(
    readonly name: string,
    variable: LayerVariable,
    readonly inputDim: number,
    readonly outputDim: number,
    private readonly maskZero: boolean,
  ) {
    this.table = weightOf(variable);
    this.weights = [this.table];
  }

  forward(x: Activations, _training: boolean): Activations {
    const ids = this.readIds(x);
    const width = this.outputDim;
    const out = gatherRows(this.table.values, ids, width, this.out.take(ids.length * width));
    return { values: out, shape: [...x.shape, width], mask: this.mask() };
  }

  /**
   * The batch's token ids, checked against the table (a view reused by the next batch); also
   * what backward() scatters by.
   */
  readIds(x: Activations): Int32Array {
    const n = x.values.length;
    if (this.ids.length < n) this.ids = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // tfjs casts the ids to int32 (truncating); an id outside the table is the data's error.
      const id = Math.trunc(x.values[i]);
      if (!(id >= 0 && id < this.inputDim)) {
        throw new Error(`${this.name}: token id ${x.values[i]} is outside the embedding table [0, ${this.inputDim})`);
      }
      this.ids[i] = id;
    }
    this.count = n;
    return this.ids.subarray(0, n);
  }

  /** Keras's mask of the ids readIds read last: null without mask_zero. */
  mask(): Uint8Array | null {
    return this.maskZero ? this.zeroMask(this.count) : null;
  }

  backward(dy: Float32Array, _needInputGradient: boolean): null {
    scatterAddRows(dy, this.ids.subarray(0, this.count), this.outputDim, this.table.grad);
    // Token ids are not differentiable.
    return null;
  }

  /** Keras's mask_zero: 1 where the id is not 0, in an array reused by the next batch. */
  private zeroMask(n: number): Uint8Array {
    if (this.maskArray.length < n) this.maskArray = new Uint8Array(n);
    const mask = this.maskArray.subarray(0, n);
    for (let i = 0; i < n; i++) mask[i] = this.ids[i] === 0 ? 0 : 1;
    return mask;
  }
}


export const embeddingFactory: LayerFactory = (layer: tf.layers.Layer, inputShape: number[]) => {
  const held = layer as unknown as EmbeddingInternals;
  const problem = unsupportedOption(layer, { embeddings_regularizer: 'embeddingsRegularizer', embeddings_constraint: 'embeddingsConstraint' });
  if (problem) return problem;
  // Activations.mask is (batch, steps): a mask over ids of higher rank has no place there.
  if (held.maskZero && inputShape.length !== 2) {
    return { unsupported: `${layer.name}: mask_zero=True on input of rank ${inputShape.length} (only (batch, steps) ids are masked on the whole-model path)` };
  }
  return new WholeModelEmbedding(layer.name, held.embeddings, held.inputDim, held.outputDim, held.maskZero === true);
};
