// The comparison table's data, built from the saved runs the host sends: one row per run, the
// run's own columns (model, file, parameters, status), one column per train setting that is
// not the same in every run (the ones that are go in `common`), the final and best value of
// every logged metric, and the duration and backend. Pure: the page only renders it, and the
// unit tests read it directly.
import { formatCount, formatValue, type TrainSettings } from '../../src/language';
import { axisOf, compareKeys } from '../loss/metricKeys';
import type { ComparedRun } from '../protocol';

export type CellValue = string | number | null;

export type ColumnGroup = 'run' | 'setting' | 'metric';

export interface ComparisonColumn {
  key: string;
  label: string;
  group: ColumnGroup;
  /** Numbers sort and align as numbers; text sorts alphabetically. */
  type: 'text' | 'number';
  /** A metric column's better direction, so the page can mark the best run. */
  better?: 'min' | 'max';
  /** How the page writes a number: a count (10,400), seconds (12.3 s) or a metric value. */
  format?: 'count' | 'seconds' | 'value';
}

export interface ComparisonRow {
  /** The run's folder: what a click opens. */
  runPath: string;
  cells: Record<string, CellValue>;
}

export interface RunComparison {
  columns: ComparisonColumn[];
  rows: ComparisonRow[];
  /** Settings every run shares, for a line above the table ("batch size 32, seed 42, ..."). */
  common: { label: string; value: string }[];
}

interface SettingSpec {
  key: string;
  label: string;
  value: (s: TrainSettings, run: ComparedRun) => CellValue;
}

/** The train settings in the order a Keras user writes them: compile(), then fit(). */
const SETTINGS: SettingSpec[] = [
  { key: 'data', label: 'data', value: (_s, run) => run.meta.data },
  { key: 'optimizer', label: 'optimizer', value: (s) => s.optimizer.name },
  { key: 'loss_fn', label: 'loss function', value: (s) => s.loss },
  { key: 'metrics', label: 'metrics', value: (s) => s.metrics.join(', ') },
  { key: 'epochs', label: 'epochs', value: (s) => s.epochs },
  { key: 'batch_size', label: 'batch size', value: (s) => s.batchSize },
  { key: 'validation_split', label: 'validation split', value: (s) => s.validationSplit },
  { key: 'shuffle', label: 'shuffle', value: (s) => String(s.shuffle) },
  // A run without a seed was not reproducible: say so rather than leave the cell blank.
  { key: 'seed', label: 'seed', value: (s) => (s.seed === null ? 'random' : s.seed) },
];

/** Optimizer arguments (learning_rate, momentum, beta_1, ...) as settings of their own, after the optimizer. */
function optimizerArgs(runs: readonly ComparedRun[]): SettingSpec[] {
  const names = new Set<string>();
  for (const run of runs) for (const name of Object.keys(run.meta.settings.optimizer?.args ?? {})) names.add(name);
  // learning_rate first: it is the one people tune.
  const ordered = [...names].sort((a, b) => (a === 'learning_rate' ? -1 : b === 'learning_rate' ? 1 : a.localeCompare(b)));
  return ordered.map((name) => ({
    key: `optimizer.${name}`,
    label: name.replace(/_/g, ' '),
    value: (s) => {
      const v = s.optimizer?.args?.[name];
      return v === undefined ? null : typeof v === 'boolean' ? String(v) : v;
    },
  }));
}

const RUN_COLUMNS: ComparisonColumn[] = [
  { key: 'run', label: 'run', group: 'run', type: 'text' },
  { key: 'model', label: 'model', group: 'run', type: 'text' },
  { key: 'file', label: 'file', group: 'run', type: 'text' },
  { key: 'status', label: 'status', group: 'run', type: 'text' },
  { key: 'params', label: 'params', group: 'run', type: 'number', format: 'count' },
];

const TAIL_COLUMNS: ComparisonColumn[] = [
  { key: 'epochs_run', label: 'epochs run', group: 'run', type: 'number', format: 'count' },
  { key: 'duration', label: 'duration', group: 'run', type: 'number', format: 'seconds' },
  { key: 'backend', label: 'backend', group: 'run', type: 'text' },
];

