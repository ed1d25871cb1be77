// Windows over a labelled recording (accelerometer rows tagged walking, running, ...): every
// `stride` steps a window of `steps` rows becomes one sample, its target the one-hot class of
// the window. A window whose rows carry more than one label spans a change of activity: by
// default it is dropped, since neither activity describes it; `mixed` can keep it instead,
// labelled by its last row or by the label most of its rows carry (ties go to the label seen
// latest in the window, the one the recording was changing to).

import type { MixedWindows } from '../../language';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import type { Series, SeriesLabels } from './series';

export interface LabelledDataset extends Dataset {
  /** Class names in the order of the one-hot targets (and of the model's outputs). */
  classNames: string[];
  /** Windows per class, in that order. */
  counts: number[];
  /** Windows left out because they span two labels (mixed="drop"). */
  dropped: number;
}

export interface WindowOptions {
  steps: number;
  stride: number;
  mixed: MixedWindows;
  /** Names the data in errors: the CSV path. */
  source: string;
}

export function labelledWindows(series: Series, options: WindowOptions): LabelledDataset {
  const { steps, stride, mixed, source } = options;
  const labels = series.labels;
  if (!labels) throw new DataError(`${source}: no label column was read.`);
  if (!Number.isInteger(steps) || steps < 1) throw new DataError(`window(): steps must be a positive integer, not ${steps}.`);
  if (!Number.isInteger(stride) || stride < 1) throw new DataError(`window(): stride must be a positive integer, not ${stride}.`);
  if (series.length < steps) {
    throw new DataError(`${source} has ${series.length} data row(s): too few for one window of ${steps} steps.`);
  }
  const starts = Math.floor((series.length - steps) / stride) + 1;
  const runStart = runStarts(labels.ids);
  const classes = labels.classNames.length;
  const counts = new Array<number>(classes).fill(0);
  // First pass: the class of every window (-1: dropped), so that the arrays are allocated
  // once at their final size.
  const windowClass = new Int32Array(starts);
  const tally = new Int32Array(classes);
  let kept = 0;
  for (let w = 0; w < starts; w++) {
    const start = w * stride;
    const last = start + steps - 1;
    // The window is pure when the run of equal labels its last row ends began at or before it.
    const pure = runStart[last] <= start;
    const cls = pure || mixed === 'last' ? labels.ids[last] : mixed === 'majority' ? majority(labels, start, last, tally) : -1;
    windowClass[w] = cls;
    if (cls >= 0) {
      counts[cls]++;
      kept++;
    }
  }
  if (kept === 0) {
    throw new DataError(
      `${source}: every window of ${steps} steps spans two labels, and such windows are dropped. ` +
        'Use fewer steps, or keep them with mixed="last" or mixed="majority".',
    );
  }

  const f = series.features;
  const x = new Float32Array(kept * steps * f);
  const y = new Float32Array(kept * classes);
  let n = 0;
  for (let w = 0; w < starts; w++) {
    const cls = windowClass[w];
    if (cls < 0) continue;
    const start = w * stride;
    // Consecutive steps are contiguous in the series, so each window is one copy.
    x.set(series.values.subarray(start * f, (start + steps) * f), n * steps * f);
    y[n * classes + cls] = 1;
    n++;
  }
  return {
    x: { values: x, shape: [kept, steps, f] },
    y: { values: y, shape: [kept, classes] },
    classNames: labels.classNames,
    counts,
    dropped: starts - kept,
  };
}

/** For every row, the index of the first row of the run of equal labels it belongs to. */
function runStarts(ids: Uint16Array): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 1; i < ids.length; i++) out[i] = ids[i] === ids[i - 1] ? out[i - 1] : i;
  return out;
}

/** The label most rows of [start, last] carry; on a tie, the one seen latest. */
function majority(labels: SeriesLabels, start: number, last: number, tally: Int32Array): number {
  tally.fill(0);
  for (let i = start; i <= last; i++) tally[labels.ids[i]]++;
  let best = -1;
  // From the end backwards, so that among equal counts the latest label wins.
  for (let i = last; i >= start; i--) {
    const id = labels.ids[i];
    if (best < 0 || tally[id] > tally[best]) best = id;
  }
  return best;
}
