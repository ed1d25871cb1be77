// Sliding windows over a series: the course notebooks' split_sequence. For every start i, the input is
// steps [i, i + steps) and the label the next `horizon` values of the target column; windows
// stop as soon as the label would run past the end (so [10..90], steps 3, horizon 2 gives
// five windows, [10 20 30] → [40 50] to [50 60 70] → [80 90]).

import type { Dataset } from './dataset';
import { DataError } from './errors';
import { type Series, seriesFromValues } from './series';

export function window(series: Series | number[] | number[][], steps: number, horizon = 1): Dataset {
  const s = Array.isArray(series) ? seriesFromValues(series) : series;
  if (!Number.isInteger(steps) || steps < 1) throw new DataError(`window(): steps must be a positive integer, not ${steps}.`);
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new DataError(`window(): horizon must be a positive integer, not ${horizon}.`);
  }
  const n = Math.max(0, s.length - steps - horizon + 1);
  const f = s.features;
  const x = new Float32Array(n * steps * f);
  const y = new Float32Array(n * horizon);
  for (let i = 0; i < n; i++) {
    // Consecutive steps are contiguous in the series, so each input window is one copy.
    x.set(s.values.subarray(i * f, (i + steps) * f), i * steps * f);
    y.set(s.target.subarray(i + steps, i + steps + horizon), i * horizon);
  }
  return { x: { values: x, shape: [n, steps, f] }, y: { values: y, shape: [n, horizon] } };
}