/** Accuracy and its kind are better high; losses and error measures (mae, mse, ...) low. */
export function betterDirection(key: string): 'min' | 'max' {
  return axisOf(key) === 'ratio' ? 'max' : 'min';
}

/** The last finite value of a history column (a diverged run's last epochs may be NaN). */
export function finalValue(values: readonly (number | null)[] | undefined): number | null {
  for (let i = (values?.length ?? 0) - 1; i >= 0; i--) {
    const v = values![i];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** The best finite value of a history column in the metric's better direction. */
export function bestValue(values: readonly (number | null)[] | undefined, better: 'min' | 'max'): number | null {
  let best: number | null = null;
  for (const v of values ?? []) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (best === null || (better === 'min' ? v < best : v > best)) best = v;
  }
  return best;
}

/** "2026-11-22 01:47:05" from an ISO timestamp (UTC, as runs are named). */
function runTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

function sameValue(values: CellValue[]): boolean {
  return values.every((v) => v === values[0]);
}

function describe(value: CellValue): string {
  return typeof value === 'string' ? value : formatValue(value);
}

export function buildComparison(runs: readonly ComparedRun[]): RunComparison {
  const settings = [...SETTINGS.slice(0, 2), ...optimizerArgs(runs), ...SETTINGS.slice(2)];
  const settingColumns: ComparisonColumn[] = [];
  const common: RunComparison['common'] = [];
  const settingValues = new Map<string, CellValue[]>();
  for (const spec of settings) {
    const values = runs.map((run) => spec.value(run.meta.settings, run));
    settingValues.set(spec.key, values);
    // One run has nothing to differ from: every setting is a column then, so the table still
    // says how it was trained.
    if (runs.length > 1 && sameValue(values)) {
      common.push({ label: spec.label, value: describe(values[0]) });
      continue;
    }
    settingColumns.push({ key: spec.key, label: spec.label, group: 'setting', type: values.every((v) => v === null || typeof v === 'number') ? 'number' : 'text' });
  }

  const metricKeys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.history ?? {})) metricKeys.add(key);
  const metricColumns: ComparisonColumn[] = [];
  for (const key of [...metricKeys].sort(compareKeys)) {
    const better = betterDirection(key);
    metricColumns.push({ key: `final:${key}`, label: `final ${key}`, group: 'metric', type: 'number', better, format: 'value' });
    metricColumns.push({ key: `best:${key}`, label: `best ${key}`, group: 'metric', type: 'number', better, format: 'value' });
  }

  const rows = runs.map((run, i): ComparisonRow => {
    const cells: Record<string, CellValue> = {
      run: runTime(run.meta.finishedAt),
      model: run.meta.model,
      file: run.file,
      status: run.status,
      params: run.meta.params,
      epochs_run: run.meta.epochs,
      duration: run.meta.seconds,
      backend: run.meta.backend,
    };
    for (const column of settingColumns) cells[column.key] = settingValues.get(column.key)![i];
    for (const key of metricKeys) {
      const values = run.history?.[key];
      cells[`final:${key}`] = finalValue(values);
      cells[`best:${key}`] = bestValue(values, betterDirection(key));
    }
    return { runPath: run.path, cells };
  });

  return { columns: [...RUN_COLUMNS, ...settingColumns, ...metricColumns, ...TAIL_COLUMNS], rows, common };
}

/** A cell as the page writes it: counts with thousands separators, seconds with their unit. */
export function formatCell(value: CellValue, column: ComparisonColumn): string {
  if (typeof value === 'string') return value;
  if (value === null) return formatValue(null);
  if (column.format === 'count') return formatCount(value);
  if (column.format === 'seconds') return `${formatValue(value)} s`;
  return formatValue(value);
}

/** The row(s) holding a metric column's best value, for the page to mark. */
export function bestRows(comparison: RunComparison, column: ComparisonColumn): Set<string> {
  const marked = new Set<string>();
  if (!column.better || comparison.rows.length < 2) return marked;
  const values = comparison.rows.map((r) => r.cells[column.key]).filter((v): v is number => typeof v === 'number');
  if (values.length === 0) return marked;
  const best = column.better === 'min' ? Math.min(...values) : Math.max(...values);
  for (const row of comparison.rows) if (row.cells[column.key] === best) marked.add(row.runPath);
  return marked;
}
