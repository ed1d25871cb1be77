// The loss chart: a uPlot line chart with one x (epoch) shared by every run, loss on the left
// axis, accuracy-like metrics and other metrics on right axes. Data reaches uPlot decimated per
// pixel column (see decimate.ts), so a 100,000-epoch history costs the same to draw as one with
// a few thousand; the hover readout reads the full-resolution store, not the decimated copy.
import uPlot from 'uplot';
import { themedAxis, withAlpha, type ChartTheme } from '../shared/theme';
import { decimateIndices } from './decimate';
import { axisOf, compareKeys, isValidationKey, type AxisKind } from './metricKeys';
import type { Column, RunStore, StoredRun } from './runStore';

export interface SeriesInfo {
  /** `${runId}\u0000${key}`: stable across rebuilds, used for the hidden set. */
  id: string;
  run: StoredRun;
  key: string;
  column: Column;
  axis: AxisKind;
  color: string;
  dash: number[];
}

/** A zoomed epoch range as 0-based indices [from, to). */
export interface ZoomRange {
  from: number;
  to: number;
}

export interface ChartOptions {
  logScale: boolean;
  hidden: ReadonlySet<string>;
  theme: ChartTheme;
}

/** Figures of the last redraw, shown as data-* attributes for tests and the curious. */
export interface DrawStats {
  series: number;
  /** The value axes shown, in order: "loss", then "ratio" and/or "metric". */
  axes: string;
  points: number;
  epochs: number;
  ms: number;
}

const DASHES: Record<string, number[]> = {
  train: [],
  val: [6, 4],
};

export function seriesOf(store: RunStore, theme: ChartTheme): SeriesInfo[] {
  const out: SeriesInfo[] = [];
  let runIndex = 0;
  for (const run of store.runs.values()) {
    const color = theme.palette[runIndex++ % theme.palette.length];
    const keys = [...run.columns.keys()].sort(compareKeys);
    for (const key of keys) {
      const axis = axisOf(key);
      // Metrics are told apart from the losses of the same run by a thinner, dotted stroke.
      const dash = axis === 'loss' ? DASHES[isValidationKey(key) ? 'val' : 'train'] : isValidationKey(key) ? [6, 3, 1, 3] : [1, 3];
      out.push({ id: `${run.runId}\u0000${key}`, run, key, column: run.columns.get(key)!, axis, color, dash });
    }
  }
  return out;
}

