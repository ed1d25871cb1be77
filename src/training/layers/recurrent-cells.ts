// The recurrent cells of RNN(cell) as one tfjs cell class: Keras's SimpleRNNCell, LSTMCell and
// GRUCell, and the cells Keras and tfjs lack (peephole, coupled-gate and layer-normalized
// ones; their equations and counts are documented in src/language/layers/cells.ts). One class
// keyed by `kind`, because the cells share their weights' layout (kernel, recurrent kernel,
// bias over `blocks` gates, Keras's order) and differ only in a few extra weights and the step.
// tfjs's RNN and StackedRNNCells run it like their own cells; it is registered for
// serialization so that saved runs load back.
import * as tf from '../tf';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import { DropoutMasks } from './dropout-masks';
import { FastOrthogonal } from './orthogonal';
import { activationFn, revive, serialize, type ActivationFn, type Serialized } from './gru-reset-after';

export const CELL_KINDS = [
  'SimpleRNNCell',
  'LSTMCell',
  'GRUCell',
  'PeepholeLSTMCell',
  'FullPeepholeLSTMCell',
  'CoupledLSTMCell',
  'LayerNormSimpleRNNCell',
  'LayerNormLSTMCell',
  'LayerNormGRUCell',
] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/** Gate blocks of the kernel, in Keras's order; the forget gate's index for unit_forget_bias. */
const LAYOUT: Record<CellKind, { blocks: number; forget: number | null; states: number }> = {
  SimpleRNNCell: { blocks: 1, forget: null, states: 1 },
  LSTMCell: { blocks: 4, forget: 1, states: 2 },
  GRUCell: { blocks: 3, forget: null, states: 1 },
  PeepholeLSTMCell: { blocks: 4, forget: 1, states: 2 },
  FullPeepholeLSTMCell: { blocks: 4, forget: 1, states: 2 },
  // f, c̃, o: no input gate.
  CoupledLSTMCell: { blocks: 3, forget: 0, states: 2 },
  LayerNormSimpleRNNCell: { blocks: 1, forget: null, states: 1 },
  LayerNormLSTMCell: { blocks: 4, forget: 1, states: 2 },
  LayerNormGRUCell: { blocks: 3, forget: null, states: 1 },
};

export interface RecurrentCellArgs extends LayerArgs {
  kind: CellKind;
  units: number;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  unitForgetBias?: boolean;
  resetAfter?: boolean;
  /** FullPeepholeLSTMCell: the gates with a peephole matrix. */
  peepholeGates?: string[];
  /** Layer-normalized cells: added to the variance. */
  epsilon?: number;
  /** Keras's dropout and recurrent_dropout: fractions of x_t and of h_{t-1} dropped while training. */
  dropout?: number;
  recurrentDropout?: number;
  kernelInitializer?: Initializer | Serialized;
  recurrentInitializer?: Initializer | Serialized;
  biasInitializer?: Initializer | Serialized;
  /** Peephole weights (Keras 2 drew them with the kernel initializer). */
  peepholeInitializer?: Initializer | Serialized;
  gammaInitializer?: Initializer | Serialized;
  betaInitializer?: Initializer | Serialized;
}

const INITIALIZER_KEYS = ['kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'peepholeInitializer', 'gammaInitializer', 'betaInitializer'] as const;
type InitializerKey = (typeof INITIALIZER_KEYS)[number];
const INITIALIZER_DEFAULTS: Record<InitializerKey, () => Initializer> = {
  kernelInitializer: () => tf.initializers.glorotUniform({}),
  recurrentInitializer: () => new FastOrthogonal(),
  biasInitializer: () => tf.initializers.zeros(),
  // Keras 2 drew the peephole weights with the kernel initializer.
  peepholeInitializer: () => tf.initializers.glorotUniform({}),
  gammaInitializer: () => tf.initializers.ones(),
  betaInitializer: () => tf.initializers.zeros(),
};

/** Normalizes each row over its last axis: (a − μ) / √(σ² + ε). */
function normalize(a: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(a, -1, true);
  return tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, epsilon)));
}

