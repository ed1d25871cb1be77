// The losses of the whole-model path: each one's value and its gradient with respect to the
// prediction, over Float32Arrays, with tfjs-layers's exact semantics (src/losses.ts there): the
// loss of a sample is the mean (or, for the crossentropies and KL divergence, the sum) over the
// last axis, and the batch's loss the mean over every other position (the samples, and the steps
// of a sequence output). Clipping is tfjs's too: epsilon 1e-7, gradients passed only inside the
// closed clip interval (tfjs's clipByValue gradient). Each computes in double precision.
const f = Math.fround;
/** tfjs-layers's epsilon() (the float32 backends' 1e-7), as the clipped tensors hold it. */
const EPS = f(1e-7);
const ONE_MINUS_EPS = f(1 - 1e-7);

export interface ArrayLoss {
  /** tfjs's identifier, as compileSettings.lossId gives it. */
  readonly id: string;
  /**
   * The batch's loss; when `grad` is given, also writes d loss / d prediction into it (the
   * prediction's layout). yTrue has the prediction's layout, except for the sparse
   * crossentropy: one class index per row.
   */
  compute(yTrue: Float32Array, yPred: Float32Array, lastDim: number, grad: Float32Array | null): number;
}

/** A loss that is the mean over the last axis of an element-wise term: value and d/dp of one element. */
type Elementwise = (t: number, p: number) => [number, number];

function elementwise(id: string, term: Elementwise): ArrayLoss {
  return {
    id,
    compute(yTrue, yPred, _lastDim, grad) {
      const n = yPred.length;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const [value, d] = term(yTrue[i], yPred[i]);
        sum += value;
        if (grad) grad[i] = d / n;
      }
      return sum / n;
    },
  };
}

/** tfjs's abs gradient: step(x, −1), so −1 at 0. */
const sign = (x: number): number => (x > 0 ? 1 : -1);
const inside = (x: number, lo: number, hi: number): boolean => x >= lo && x <= hi;
const clip = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

const ELEMENTWISE: Record<string, Elementwise> = {
  meanSquaredError: (t, p) => [(p - t) * (p - t), 2 * (p - t)],
  meanAbsoluteError: (t, p) => [Math.abs(p - t), sign(p - t)],
  meanAbsolutePercentageError: (t, p) => {
    const c = Math.max(Math.abs(t), EPS);
    const q = (t - p) / c;
    return [100 * Math.abs(q), (-100 * sign(q)) / c];
  },
  meanSquaredLogarithmicError: (t, p) => {
    const a = Math.log(1 + Math.max(p, EPS));
    const b = Math.log(1 + Math.max(t, EPS));
    return [(a - b) * (a - b), p >= EPS ? (2 * (a - b)) / (1 + p) : 0];
  },
  huber: (t, p) => {
    const e = Math.abs(p - t);
    const q = Math.min(e, 1);
    // tfjs's minimum passes the gradient to its first argument where a <= b.
    return [0.5 * q * q + (e - q), (e <= 1 ? e : 1) * sign(p - t)];
  },
  logcosh: (t, p) => {
    const d = p - t;
    const x = -2 * d;
    const softplus = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    return [d + softplus - Math.LN2, 1 - 2 * sigmoid(x)];
  },
  hinge: (t, p) => {
    const x = 1 - t * p;
    return x > 0 ? [x, -t] : [0, 0];
  },
  squaredHinge: (t, p) => {
    const x = 1 - t * p;
    return x > 0 ? [x * x, -2 * x * t] : [0, 0];
  },
  poisson: (t, p) => [p - t * Math.log(EPS + p), 1 - t / (EPS + p)],
  binaryCrossentropy: (t, p) => {
    const pc = clip(p, EPS, ONE_MINUS_EPS);
    const z = Math.log(pc / (1 - pc));
    const value = Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    // d/dz = sigmoid(z) − t = pc − t; dz/dpc = 1 / (pc (1 − pc)).
    return [value, inside(p, EPS, ONE_MINUS_EPS) ? (pc - t) / (pc * (1 - pc)) : 0];
  },
};

