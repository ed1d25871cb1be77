import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { decimateIndices, gather } from '../../webview/loss/decimate';
import { fuzzRuns } from '../helpers/fuzzRuns';

/** Per pixel column: [min, max, first, last] of the finite values whose index falls in it. */
function envelope(values: ArrayLike<number>, indices: ArrayLike<number>, from: number, to: number, columns: number) {
  const result = new Map<number, number[]>();
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const y = values[i];
    if (!Number.isFinite(y)) continue;
    const c = Math.floor(((i - from) * columns) / (to - from));
    const e = result.get(c);
    if (!e) result.set(c, [y, y, y, y]);
    else {
      e[0] = Math.min(e[0], y);
      e[1] = Math.max(e[1], y);
      e[3] = y;
    }
  }
  return result;
}

describe('webview decimation per pixel column', () => {
  it('keeps everything when there are few points per column', () => {
    assert.deepEqual([...decimateIndices([[1, 2, 3]], 0, 3, 100)], [0, 1, 2]);
  });

  it('bounds the kept points by 4 per column per series for 100,000 points', () => {
    const n = 100_000;
    const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50) + Math.random());
    const b = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
    const kept = decimateIndices([a, b], 0, n, 800);
    assert.ok(kept.length <= 800 * 4 * 2, `kept ${kept.length}`);
    assert.ok(kept.length >= 800, `kept ${kept.length}`);
    for (let k = 1; k < kept.length; k++) assert.ok(kept[k] > kept[k - 1], 'ascending and unique');
  });

  it('draws the same envelope (min, max, first, last per column) as the full data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constant(NaN)), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 40 }),
        (values, columns) => {
          const n = values.length;
          const kept = decimateIndices([values], 0, n, columns);
          const all = Array.from({ length: n }, (_, i) => i);
          assert.deepEqual(envelope(values, kept, 0, n, columns), envelope(values, all, 0, n, columns));
        },
      ),
      { numRuns: fuzzRuns(100) },
    );
  });

  it('keeps a gap after data so a broken line stays broken', () => {
    const values = [...new Array(50).fill(1), ...new Array(50).fill(NaN), ...new Array(50).fill(2)];
    const kept = decimateIndices([values], 0, 150, 3);
    const gathered = gather(values, kept);
    assert.ok(gathered.includes(null));
  });

  it('works on a sub-range and gathers nulls for gaps', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i);
    const kept = decimateIndices([values], 500, 1000, 10);
    assert.equal(kept[0], 500);
    assert.equal(kept[kept.length - 1], 999);
    assert.deepEqual(gather([1, NaN, Infinity, 4], Uint32Array.from([0, 1, 2, 3])), [1, null, null, 4]);
  });
});
