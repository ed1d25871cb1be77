// An Embedding that feeds a recurrent layer directly (Embedding → LSTM, the sentiment model; or a
// Bidirectional one, each direction alike), as one whole-model layer that projects the vocabulary
// rather than the steps. Step t's input
// projection is x_t · W = E[token_t] · W, so it is row token_t of E·W: the layer projects only
// the rows of the table for the tokens that occur in the batch (P = E_U · W + b, U the batch's
// distinct ids) and the recurrent kernel reads each step's row of P by index (fused/rows.ts).
// Backward, the gate gradients come back summed per distinct token (S_u = Σ dz over the steps
// with token u), and dW = E_Uᵀ · S, db = Σ S, dE_U = S · Wᵀ (added into the table's rows U).
// That is Keras's math with the sums in another order. A batch of 32 reviews of 500 words has
// about 4,900 distinct ids in 16,000 steps (the synthetic corpus; real text repeats more), so
// the input side's three products shrink by that ratio, the (batch, steps, features) embedding
// output is never made, and the projection never crosses the WebAssembly module's boundary.
//
// The table's gradient stays dense, as tfjs's (the optimizer moves every row's moments), and
// mask_zero's mask is the Embedding's as before. Input dropout on the recurrent layer differs
// per sample (equal tokens no longer project alike): then the two layers stay separate.
import { addProjectionGradients, projectInputs } from '../../fused/projection';
import { gatherRows, scatterAddRows } from '../../fused/rows';
import type { Activations, Weight, WholeModelLayer } from '../layer';
import { WholeModelBidirectional } from './bidirectional';
import { Reusable } from './buffers';
import { WholeModelEmbedding } from './embedding';
import { WholeModelRecurrent } from './recurrent';

/** One recurrent direction fed by the embedding: its projected table and each step's row in it. */
class Direction {
  rowIds = new Int32Array(0);
  readonly projected = new Reusable();
  readonly dEmbedded = new Reusable();
  constructor(readonly layer: WholeModelRecurrent) {}
}

export class EmbeddedRecurrent implements WholeModelLayer {
  readonly name: string;
  readonly weights: Weight[];
  private readonly directions: Direction[];
  /** Each vocabulary id's row in this batch's table of distinct ids, -1 for ids not (yet) seen. */
  private readonly slotOf: Int32Array;
  /** The batch's distinct ids, ascending: row i of a projected table is token distinct[i]'s. */
  private distinct = new Int32Array(0);
  private distinctCount = 0;
  /** Each step's row among the distinct ids, in the input's order. */
  private slots = new Int32Array(0);
  private readonly embedded = new Reusable();

  constructor(private readonly embedding: WholeModelEmbedding, private readonly recurrent: WholeModelRecurrent | WholeModelBidirectional) {
    this.name = `${embedding.name} → ${recurrent.name}`;
    this.weights = [...embedding.weights, ...recurrent.weights];
    this.directions = rowDirections(recurrent)!.map((layer) => new Direction(layer));
    this.slotOf = new Int32Array(embedding.inputDim).fill(-1);
  }

  forward(x: Activations, training: boolean): Activations {
    const [batch, steps] = x.shape;
    const ids = this.embedding.readIds(x);
    this.indexTokens(ids, batch, steps);
    const n = this.distinctCount;
    const F = this.embedding.outputDim;
    // E_U: the table's rows for the distinct ids; then each direction's P = E_U · W + b.
    const embedded = gatherRows(this.embedding.table.values, this.distinct.subarray(0, n), F, this.embedded.take(n * F));
    const mask = this.embedding.mask();
    const outputs = this.directions.map((d) => {
      const W = d.layer.width;
      const P = projectInputs(embedded, n, F, d.layer.inputKernel.values, W, d.layer.inputBias()?.values ?? null, d.projected.take(n * W));
      return d.layer.forwardRows({ table: P, ids: d.rowIds.subarray(0, batch * steps) }, { shape: [batch, steps], mask }, training);
    });
    return this.recurrent instanceof WholeModelBidirectional ? this.recurrent.merge(outputs[0], outputs[1], mask) : outputs[0];
  }