const EPOCH_INCREMENTS = Array.from({ length: 8 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();

const SCALE_OF: Record<AxisKind, string> = { loss: 'loss', ratio: 'ratio', metric: 'metric' };
const AXIS_LABEL: Record<AxisKind, string> = { loss: 'loss', ratio: 'accuracy', metric: 'metric' };

export class LossChart {
  private plot: uPlot | undefined;
  private series: SeriesInfo[] = [];
  private smoothing = false;
  private logScale = false;
  /** Index into the full-resolution columns for each point handed to uPlot. */
  private kept: Uint32Array = new Uint32Array(0);
  /**
   * The zoomed range, or null for every epoch. Zooming re-decimates just that range, so at
   * 100,000 epochs a drag over 50 of them shows each one, not the overview's envelope.
   */
  private zoomRange: ZoomRange | null = null;
  stats: DrawStats = { series: 0, axes: 'loss', points: 0, epochs: 0, ms: 0 };
  private axesShown = 'loss';

  constructor(
    private readonly host: HTMLElement,
    private readonly store: RunStore,
    private readonly onHover: (epoch: number | null) => void,
    private readonly onZoom: (range: ZoomRange | null) => void = () => {},
  ) {}

  get zoom(): ZoomRange | null {
    return this.zoomRange;
  }

  /** Shows epochs [from, to) (0-based), or all of them for null. */
  setZoom(range: ZoomRange | null): void {
    const epochs = this.store.maxEpochs;
    if (range) {
      const from = Math.max(0, Math.floor(range.from));
      const to = Math.min(epochs, Math.ceil(range.to));
      // Fewer than two epochs is no line at all: treat it as a click, not a zoom.
      range = to - from >= 2 ? { from, to } : null;
      if (!range && this.zoomRange) return;
    }
    this.zoomRange = range;
    if (this.plot) {
      const started = performance.now();
      this.plot.setData(this.data());
      this.finishDraw(performance.now() - started);
    }
    this.onZoom(range);
  }

  /** Recreates the plot: new series, a theme change, log scale or smoothing switched on/off. */
  rebuild(options: ChartOptions): void {
    this.plot?.destroy();
    this.plot = undefined;
    const { theme, logScale, hidden } = options;
    this.series = seriesOf(this.store, theme);
    this.smoothing = this.store.smoothingWeight > 0;
    this.logScale = logScale;
    const axesUsed = new Set(this.series.map((s) => s.axis));
    const uSeries: uPlot.Series[] = [{ label: 'epoch' }];
    for (const s of this.series) {
      const show = !hidden.has(s.id);
      const label = `${s.run.label} ${s.key}`;
      if (this.smoothing) {
        // TensorBoard's look: the raw curve faded behind the smoothed one.
        uSeries.push({ label: `${label} (raw)`, scale: SCALE_OF[s.axis], stroke: fade(s.color, theme), width: 1, dash: s.dash, show, points: { show: false } });
      }
      uSeries.push({ label, scale: SCALE_OF[s.axis], stroke: s.color, width: theme.highContrast ? 2.5 : 1.75, dash: s.dash, show, points: { show: false } });
    }
    const axisBase = themedAxis(theme);
    // Epochs are whole numbers: no "1.5" ticks on a three-epoch run.
    const axes: uPlot.Axis[] = [{ ...axisBase, label: 'epoch', incrs: EPOCH_INCREMENTS }];
    const scales: uPlot.Scales = { x: { time: false } };
    // The loss axis is always present so an empty chart still has its frame.
    axes.push({ ...axisBase, scale: 'loss', label: logScale ? 'loss (log)' : 'loss', size: 60 });
    scales.loss = logScale ? { distr: 3, log: 10 } : { auto: true };
    const shown = ['loss'];
    for (const kind of ['ratio', 'metric'] as const) {
      if (!axesUsed.has(kind)) continue;
      shown.push(kind);
      axes.push({ ...axisBase, scale: kind, label: AXIS_LABEL[kind], side: 1, grid: { show: false }, size: 60 });
      scales[kind] = kind === 'metric' && logScale ? { distr: 3, log: 10 } : { auto: true };
    }
    this.axesShown = shown.join(',');
    const { width, height } = this.size();
    this.plot = new uPlot(
      {
        width,
        height,
        series: uSeries,
        axes,
        scales,
        legend: { show: false },
        // Room on the right for the last x tick label ("100,000").
        padding: [12, 24, 0, 0],
        // Dragging selects epochs to zoom to; uPlot's own zoom would only rescale the decimated
        // overview, so the selection is handled here and re-decimated (setZoom).
        cursor: {
          drag: { x: true, y: false, setScale: false },
          points: { show: false },
          y: false,
          bind: {
            // Double-click shows every epoch again (uPlot's default would reset to the data,
            // which while zoomed is only the zoomed range).
            dblclick: () => () => {
              this.setZoom(null);
              return null;
            },
          },
        },
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width < 3) return;
              const from = u.posToVal(u.select.left, 'x') - 1;
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              this.setZoom({ from, to });
            },
          ],
          setCursor: [
            (u) => {
              const left = u.cursor.left;
              if (left === undefined || left < 0 || this.kept.length === 0) return this.onHover(null);
              const epoch = Math.round(u.posToVal(left, 'x'));
              this.onHover(epoch >= 1 && epoch <= this.store.maxEpochs ? epoch : null);
            },
          ],
        },
      },
      this.data(),
      this.host,
    );
    this.finishDraw(0);
  }

  /** Hands the current store contents to the plot: the cheap path for a new epoch. */
  redraw(): void {
    if (!this.plot) return;
    const started = performance.now();
    this.plot.setData(this.data());
    this.finishDraw(performance.now() - started);
  }

  resize(): void {
    if (!this.plot) return;
    this.plot.setSize(this.size());
    // The column count changed: decimate again for the new width.
    this.redraw();
  }

  setVisible(id: string, visible: boolean): void {
    if (!this.plot) return;
    const index = this.series.findIndex((s) => s.id === id);
    if (index < 0) return;
    const perSeries = this.smoothing ? 2 : 1;
    for (let k = 0; k < perSeries; k++) this.plot.setSeries(1 + index * perSeries + k, { show: visible });
  }

  get seriesInfo(): readonly SeriesInfo[] {
    return this.series;
  }

  get canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  /** The decimated x and y arrays for uPlot, log-scale non-positives turned into gaps. */
  private data(): uPlot.AlignedData {
    const started = performance.now();
    const epochs = this.store.maxEpochs;
    const from = this.zoomRange ? Math.min(this.zoomRange.from, epochs) : 0;
    const to = this.zoomRange ? Math.min(this.zoomRange.to, epochs) : epochs;
    const columns = this.plot ? Math.max(1, Math.round(this.plot.bbox.width)) : Math.round(this.size().width * devicePixelRatio);
    const arrays: ArrayLike<number>[] = [];
    for (const s of this.series) {
      arrays.push(s.column.values);
      if (this.smoothing) arrays.push(s.column.smoothed);
    }
    const kept = decimateIndices(arrays, from, to, columns);
    this.kept = kept;
    const x = new Array<number>(kept.length);
    for (let k = 0; k < kept.length; k++) x[k] = kept[k] + 1;
    const ys: (number | null)[][] = [];
    for (const s of this.series) {
      if (this.smoothing) ys.push(this.gather(s, s.column.values, kept));
      ys.push(this.gather(s, this.smoothing ? s.column.smoothed : s.column.values, kept));
    }
    this.stats.ms = performance.now() - started;
    return [x, ...ys];
  }

  private gather(s: SeriesInfo, values: Float64Array, kept: Uint32Array): (number | null)[] {
    const positiveOnly = this.logScale && s.axis !== 'ratio';
    const length = s.column.length;
    const out = new Array<number | null>(kept.length);
    for (let k = 0; k < kept.length; k++) {
      const i = kept[k];
      const y = i < length ? values[i] : NaN;
      out[k] = Number.isFinite(y) && (!positiveOnly || y > 0) ? y : null;
    }
    return out;
  }

  private finishDraw(setDataMs: number): void {
    this.stats = {
      series: this.series.length,
      axes: this.axesShown,
      points: this.kept.length,
      epochs: this.store.maxEpochs,
      ms: this.stats.ms + setDataMs,
    };
  }

  private size(): { width: number; height: number } {
    const rect = this.host.getBoundingClientRect();
    return { width: Math.max(200, Math.floor(rect.width)), height: Math.max(180, Math.floor(rect.height)) };
  }
}

function fade(color: string, theme: ChartTheme): string {
  // High contrast keeps raw curves clearly visible.
  return withAlpha(color, theme.highContrast ? 0.55 : 0.3);
}
