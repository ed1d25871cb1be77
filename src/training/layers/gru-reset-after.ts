// Keras's default GRU (reset_after=True), which tfjs-layers lacks: its GRUCell implements only
// reset_after=False and throws otherwise. The two differ in where the reset gate acts:
//
//   reset_after=False (tfjs):  h~ = act(x·W_h + (r ⊙ h)·U_h + b_h)
//   reset_after=True (Keras):  h~ = act(x·W_h + b_in_h + r ⊙ (h·U_h + b_rec_h))
//
// and in the bias: Keras keeps an input bias and a recurrent bias, stored as one (2, 3u)
// weight, so the layer has 3·(u·(in+u) + 2u) parameters (GRU(32) on 1 feature: 3,360).
// Weight layout and gate order (z, r, h) are Keras's, so Keras weights load as they are.
import * as tf from '../tf';
import type { Constraint } from '@tensorflow/tfjs-layers/dist/constraints';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import type { RNNCell } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import type { Regularizer } from '@tensorflow/tfjs-layers/dist/regularizers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import { DropoutMasks } from './dropout-masks';
import { FastOrthogonal } from './orthogonal';

/** tfjs's activation object (what `tf.layers.activation(...).activation` holds). */
export interface ActivationFn {
  apply(x: tf.Tensor): tf.Tensor;
}
/** A tfjs object as it is serialised: {className, config}. */
export type Serialized = tf.serialization.ConfigDict & {
  className: string;
  config: tf.serialization.ConfigDict;
};

export interface ResetAfterGRUCellArgs extends LayerArgs {
  units: number;
  /** tfjs activation identifiers ('tanh', 'sigmoid', 'hardSigmoid', ...). */
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  /** Initializer objects, or their serialised form when a saved model is reloaded. */
  kernelInitializer?: Initializer | Serialized;
  recurrentInitializer?: Initializer | Serialized;
  biasInitializer?: Initializer | Serialized;
  kernelRegularizer?: Regularizer | Serialized | null;
  recurrentRegularizer?: Regularizer | Serialized | null;
  biasRegularizer?: Regularizer | Serialized | null;
  kernelConstraint?: Constraint | Serialized | null;
  recurrentConstraint?: Constraint | Serialized | null;
  biasConstraint?: Constraint | Serialized | null;
  dropout?: number;
  recurrentDropout?: number;
}

export interface ResetAfterGRUArgs extends ResetAfterGRUCellArgs {
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  unroll?: boolean;
}

export function isSerialized(value: unknown): value is Serialized {
  return typeof value === 'object' && value !== null && 'className' in value && 'config' in value;
}

/** Rebuilds a registered tfjs object (initializer, regularizer, constraint, RNN(cell)'s cell) from its config. */
export function revive<T>(value: T | Serialized | null | undefined): T | null {
  if (value == null) return null;
  if (!isSerialized(value)) return value;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[value.className];
  if (entry == null) throw new Error(`Unknown tfjs class '${value.className}' in a saved model`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, value.config) as unknown as T;
}

export function serialize(value: tf.serialization.Serializable | null): Serialized | null {
  return value == null ? null : { className: value.getClassName(), config: value.getConfig() };
}

/** tfjs's own activation objects, so this cell computes exactly what its other layers do. */
export function activationFn(identifier: string): ActivationFn {
  const layer = tf.layers.activation({ activation: identifier as 'linear' });
  return (layer as unknown as { activation: ActivationFn }).activation;
}

export class ResetAfterGRUCell extends tf.layers.Layer {
  static className = 'SeqModelResetAfterGRUCell';
  readonly units: number;
  readonly stateSize: number;
  readonly activationName: string;
  readonly recurrentActivationName: string;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  private readonly activation: ActivationFn;
  private readonly recurrentActivation: ActivationFn;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  private readonly kernelRegularizer: Regularizer | null;
  private readonly recurrentRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;
  private readonly kernelConstraint: Constraint | null;
  private readonly recurrentConstraint: Constraint | null;
  private readonly biasConstraint: Constraint | null;
  // Read by the fused path (fused/layers.ts) as well as by call().
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  /** Per-sequence masks: made at the first step, kept for every step (Keras's behaviour). */
  private masks!: DropoutMasks;

