// The element-wise activations a fused recurrent kernel computes itself, each with its
// derivative. They reproduce tfjs-layers's own definitions (not a textbook's), so the fused path
// and the tfjs path agree to float rounding: hard_sigmoid is tf.keras 2's clip(0.2·x + 0.5),
// gelu uses tfjs's erf approximation (Abramowitz & Stegun 7.1.26), swish is x·sigmoid(x).
//
// The derivative gets both the input x and the output y = f(x): sigmoid and tanh are cheapest
// from y, the others need x. Keys are tfjs activation identifiers (keras-names.ts maps Keras's
// names to them). softmax and log_softmax mix the units of one gate, which the kernels' per-unit
// loops cannot express: they are absent here, and such layers stay on the tfjs path.

export interface ElementwiseActivation {
  /** The tfjs identifier ('tanh', 'hardSigmoid', ...). */
  id: string;
  f(x: number): number;
  /** d f / d x at x, where y = f(x). */
  df(x: number, y: number): number;
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

// tfjs-core's erf: Abramowitz & Stegun 7.1.26.
const ERF_P = 0.3275911;
const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + ERF_P * a);
  const poly = t * (ERF_A[0] + t * (ERF_A[1] + t * (ERF_A[2] + t * (ERF_A[3] + t * ERF_A[4]))));
  return sign * (1 - poly * Math.exp(-a * a));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** log(1 + e^x) without overflow for large x. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

const INV_SQRT2 = 1 / Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const ACTIVATIONS: Record<string, Omit<ElementwiseActivation, 'id'>> = {
  linear: { f: (x) => x, df: () => 1 },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  relu6: { f: (x) => (x > 0 ? (x < 6 ? x : 6) : 0), df: (x) => (x > 0 && x < 6 ? 1 : 0) },
  elu: { f: (x) => (x > 0 ? x : Math.expm1(x)), df: (x, y) => (x > 0 ? 1 : y + 1) },
  selu: {
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    df: (x, y) => (x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
  },
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  hardSigmoid: {
    f: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
    // tfjs's clipByValue passes the gradient on the closed interval.
    df: (x) => (x >= -2.5 && x <= 2.5 ? 0.2 : 0),
  },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  softplus: { f: softplus, df: (x) => sigmoid(x) },
  softsign: {
    f: (x) => x / (1 + Math.abs(x)),
    df: (x) => {
      const d = 1 + Math.abs(x);
      return 1 / (d * d);
    },
  },
  swish: {
    f: (x) => x * sigmoid(x),
    df: (x) => {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    },
  },
  gelu: {
    f: (x) => 0.5 * x * (1 + erf(x * INV_SQRT2)),
    df: (x) => 0.5 * (1 + erf(x * INV_SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  },
  mish: {
    f: (x) => x * Math.tanh(softplus(x)),
    df: (x) => {
      const t = Math.tanh(softplus(x));
      return t + x * (1 - t * t) * sigmoid(x);
    },
  },
};

/** The activation with this tfjs identifier, or null when the fused kernels lack it. */
export function elementwiseActivation(tfjsId: string): ElementwiseActivation | null {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, tfjsId) ? { id: tfjsId, ...ACTIVATIONS[tfjsId] } : null;
}
