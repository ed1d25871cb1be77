// The loss panel's data: every run's per-epoch logs in columnar, growable Float64Arrays indexed
// by epoch − 1 (gaps are NaN), with each column's smoothed copy kept up to date incrementally.
// Appending an epoch is O(1) per logged key, so a live run never re-copies or re-smooths its
// history; only a change of smoothing weight re-smooths everything. No DOM here: it is
// unit-tested in Node.
import type { EpochLogs, EpochRecord, RunRecord, RunStatus } from '../protocol';
import type { ModelInfo, TrainSettings } from '../../src/language';
import type { LayerTrainingPath } from '../../src/training/trainingPaths';
import { IncrementalSmoother, smoothSeries } from './smoothing';

/** A column that doubles its buffer when full, like a vector. */
export class Column {
  values = new Float64Array(16).fill(NaN);
  smoothed = new Float64Array(16).fill(NaN);
  length = 0;
  private smoother: IncrementalSmoother;

  constructor(weight: number) {
    this.smoother = new IncrementalSmoother(weight);
  }

  /** Sets the value at `index`; returns false when it rewrote history (caller re-smooths). */
  set(index: number, value: number): boolean {
    if (index < this.length) {
      this.values[index] = value;
      return false;
    }
    this.reserve(index + 1);
    // Epochs that never arrived stay NaN; the smoother passes NaN through without counting it.
    for (let i = this.length; i < index; i++) this.smoother.push(this.values, i, this.smoothed);
    this.values[index] = value;
    this.length = index + 1;
    this.smoother.push(this.values, index, this.smoothed);
    return true;
  }

  resmooth(weight: number): void {
    this.smoother = new IncrementalSmoother(weight);
    const view = this.values.subarray(0, this.length);
    // Batch smoothing, then a fresh incremental smoother brought to the same state by replay.
    this.smoothed.set(smoothSeries(view, weight));
    const scratch = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) this.smoother.push(view, i, scratch);
  }

  private reserve(size: number): void {
    if (size <= this.values.length) return;
    let capacity = this.values.length;
    while (capacity < size) capacity *= 2;
    const values = new Float64Array(capacity).fill(NaN);
    values.set(this.values.subarray(0, this.length));
    const smoothed = new Float64Array(capacity).fill(NaN);
    smoothed.set(this.smoothed.subarray(0, this.length));
    this.values = values;
    this.smoothed = smoothed;
  }
}

/** What identifies a run and how it was trained: the same in memory and in saved state. */
export interface RunHeader {
  runId: string;
  label: string;
  model: ModelInfo;
  backend: string;
  settings: TrainSettings;
  /** Which path trains each recurrent layer and why (absent in runs from before it was said). */
  paths?: LayerTrainingPath[];
  status: RunStatus;
}

/** The header fields of a run (in memory, saved or a record), and nothing else. */
export function runHeader(run: RunHeader): RunHeader {
  const { runId, label, model, backend, settings, paths, status } = run;
  return { runId, label, model, backend, settings, ...(paths ? { paths } : {}), status };
}

export interface StoredRun extends RunHeader {
  /** Why a failed run failed, as the host reported it. */
  error?: string;
  /** Logged key (loss, val_loss, acc, ...) → column, in the order keys first appeared. */
  columns: Map<string, Column>;
  epochCount: number;
}

/** What changed, so the chart knows whether to add series (rebuild) or just redraw. */
export interface StoreChange {
  structural: boolean;
}

export class RunStore {
  readonly runs = new Map<string, StoredRun>();
  private weight: number;

  constructor(smoothingWeight: number) {
    this.weight = smoothingWeight;
  }

  get smoothingWeight(): number {
    return this.weight;
  }

  setSmoothing(weight: number): void {
    if (weight === this.weight) return;
    this.weight = weight;
    for (const run of this.runs.values()) for (const column of run.columns.values()) column.resmooth(weight);
  }

  /** Starts (or restarts, forgetting its epochs) a run. Always a structural change. */
  start(run: Omit<StoredRun, 'columns' | 'epochCount' | 'status' | 'label'> & { label?: string }): StoreChange {
    this.runs.set(run.runId, {
      ...run,
      label: run.label ?? run.model.name,
      status: 'running',
      columns: new Map(),
      epochCount: 0,
    });
    return { structural: true };
  }

  addEpoch(runId: string, epoch: number, logs: EpochLogs): StoreChange {
    const run = this.runs.get(runId);
    if (!run) return { structural: false };
    let structural = false;
    const index = Math.max(0, Math.floor(epoch) - 1);
    for (const [key, value] of Object.entries(logs)) {
      if (typeof value !== 'number') continue;
      let column = run.columns.get(key);
      if (!column) {
        column = new Column(this.weight);
        run.columns.set(key, column);
        structural = true;
      }
      if (!column.set(index, value)) column.resmooth(this.weight);
    }
    run.epochCount = Math.max(run.epochCount, index + 1);
    return { structural };
  }

  end(runId: string, status: RunStatus, error?: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.status = status;
    run.error = error;
  }

  load(record: RunRecord): void {
    this.start(record);
    const run = this.runs.get(record.runId)!;
    for (const { epoch, logs } of record.epochs) this.addEpoch(record.runId, epoch, logs);
    run.status = record.status;
  }

  remove(runId: string): void {
    this.runs.delete(runId);
  }

  clear(): void {
    this.runs.clear();
  }

  /** The longest run's epoch count: the x extent every series is aligned to. */
  get maxEpochs(): number {
    let max = 0;
    for (const run of this.runs.values()) max = Math.max(max, run.epochCount);
    return max;
  }

  /** Runs as saveable records (for setState and CSV), NaN gaps left out. */
  toRecords(): RunRecord[] {
    return [...this.runs.values()].map((run) => {
      const epochs: EpochRecord[] = [];
      for (let i = 0; i < run.epochCount; i++) {
        const logs: EpochLogs = {};
        let any = false;
        for (const [key, column] of run.columns) {
          const value = column.values[i];
          if (i < column.length && !Number.isNaN(value)) {
            logs[key] = value;
            any = true;
          }
        }
        if (any) epochs.push({ epoch: i + 1, logs });
      }
      return { ...runHeader(run), epochs };
    });
  }
}