export class RecurrentCell extends tf.layers.Layer {
  static className = 'SeqModelRecurrentCell';
  readonly kind: CellKind;
  readonly units: number;
  readonly stateSize: number | number[];
  private readonly args: RecurrentCellArgs;
  private readonly activation: ActivationFn;
  private readonly recurrentActivation: ActivationFn;
  private readonly epsilon: number;
  private readonly w: Record<string, LayerVariable> = {};
  /** Per-sequence masks (Keras's cell dropout); RNN(cell) resets them before each sequence. */
  private readonly masks: DropoutMasks;

  constructor(args: RecurrentCellArgs) {
    super(args);
    // tfjs camel-cases string values of a saved config (LSTMCell comes back as lstmCell).
    const kind = CELL_KINDS.find((k) => k.toLowerCase() === String(args.kind).toLowerCase());
    if (!kind) throw new Error(`Unknown recurrent cell '${args.kind}'`);
    args = { ...args, kind };
    if (!Number.isInteger(args.units) || args.units < 1) throw new Error(`${args.kind} units must be a positive integer, got ${args.units}`);
    this.args = args;
    this.kind = args.kind;
    this.units = args.units;
    this.stateSize = LAYOUT[args.kind].states === 2 ? [args.units, args.units] : args.units;
    this.activation = activationFn(args.activation ?? 'tanh');
    this.recurrentActivation = activationFn(args.recurrentActivation ?? 'sigmoid');
    this.epsilon = args.epsilon ?? 1e-3;
    this.masks = new DropoutMasks(args.dropout ?? 0, args.recurrentDropout ?? 0);
    // As fields, so that Bidirectional's reseeding (builders/wrappers.ts) finds them on the cell.
    for (const key of INITIALIZER_KEYS) this[key] = revive<Initializer>(args[key]) ?? INITIALIZER_DEFAULTS[key]();
  }

  kernelInitializer!: Initializer;
  recurrentInitializer!: Initializer;
  biasInitializer!: Initializer;
  peepholeInitializer!: Initializer;
  gammaInitializer!: Initializer;
  betaInitializer!: Initializer;

  /** The arguments the cell was built with (RNN(cell) reads them to build the equal fused layer). */
  get options(): Readonly<RecurrentCellArgs> {
    return this.args;
  }

  private get useBias(): boolean {
    return this.args.useBias ?? true;
  }

  private get resetAfter(): boolean {
    return this.kind === 'GRUCell' && (this.args.resetAfter ?? true);
  }

  private init(key: InitializerKey): Initializer {
    return this[key];
  }

  private weight(name: string, shape: number[], init: Initializer): void {
    this.w[name] = this.addWeight(name, shape, 'float32', init, undefined, true);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const f = shape[shape.length - 1];
    if (f == null) throw new Error(`${this.kind} needs a known feature size (last input axis)`);
    const u = this.units;
    const { blocks, forget } = LAYOUT[this.kind];
    this.weight('kernel', [f, blocks * u], this.init('kernelInitializer'));
    this.weight('recurrent_kernel', [u, blocks * u], this.init('recurrentInitializer'));
    if (this.useBias) {
      this.weight('bias', this.resetAfter ? [2, blocks * u] : [blocks * u], this.init('biasInitializer'));
      if (forget !== null && (this.args.unitForgetBias ?? true)) {
        // Keras's unit_forget_bias: the forget block starts at 1, the others as initialised.
        const b = this.w.bias.read();
        const ones = tf.tidy(() => tf.concat(tf.split(b, blocks, -1).map((part, i) => (i === forget ? tf.onesLike(part) : part)), -1));
        this.w.bias.write(ones);
      }
    }
    if (this.kind === 'PeepholeLSTMCell') {
      for (const g of ['input', 'forget', 'output']) this.weight(`${g}_gate_peephole_weights`, [u], this.init('peepholeInitializer'));
    }
    if (this.kind === 'FullPeepholeLSTMCell') {
      for (const g of this.args.peepholeGates ?? ['forget', 'input', 'output']) this.weight(`${g}_peephole_kernel`, [u, u], this.init('peepholeInitializer'));
    }
    const norm = (name: string, width: number, shift: boolean) => {
      this.weight(`${name}_gamma`, [width], this.init('gammaInitializer'));
      if (shift) this.weight(`${name}_beta`, [width], this.init('betaInitializer'));
    };
    if (this.kind === 'LayerNormSimpleRNNCell') norm('layernorm', u, false);
    if (this.kind === 'LayerNormLSTMCell' || this.kind === 'LayerNormGRUCell') {
      norm('kernel_norm', blocks * u, true);
      norm('recurrent_norm', blocks * u, true);
      if (this.kind === 'LayerNormLSTMCell') norm('state_norm', u, true);
    }
    this.built = true;
  }