/**
 * Categorical crossentropy of one row: o = p / Σp, clipped; −Σ t·log o. Writes d/dp into grad
 * (already scaled by `scale`). `clipFirst`: the sparse loss clips p before normalising as well.
 */
function crossentropyRow(t: ArrayLike<number>, tAt: number, p: Float32Array, at: number, k: number, grad: Float32Array | null, scale: number, clipFirst: boolean): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += clipFirst ? clip(p[at + j], EPS, ONE_MINUS_EPS) : p[at + j];
  let value = 0;
  let dot = 0; // Σ_j dL/do_j · o_j
  for (let j = 0; j < k; j++) {
    const q = clipFirst ? clip(p[at + j], EPS, ONE_MINUS_EPS) : p[at + j];
    const o = q / s;
    const oc = clip(o, EPS, ONE_MINUS_EPS);
    const tj = t[tAt + j];
    value -= tj * Math.log(oc);
    if (grad) {
      const go = inside(o, EPS, ONE_MINUS_EPS) ? -tj / oc : 0;
      grad[at + j] = go;
      dot += go * o;
    }
  }
  if (grad) {
    for (let j = 0; j < k; j++) {
      const pass = clipFirst ? inside(p[at + j], EPS, ONE_MINUS_EPS) : true;
      grad[at + j] = pass ? ((grad[at + j] - dot) / s) * scale : 0;
    }
  }
  return value;
}

const categoricalCrossentropy: ArrayLoss = {
  id: 'categoricalCrossentropy',
  compute(yTrue, yPred, k, grad) {
    const rows = yPred.length / k;
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += crossentropyRow(yTrue, r * k, yPred, r * k, k, grad, 1 / rows, false);
    return sum / rows;
  },
};

const sparseCategoricalCrossentropy: ArrayLoss = {
  id: 'sparseCategoricalCrossentropy',
  compute(yTrue, yPred, k, grad) {
    const rows = yPred.length / k;
    const oneHot = new Float32Array(k);
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      oneHot.fill(0);
      // tfjs: floor, then oneHot (an index outside [0, k) gives a row of zeros).
      const c = Math.floor(yTrue[r]);
      if (c >= 0 && c < k) oneHot[c] = 1;
      sum += crossentropyRow(oneHot, 0, yPred, r * k, k, grad, 1 / rows, true);
    }
    return sum / rows;
  },
};

const kullbackLeiblerDivergence: ArrayLoss = {
  id: 'kullbackLeiblerDivergence',
  compute(yTrue, yPred, k, grad) {
    const rows = yPred.length / k;
    let sum = 0;
    for (let i = 0; i < yPred.length; i++) {
      const t = yTrue[i];
      const p = yPred[i];
      const pc = clip(p, EPS, 1);
      sum += t * Math.log(clip(t, EPS, 1) / pc);
      if (grad) grad[i] = inside(p, EPS, 1) ? -t / pc / rows : 0;
    }
    return sum / rows;
  },
};

const ROW_LOSSES = [categoricalCrossentropy, sparseCategoricalCrossentropy, kullbackLeiblerDivergence];

/** The whole-model loss for a tfjs loss identifier (compileSettings.lossId), or null: that loss trains on tfjs. */
export function arrayLoss(id: string): ArrayLoss | null {
  if (Object.prototype.hasOwnProperty.call(ELEMENTWISE, id)) return elementwise(id, ELEMENTWISE[id]);
  return ROW_LOSSES.find((loss) => loss.id === id) ?? null;
}

/** Values of yTrue per row of the prediction: one for the sparse crossentropy, else the prediction's width. */
export function targetWidth(loss: ArrayLoss, lastDim: number): number {
  return loss.id === 'sparseCategoricalCrossentropy' ? 1 : lastDim;
}
