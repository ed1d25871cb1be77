// Loss panel data path at 100,000 epochs: TensorBoard smoothing kept incrementally vs re-smoothed
// on every epoch, and per-pixel-column decimation vs handing every point to the chart.
// Run: npx tsx bench/webview-smoothing.ts (or npm run bench -- webview).
import { loadavg } from 'node:os';
import { decimateIndices, gather } from '../webview/loss/decimate';
import { IncrementalSmoother, smoothSeries } from '../webview/loss/smoothing';

const N = 100_000;
const SERIES = 4; // loss, val_loss, and their smoothed copies, for one run
const COLUMNS = 800; // a typical plot width in device pixels
const WEIGHT = 0.6;

function timeMs(fn: () => void, repeat = 5): number {
  fn(); // warm up the JIT
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// A falling, noisy loss curve (deterministic).
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const series = Array.from({ length: SERIES }, (_, s) => Float64Array.from({ length: N }, (_, i) => (1 + s * 0.1) * Math.exp(-i / 15000) * (1 + 0.4 * (random() - 0.5))));
const values = series[0];

// --- smoothing: whole history, as on a slider change
const batchMs = timeMs(() => smoothSeries(values, WEIGHT));

// --- smoothing while training: append N epochs one by one
const incrementalMs = timeMs(() => {
  const smoother = new IncrementalSmoother(WEIGHT);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) smoother.push(values, i, out);
}, 3);
// Naive: re-smooth the whole history after every epoch. Quadratic, so measured on the last
// epochs only: the cost of one append once 100,000 epochs are in.
const naiveAppendMs = timeMs(() => {
  for (let k = 0; k < 20; k++) smoothSeries(values.subarray(0, N - k), WEIGHT);
}, 3) / 20;
const naiveTotalEstimateS = (naiveAppendMs * N) / 2 / 1000; // average history is N/2

// --- decimation for drawing
let kept: Uint32Array = new Uint32Array(0);
const decimateMs = timeMs(() => {
  kept = decimateIndices(series, 0, N, COLUMNS);
  for (const s of series) gather(s, kept);
});
const allIndices = Uint32Array.from({ length: N }, (_, i) => i);
const fullGatherMs = timeMs(() => {
  for (const s of series) gather(s, allIndices);
});

const rows: [string, string][] = [
  ['points per series', N.toLocaleString('en-US')],
  ['smoothing, whole history (slider change)', `${batchMs.toFixed(2)} ms`],
  ['smoothing, incremental: all 100,000 appends', `${incrementalMs.toFixed(2)} ms (${((incrementalMs / N) * 1e6).toFixed(0)} ns per epoch)`],
  ['smoothing, naive: one append at 100,000 epochs', `${naiveAppendMs.toFixed(3)} ms (${(naiveAppendMs / (incrementalMs / N)).toFixed(0)}× the incremental cost)`],
  ['smoothing, naive: all 100,000 appends (estimate)', `${naiveTotalEstimateS.toFixed(1)} s`],
  [`decimation to ${COLUMNS} columns, ${SERIES} series + gather`, `${decimateMs.toFixed(2)} ms → ${kept.length.toLocaleString('en-US')} points (of ${(N * SERIES).toLocaleString('en-US')} values: ${(kept.length / N * 100).toFixed(1)}% of x)`],
  [`no decimation: gather all ${SERIES} series`, `${fullGatherMs.toFixed(2)} ms → ${N.toLocaleString('en-US')} points for the chart to path`],
  ['load average (1, 5, 15 min)', loadavg().map((l) => l.toFixed(1)).join(', ')],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