  /** g ⊙ normalize(a) + β (β absent: TF Addons' LayerNormSimpleRNNCell has none). */
  private ln(name: string, a: tf.Tensor): tf.Tensor {
    const scaled = tf.mul(normalize(a, this.epsilon), this.w[`${name}_gamma`].read());
    const beta = this.w[`${name}_beta`];
    return beta ? tf.add(scaled, beta.read()) : scaled;
  }

  private read(name: string): tf.Tensor {
    return this.w[name].read();
  }

  /** Forgets the dropout masks: the next sequence draws its own. */
  resetDropoutMasks(): void {
    this.masks.reset();
  }

  /**
   * inputs: [x_t, ...states]; returns [output, ...new states]. Dropout masks x_t and the
   * h_{t-1} that the recurrent kernel multiplies, as Keras's cells do; the cell state c and
   * GRU's blend with h_{t-1} see the state undropped.
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 1 + LAYOUT[this.kind].states) {
        throw new Error(`${this.kind} expects [input, ${LAYOUT[this.kind].states} state(s)]`);
      }
      const training = kwargs?.['training'] === true;
      const [input, h, c] = inputs;
      const x = this.masks.input(input, training);
      const hDropped = this.masks.recurrent(h, training);
      const sig = (t: tf.Tensor) => this.recurrentActivation.apply(t);
      const act = (t: tf.Tensor) => this.activation.apply(t);
      const blocks = LAYOUT[this.kind].blocks;
      const xw = tf.matMul(x, this.read('kernel'));
      const hu = tf.matMul(hDropped, this.read('recurrent_kernel'));
      const bias = this.useBias && !this.resetAfter ? this.read('bias') : null;
      const withBias = (t: tf.Tensor) => (bias ? tf.add(t, bias) : t);
      const lstmOut = (o: tf.Tensor, cNew: tf.Tensor) => {
        const hNew = tf.mul(o, act(cNew));
        return [hNew, hNew, cNew];
      };
      switch (this.kind) {
        case 'SimpleRNNCell': {
          const hNew = act(withBias(tf.add(xw, hu)));
          return [hNew, hNew];
        }
        case 'LayerNormSimpleRNNCell': {
          const hNew = act(withBias(this.ln('layernorm', tf.add(xw, hu))));
          return [hNew, hNew];
        }
        case 'LSTMCell':
        case 'LayerNormLSTMCell': {
          const z = this.kind === 'LSTMCell' ? withBias(tf.add(xw, hu)) : withBias(tf.add(this.ln('kernel_norm', xw), this.ln('recurrent_norm', hu)));
          const [zi, zf, zc, zo] = tf.split(z, 4, -1);
          let cNew = tf.add(tf.mul(sig(zf), c), tf.mul(sig(zi), act(zc)));
          if (this.kind === 'LayerNormLSTMCell') cNew = this.ln('state_norm', cNew);
          return lstmOut(sig(zo), cNew);
        }
        case 'PeepholeLSTMCell': {
          const [zi, zf, zc, zo] = tf.split(withBias(tf.add(xw, hu)), 4, -1);
          const i = sig(tf.add(zi, tf.mul(this.read('input_gate_peephole_weights'), c)));
          const f = sig(tf.add(zf, tf.mul(this.read('forget_gate_peephole_weights'), c)));
          const cNew = tf.add(tf.mul(f, c), tf.mul(i, act(zc)));
          return lstmOut(sig(tf.add(zo, tf.mul(this.read('output_gate_peephole_weights'), cNew))), cNew);
        }
        case 'FullPeepholeLSTMCell': {
          const [zi, zf, zc, zo] = tf.split(withBias(tf.add(xw, hu)), 4, -1);
          const peep = (gate: string, z: tf.Tensor, state: tf.Tensor) => (this.w[`${gate}_peephole_kernel`] ? tf.add(z, tf.matMul(state, this.read(`${gate}_peephole_kernel`))) : z);
          const i = sig(peep('input', zi, c));
          const f = sig(peep('forget', zf, c));
          const cNew = tf.add(tf.mul(f, c), tf.mul(i, act(zc)));
          return lstmOut(sig(peep('output', zo, cNew)), cNew);
        }
        case 'CoupledLSTMCell': {
          const [zf, zc, zo] = tf.split(withBias(tf.add(xw, hu)), 3, -1);
          const f = sig(zf);
          const cNew = tf.add(tf.mul(f, c), tf.mul(tf.sub(1, f), act(zc)));
          return lstmOut(sig(zo), cNew);
        }
        case 'GRUCell':
        case 'LayerNormGRUCell': {
          let xs = xw;
          let hs = hu;
          if (this.kind === 'LayerNormGRUCell') {
            xs = withBias(this.ln('kernel_norm', xw));
            hs = this.ln('recurrent_norm', hu);
          } else if (this.resetAfter && this.useBias) {
            const [inputBias, recurrentBias] = tf.unstack(this.read('bias'));
            xs = tf.add(xw, inputBias);
            hs = tf.add(hu, recurrentBias);
          } else if (!this.resetAfter) {
            // reset_after=False: the reset gate scales h before the candidate's recurrent product.
            const [xz, xr, xh] = tf.split(withBias(xw), 3, -1);
            const [uz, ur, uh] = tf.split(this.read('recurrent_kernel'), 3, -1);
            const z = sig(tf.add(xz, tf.matMul(hDropped, uz)));
            const r = sig(tf.add(xr, tf.matMul(hDropped, ur)));
            const candidate = act(tf.add(xh, tf.matMul(tf.mul(r, hDropped), uh)));
            const hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
            return [hNew, hNew];
          }
          const [xz, xr, xh] = tf.split(xs, blocks, -1);
          const [hz, hr, hh] = tf.split(hs, blocks, -1);
          const z = sig(tf.add(xz, hz));
          const r = sig(tf.add(xr, hr));
          const candidate = act(tf.add(xh, tf.mul(r, hh)));
          const hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
          return [hNew, hNew];
        }
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const a = this.args;
    const config: tf.serialization.ConfigDict = {
      kind: a.kind,
      units: a.units,
      activation: a.activation ?? 'tanh',
      recurrentActivation: a.recurrentActivation ?? 'sigmoid',
      useBias: this.useBias,
      unitForgetBias: a.unitForgetBias ?? true,
      resetAfter: a.resetAfter ?? true,
      peepholeGates: a.peepholeGates ?? null,
      epsilon: this.epsilon,
      dropout: this.masks.rate,
      recurrentDropout: this.masks.recurrentRate,
    };
    for (const key of INITIALIZER_KEYS) {
      config[key] = serialize(this.init(key) as unknown as tf.serialization.Serializable);
    }
    return { ...super.getConfig(), ...config };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const c = { ...config } as unknown as RecurrentCellArgs & { peepholeGates: string[] | null };
    return new cls({ ...c, peepholeGates: c.peepholeGates ?? undefined });
  }
}

tf.serialization.registerClass(RecurrentCell);
