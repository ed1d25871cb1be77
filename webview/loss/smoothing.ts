// TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's moment
// estimates. With weight w, the running value is last = w·last + (1 − w)·y, started at 0, and
// the shown value is last / (1 − w^t) where t counts the finite points seen so far. Without the
// division the curve would start near 0 and take ~1/(1 − w) points to catch up with the data.
// Non-finite points (a NaN loss) are passed through and do not advance t. A series whose every
// value is the same is shown as is, so a flat line is not bent by floating-point rounding.

/** The smoothing of a whole series at once: the reference the incremental form must match. */
export function smoothSeries(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  const constant = isConstant(values);
  let last = 0;
  // w^t kept as a running product: Math.pow per point was half the cost of the whole pass.
  let power = 1;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (constant || !Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    power *= weight;
    out[i] = last / debias(weight, power);
  }
  return out;
}

/** 1 − w^t given w^t; w = 1 would divide by zero: TensorBoard leaves that average undebiased. */
function debias(weight: number, power: number): number {
  return weight === 1 ? 1 : 1 - power;
}

function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/**
 * The same smoothing, one point at a time, for live training: O(1) per appended epoch instead of
 * re-smoothing the whole history. Results are written into a caller-owned buffer so the chart can
 * hand the same array to the plot without copying.
 */
export class IncrementalSmoother {
  private last = 0;
  /** w^t for the t finite points seen so far. */
  private power = 1;
  /** While every value seen is equal, TensorBoard shows the raw values. */
  private constantSoFar = true;
  private first = NaN;
  private length = 0;

  constructor(readonly weight: number) {}

  /**
   * Smooths `values[index]` given all earlier values were pushed in order; writes
   * `out[index]`. Returns the first index whose output changed (normally `index`; lower when the
   * series stops being constant and the earlier points have to be re-smoothed).
   */
  push(values: ArrayLike<number>, index: number, out: { [i: number]: number }): number {
    if (index !== this.length) throw new Error(`IncrementalSmoother: expected index ${this.length}, got ${index}`);
    this.length++;
    const y = values[index];
    let changedFrom = index;
    if (index === 0) this.first = y;
    else if (this.constantSoFar && y !== this.first) {
      // The series is no longer constant: TensorBoard would now smooth every earlier point too.
      this.constantSoFar = false;
      changedFrom = 0;
      // The running state (last, power) was advanced for every finite point all along; only the
      // outputs were held at the raw values. Replay the prefix to give them their smoothed values.
      let last = 0;
      let power = 1;
      for (let i = 0; i < index; i++) {
        const earlier = values[i];
        if (!Number.isFinite(earlier)) {
          out[i] = earlier;
          continue;
        }
        last = last * this.weight + (1 - this.weight) * earlier;
        power *= this.weight;
        out[i] = last / debias(this.weight, power);
      }
    }
    if (!Number.isFinite(y)) {
      out[index] = y;
      return changedFrom;
    }
    this.last = this.last * this.weight + (1 - this.weight) * y;
    this.power *= this.weight;
    out[index] = this.constantSoFar ? y : this.last / debias(this.weight, this.power);
    return changedFrom;
  }
}
