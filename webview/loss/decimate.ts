// Per-pixel-column decimation for line charts. A canvas line through thousands of points per
// pixel column only ever paints, in each column, a vertical run from the lowest to the highest
// value plus the segments entering and leaving it. Keeping, for every series, the first, last,
// lowest and highest point of each column therefore draws the same picture from at most four
// points per column per series, whatever the data size.
//
// The chart (uPlot) wants every series aligned on one x array, so the kept indices of all series
// are merged: a series then also gets the points other series kept, which lie inside its own
// column envelope and change nothing on screen.

/**
 * Indices (ascending, unique) of the points to draw for `series` over the index range
 * [from, to), when that range is spread over `columns` pixel columns. x is implicit and evenly
 * spaced (epochs), so index i falls in column floor((i − from) · columns / (to − from)).
 * Non-finite values (gaps, or log-scale non-positives turned to NaN) are skipped, except the
 * first gap after finite data (at most one per column) so a line break stays a break.
 */
export function decimateIndices(
  series: ReadonlyArray<ArrayLike<number>>,
  from: number,
  to: number,
  columns: number,
): Uint32Array {
  const count = to - from;
  if (count <= 0) return new Uint32Array(0);
  columns = Math.max(1, Math.floor(columns));
  // Below ~4 points per column there is nothing to gain: draw everything.
  if (count <= columns * 4) {
    const all = new Uint32Array(count);
    for (let i = 0; i < count; i++) all[i] = from + i;
    return all;
  }
  const keep = new Uint8Array(count);
  const scale = columns / count;
  for (const values of series) {
    let column = -1;
    let firstIdx = -1;
    let lastIdx = -1;
    let minIdx = -1;
    let maxIdx = -1;
    let gapKept = false;
    let dataSinceGap = false;
    const flush = () => {
      if (firstIdx < 0) return;
      keep[firstIdx - from] = 1;
      keep[lastIdx - from] = 1;
      keep[minIdx - from] = 1;
      keep[maxIdx - from] = 1;
    };
    for (let i = from; i < to; i++) {
      const c = Math.floor((i - from) * scale);
      if (c !== column) {
        flush();
        column = c;
        firstIdx = lastIdx = minIdx = maxIdx = -1;
        gapKept = false;
      }
      const y = values[i];
      if (!Number.isFinite(y)) {
        // Keep one gap per column after data, so the chart breaks the line there too.
        if (!gapKept && dataSinceGap) {
          keep[i - from] = 1;
          gapKept = true;
          dataSinceGap = false;
        }
        continue;
      }
      dataSinceGap = true;
      if (firstIdx < 0) {
        firstIdx = lastIdx = minIdx = maxIdx = i;
        continue;
      }
      lastIdx = i;
      if (y < values[minIdx]) minIdx = i;
      if (y > values[maxIdx]) maxIdx = i;
    }
    flush();
  }
  let kept = 0;
  for (let i = 0; i < count; i++) kept += keep[i];
  const out = new Uint32Array(kept);
  for (let i = 0, k = 0; i < count; i++) if (keep[i]) out[k++] = from + i;
  return out;
}

/** Gathers `values` at `indices` into a plain array with null for gaps, as uPlot expects. */
export function gather(values: ArrayLike<number>, indices: Uint32Array): (number | null)[] {
  const out = new Array<number | null>(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const y = values[indices[k]];
    out[k] = Number.isFinite(y) ? y : null;
  }
  return out;
}