  backward(dy: Float32Array, _needInputGradient: boolean): null {
    const dys = this.recurrent instanceof WholeModelBidirectional ? this.recurrent.directionGradients(dy) : { forward: dy, backward: dy };
    const n = this.distinctCount;
    const F = this.embedding.outputDim;
    const embedded = this.embedded.take(n * F);
    const grad = this.embedding.table.grad;
    this.directions.forEach((d, i) => {
      const S = d.layer.backwardRows(i === 0 ? dys.forward : dys.backward);
      const dEmbedded = d.dEmbedded.take(n * F);
      addProjectionGradients(embedded, n, F, d.layer.inputKernel.values, d.layer.width, S, {
        dx: dEmbedded,
        dKernel: d.layer.inputKernel.grad,
        dBias: d.layer.inputBias()?.grad ?? null,
      });
      scatterAddRows(dEmbedded, this.distinct.subarray(0, n), F, grad);
    });
    // Token ids are not differentiable.
    return null;
  }

  /**
   * The batch's distinct ids in ascending order, each step's row among them, and each
   * direction's rows in its processing order (reversed for go_backwards). Ascending, so that
   * gathering their rows of the table and adding the gradient into them walk the table
   * (1.28 MB for the sentiment model) forward: in order of first appearance, each row was a
   * cache miss, and the gradient's scatter-add alone took a twentieth of a batch.
   */
  private indexTokens(ids: Int32Array, batch: number, steps: number): void {
    const n = batch * steps;
    if (this.slots.length < n) this.slots = new Int32Array(n);
    if (this.distinct.length < Math.min(n, this.slotOf.length)) this.distinct = new Int32Array(Math.min(n, this.slotOf.length));
    // First the set, in order of first appearance (slotOf marks an id seen with 0).
    let count = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (this.slotOf[id] < 0) {
        this.slotOf[id] = 0;
        this.distinct[count++] = id;
      }
    }
    // Then in order: by a pass over the vocabulary where it is not much larger than the batch's
    // ids, else by sorting them.
    const vocabulary = this.slotOf.length;
    if (vocabulary <= 4 * n) {
      let slot = 0;
      for (let id = 0; id < vocabulary; id++) if (this.slotOf[id] === 0) this.distinct[slot++] = id;
    } else {
      this.distinct.subarray(0, count).sort();
    }
    for (let slot = 0; slot < count; slot++) this.slotOf[this.distinct[slot]] = slot;
    for (let i = 0; i < n; i++) this.slots[i] = this.slotOf[ids[i]];
    // Ready for the next batch: only the ids seen are reset.
    for (let i = 0; i < count; i++) this.slotOf[this.distinct[i]] = -1;
    this.distinctCount = count;
    for (const d of this.directions) {
      if (d.rowIds.length < n) d.rowIds = new Int32Array(n);
      if (!d.layer.reversed) {
        d.rowIds.set(this.slots.subarray(0, n));
        continue;
      }
      for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) d.rowIds[b * steps + t] = this.slots[b * steps + steps - 1 - t];
    }
  }
}

/** The recurrent layers an Embedding may hand rows to: the layer, or a Bidirectional's two directions; null when one cannot take them. */
function rowDirections(layer: WholeModelLayer): WholeModelRecurrent[] | null {
  const directions = layer instanceof WholeModelBidirectional ? [layer.forwardDirection, layer.backwardDirection] : [layer];
  return directions.every((d) => d instanceof WholeModelRecurrent && d.projectsRowsAlike()) ? directions as WholeModelRecurrent[] : null;
}

/**
 * The plan's layers with each Embedding that feeds a recurrent layer taking rows (no input
 * dropout; a Bidirectional one too) joined with it into one EmbeddedRecurrent.
 * SEQMODEL_TOKEN_ROWS=0 keeps them apart (to compare, or to work around a problem), as
 * SEQMODEL_WHOLE_MODEL=0 turns off the whole loop.
 */
export function joinEmbeddedRecurrent(layers: WholeModelLayer[]): WholeModelLayer[] {
  if (typeof process !== 'undefined' && process.env['SEQMODEL_TOKEN_ROWS'] === '0') return layers;
  const out: WholeModelLayer[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const next = layers[i + 1];
    if (layer instanceof WholeModelEmbedding && (next instanceof WholeModelRecurrent || next instanceof WholeModelBidirectional) && rowDirections(next) !== null) {
      out.push(new EmbeddedRecurrent(layer, next));
      i++;
    } else {
      out.push(layer);
    }
  }
  return out;
}
