import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IncrementalSmoother, smoothSeries } from '../../webview/loss/smoothing';
import { fuzzRuns } from '../helpers/fuzzRuns';

describe('webview smoothing (TensorBoard debiased EMA)', () => {
  it('matches the formula by hand: last = w·last + (1−w)·y, shown last / (1 − w^t)', () => {
    const w = 0.6;
    const out = smoothSeries([1, 2, 3], w);
    // t=1: last = 0.4        → 0.4 / 0.4 = 1
    // t=2: last = 0.24 + 0.8 = 1.04 → 1.04 / (1 − 0.36) = 1.625
    // t=3: last = 0.624 + 1.2 = 1.824 → 1.824 / (1 − 0.216) = 2.326530...
    assert.ok(Math.abs(out[0] - 1) < 1e-12);
    assert.ok(Math.abs(out[1] - 1.625) < 1e-12);
    assert.ok(Math.abs(out[2] - 1.824 / 0.784) < 1e-12);
  });

  it('weight 0 is the identity; the first point is never biased toward 0', () => {
    assert.deepEqual([...smoothSeries([5, -2, 7], 0)], [5, -2, 7]);
    for (const w of [0.1, 0.9, 0.999]) assert.ok(Math.abs(smoothSeries([42, 1], w)[0] - 42) < 1e-9);
  });

  it('passes non-finite values through without counting them in t', () => {
    const out = smoothSeries([1, NaN, 3], 0.5);
    assert.ok(Number.isNaN(out[1]));
    // t=2 at index 2: last = 0.25 + 1.5 = 1.75, / (1 − 0.25) = 2.333...
    assert.ok(Math.abs(out[2] - 1.75 / 0.75) < 1e-12);
  });

  it('leaves a constant series exactly as is (no rounding drift)', () => {
    const values = new Array(1000).fill(0.1);
    assert.deepEqual([...smoothSeries(values, 0.99)], values);
  });

  it('weight 1 does not divide by zero (TensorBoard leaves it undebiased)', () => {
    const out = smoothSeries([1, 2], 1);
    assert.deepEqual([...out], [0, 0]);
  });

  it('the incremental smoother equals the batch smoothing at every prefix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN), fc.constant(3)), { maxLength: 60 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (values, w) => {
          const smoother = new IncrementalSmoother(w);
          const out = new Float64Array(values.length);
          for (let i = 0; i < values.length; i++) {
            smoother.push(values, i, out);
            const expected = smoothSeries(values.slice(0, i + 1), w);
            for (let k = 0; k <= i; k++) {
              if (Number.isNaN(expected[k])) assert.ok(Number.isNaN(out[k]));
              else assert.ok(Math.abs(out[k] - expected[k]) <= 1e-9 * Math.max(1, Math.abs(expected[k])), `prefix ${i} index ${k}`);
            }
          }
        },
      ),
      { numRuns: fuzzRuns(100) },
    );
  });

  it('reports when an earlier prefix was re-smoothed (a constant series that stops being constant)', () => {
    const values = [2, 2, 2, 5];
    const smoother = new IncrementalSmoother(0.5);
    const out = new Float64Array(4);
    assert.equal(smoother.push(values, 0, out), 0);
    assert.equal(smoother.push(values, 1, out), 1);
    assert.equal(smoother.push(values, 2, out), 2);
    assert.equal(smoother.push(values, 3, out), 0);
    assert.throws(() => smoother.push(values, 1, out), /expected index 4/);
  });
});