  constructor(args: ResetAfterGRUCellArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`GRU units must be a positive integer, got ${args.units}`);
    }
    this.units = args.units;
    this.stateSize = args.units;
    this.activationName = args.activation ?? 'tanh';
    this.recurrentActivationName = args.recurrentActivation ?? 'sigmoid';
    this.activation = activationFn(this.activationName);
    this.recurrentActivation = activationFn(this.recurrentActivationName);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = revive(args.kernelInitializer) ?? tf.initializers.glorotUniform({});
    this.recurrentInitializer = revive(args.recurrentInitializer) ?? new FastOrthogonal();
    this.biasInitializer = revive(args.biasInitializer) ?? tf.initializers.zeros();
    this.kernelRegularizer = revive(args.kernelRegularizer);
    this.recurrentRegularizer = revive(args.recurrentRegularizer);
    this.biasRegularizer = revive(args.biasRegularizer);
    this.kernelConstraint = revive(args.kernelConstraint);
    this.recurrentConstraint = revive(args.recurrentConstraint);
    this.biasConstraint = revive(args.biasConstraint);
    this.dropout = Math.min(1, Math.max(0, args.dropout ?? 0));
    this.recurrentDropout = Math.min(1, Math.max(0, args.recurrentDropout ?? 0));
    this.masks = new DropoutMasks(this.dropout, this.recurrentDropout);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim == null) throw new Error('GRU needs a known feature size (last input axis)');
    const u = this.units;
    this.kernel = this.addWeight('kernel', [inputDim, 3 * u], 'float32', this.kernelInitializer,
      this.kernelRegularizer ?? undefined, true, this.kernelConstraint ?? undefined);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32',
      this.recurrentInitializer, this.recurrentRegularizer ?? undefined, true,
      this.recurrentConstraint ?? undefined);
    // Row 0: the input bias, row 1: the recurrent bias (Keras's layout).
    this.bias = this.useBias
      ? this.addWeight('bias', [2, 3 * u], 'float32', this.biasInitializer,
          this.biasRegularizer ?? undefined, true, this.biasConstraint ?? undefined)
      : null;
    this.built = true;
  }

  /** inputs: [x_t (batch, features), h_{t-1} (batch, units)]; returns [h_t, h_t]. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2) {
        throw new Error(`The GRU cell expects [input, state], got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
      }
      const training = kwargs?.['training'] === true;
      const x = this.masks.input(inputs[0], training);
      const hPrev = inputs[1];
      const hForMatrix = this.masks.recurrent(hPrev, training);
      let matrixX = tf.matMul(x, this.kernel!.read());
      let matrixInner = tf.matMul(hForMatrix, this.recurrentKernel!.read());
      if (this.bias != null) {
        const [inputBias, recurrentBias] = tf.unstack(this.bias.read());
        matrixX = tf.add(matrixX, inputBias);
        matrixInner = tf.add(matrixInner, recurrentBias);
      }
      const [xZ, xR, xH] = tf.split(matrixX, 3, -1);
      const [recZ, recR, recH] = tf.split(matrixInner, 3, -1);
      const z = this.recurrentActivation.apply(tf.add(xZ, recZ));
      const r = this.recurrentActivation.apply(tf.add(xR, recR));
      // The reset gate multiplies the recurrent term after the matrix product: reset_after.
      const hCandidate = this.activation.apply(tf.add(xH, tf.mul(r, recH)));
      // Keras blends with the un-dropped previous state.
      const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hCandidate));
      return [h, h];
    });
  }

  /** Drops the per-sequence dropout masks; the layer calls this before each sequence. */
  resetDropoutMasks(): void {
    this.masks.reset();
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      units: this.units,
      activation: this.activationName,
      recurrentActivation: this.recurrentActivationName,
      useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer),
      recurrentInitializer: serialize(this.recurrentInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      recurrentRegularizer: serialize(this.recurrentRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      recurrentConstraint: serialize(this.recurrentConstraint),
      biasConstraint: serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      resetAfter: true,
    };
    return { ...super.getConfig(), ...config };
  }
}

/** The GRU layer: tfjs's RNN loop (sequences, state, go_backwards, masking) around the cell. */
export class ResetAfterGRU extends tf.RNN {
  static override className = 'SeqModelResetAfterGRU';

  constructor(args: ResetAfterGRUArgs) {
    // As tfjs's GRU does, the cell gets the layer's own arguments (and name).
    const cell = new ResetAfterGRUCell(args) as unknown as RNNCell;
    super({ ...args, cell });
  }

  get gruCell(): ResetAfterGRUCell {
    return this.cell as unknown as ResetAfterGRUCell;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      this.gruCell.resetDropoutMasks();
      const mask = kwargs == null ? null : kwargs['mask'];
      const training = kwargs == null ? null : kwargs['training'];
      const initialState = kwargs == null ? null : kwargs['initialState'];
      return super.call(inputs, { mask, training, initialState });
    });
  }

  /**
   * tfjs's RNN.getConfig merges the cell's config into the layer's, so the config holds the
   * cell's arguments directly (no nested 'cell'), as for tfjs's GRU.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}

tf.serialization.registerClass(ResetAfterGRUCell);
tf.serialization.registerClass(ResetAfterGRU);
