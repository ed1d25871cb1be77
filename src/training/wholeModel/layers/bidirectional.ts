// Keras's Bidirectional on the whole-model path, generic over the recurrent layer it wraps: the
// forward and the backward copy (tfjs's backwardLayer, go_backwards=True) each get their own
// whole-model counterpart from the registry, so every recurrent kind registered there works
// here too. As tfjs's Bidirectional does, the backward copy's sequence output is reversed back to
// the input's time order before the merge, and the mask goes to both directions unchanged.
import type * as tf from '../../tf';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { Reusable } from './buffers';
import { innerCounterpart, type FactoryLookup } from './inner';

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

interface BidirectionalInternals {
  forwardLayer: tf.layers.Layer;
  backwardLayer: tf.layers.Layer;
  mergeMode: MergeMode | null | undefined;
  returnSequences: boolean;
  returnState: boolean;
}

export class WholeModelBidirectional implements WholeModelLayer {
  readonly weights: Weight[];
  private readonly out = new Reusable();
  private readonly dyForward = new Reusable();
  private readonly dyBackward = new Reusable();
  private readonly dyBackwardOwn = new Reusable();
  private readonly dx = new Reusable();
  // The backward direction's sequence output in the input's time order.
  private readonly reversed = new Reusable();
  // Both directions' outputs as merged (mul's gradient needs them).
  private forwardOut: Float32Array = new Float32Array(0);
  private backwardOut: Float32Array = new Float32Array(0);
  private outShape: number[] = [];

  constructor(
    readonly name: string,
    readonly forwardDirection: WholeModelLayer,
    readonly backwardDirection: WholeModelLayer,
    private readonly mergeMode: MergeMode,
    private readonly returnSequences: boolean,
  ) {
    this.weights = [...forwardDirection.weights, ...backwardDirection.weights];
  }

  forward(x: Activations, training: boolean): Activations {
    return this.merge(this.forwardDirection.forward(x, training), this.backwardDirection.forward(x, training), x.mask);
  }

  /**
   * The layer's output from its two directions' outputs (the backward copy's in its own, reversed
   * order), given the input's mask: forward()'s second half, for a caller that runs the
   * directions itself (embedded-recurrent.ts).
   */
  merge(f: Activations, b: Activations, mask: Uint8Array | null): Activations {
    const units = f.shape[f.shape.length - 1];
    const n = f.values.length;
    const backward = this.returnSequences ? reverseSteps(b.values, b.shape[0], b.shape[1], this.reversed.take(n)) : b.values;
    this.forwardOut = f.values;
    this.backwardOut = backward;
    const rows = n / units;
    const width = this.mergeMode === 'concat' ? 2 * units : units;
    const out = this.out.take(rows * width);
    const fv = f.values;
    switch (this.mergeMode) {
      case 'concat':
        for (let r = 0; r < rows; r++) {
          out.set(fv.subarray(r * units, (r + 1) * units), r * width);
          out.set(backward.subarray(r * units, (r + 1) * units), r * width + units);
        }
        break;
      case 'sum':
        for (let i = 0; i < n; i++) out[i] = fv[i] + backward[i];
        break;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = fv[i] * backward[i];
        break;
      case 'ave':
        for (let i = 0; i < n; i++) out[i] = (fv[i] + backward[i]) / 2;
        break;
    }
    this.outShape = [...f.shape.slice(0, -1), width];
    // tfjs's computeMask: the input's mask when a sequence comes out, none otherwise.
    return { values: out, shape: this.outShape, mask: this.returnSequences ? mask : null };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    const { forward, backward } = this.directionGradients(dy);
    const dxForward = this.forwardDirection.backward(forward, needInputGradient);
    const dxBackward = this.backwardDirection.backward(backward, needInputGradient);
    if (!needInputGradient || !dxForward || !dxBackward) return null;
    const dx = this.dx.take(dxForward.length);
    for (let i = 0; i < dx.length; i++) dx[i] = dxForward[i] + dxBackward[i];
    return dx;
  }

  /** After merge(): each direction's output gradient from the layer's, the backward copy's in its own order. */
  directionGradients(dy: Float32Array): { forward: Float32Array; backward: Float32Array } {
    const fv = this.forwardOut;
    const bv = this.backwardOut;
    const n = fv.length;
    const width = this.outShape[this.outShape.length - 1];
    const units = this.mergeMode === 'concat' ? width / 2 : width;
    const rows = n / units;
    const df = this.dyForward.take(n);
    const db = this.dyBackward.take(n);
    switch (this.mergeMode) {
      case 'concat':
        for (let r = 0; r < rows; r++) {
          df.set(dy.subarray(r * width, r * width + units), r * units);
          db.set(dy.subarray(r * width + units, (r + 1) * width), r * units);
        }
        break;
      case 'sum':
        df.set(dy);
        db.set(dy);
        break;
      case 'mul':
        for (let i = 0; i < n; i++) {
          df[i] = dy[i] * bv[i];
          db[i] = dy[i] * fv[i];
        }
        break;
      case 'ave':
        for (let i = 0; i < n; i++) df[i] = db[i] = dy[i] / 2;
        break;
    }
    // Back into the backward copy's own (reversed) time order.
    const dbOwn = this.returnSequences ? reverseSteps(db, this.outShape[0], this.outShape[1], this.dyBackwardOwn.take(n)) : db;
    return { forward: df, backward: dbOwn };
  }
}

/** (batch, steps, units) values with the steps of each sequence in reverse order, into `out`. */
function reverseSteps(values: Float32Array, batch: number, steps: number, out: Float32Array): Float32Array {
  const units = values.length / (batch * steps);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const from = (b * steps + t) * units;
      out.set(values.subarray(from, from + units), (b * steps + steps - 1 - t) * units);
    }
  }
  return out;
}

/** Bidirectional's factory, finding its directions' factories with `lookup` (the registry). */
export function bidirectionalFactory(lookup: FactoryLookup): LayerFactory {
  return (layer: tf.layers.Layer, inputShape: number[]) => {
    const held = layer as unknown as BidirectionalInternals;
    if (held.mergeMode == null) return { unsupported: `${layer.name}: merge_mode=None gives two outputs (the whole-model path trains single-output chains)` };
    if (held.returnState) return { unsupported: `${layer.name}: return_state=True gives several outputs (the whole-model path trains single-output chains)` };
    const forward = innerCounterpart(layer, held.forwardLayer, inputShape, lookup);
    if ('unsupported' in forward) return forward;
    const backward = innerCounterpart(layer, held.backwardLayer, inputShape, lookup);
    if ('unsupported' in backward) return backward;
    return new WholeModelBidirectional(layer.name, forward, backward, held.mergeMode, held.returnSequences);
  };
}
