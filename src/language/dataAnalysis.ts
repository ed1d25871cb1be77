import type * as A from './ast';
import { bindArgs, type Bound } from './bind';
import { type DiagnosticSink } from './diagnosticCollector';
import { diagnostic } from './diagnostics';
import { evaluate, type Scope } from './evaluate';
import type { ArgSpec } from './layers/spec';
import type { CsvSeriesSpec, DataInfo, DataSpec, LabelledWindowsSpec, MixedWindows, SeriesSpec } from './model';
import { closest } from './suggest';
import type { Value } from './values';

// Data sources: what they produce is known from their arguments alone (a CSV file's row count
// is the one thing only the training run learns), so shapes can be checked while typing.

/** Series that window(...) cuts into samples; they are not data sources on their own. */
export const SERIES_SOURCES: Record<string, ArgSpec[]> = {
  csv: [
    { name: 'path', type: { t: 'string' }, required: true, positional: true, doc: 'CSV file, relative to this .seqmodel file.' },
    { name: 'columns', type: { t: 'any' }, doc: 'Columns to read (names or 0-based indices); default all.' },
    { name: 'target', type: { t: 'any' }, doc: 'The column to forecast; default the first column read.' },
    {
      name: 'label',
      type: { t: 'any' },
      doc: 'A column of class labels (walking, running, ...): each window is classified by it instead of forecasting.',
    },
    {
      name: 'class_names',
      type: { t: 'list', item: { t: 'string' } },
      doc: "With label: the classes in output order (as Keras's class_names); default the labels found, sorted.",
    },
    { name: 'header', type: { t: 'bool' }, doc: 'Whether the first row holds column names; detected when not given.' },
    { name: 'delimiter', type: { t: 'string' }, default: ',' },
  ],
  sine: [
    { name: 'length', type: { t: 'int', min: 2 }, default: 1000, positional: true, doc: 'Number of time steps.' },
    { name: 'period', type: { t: 'float', min: 0 }, default: 50, doc: 'Steps per cycle.' },
    { name: 'amplitude', type: { t: 'float' }, default: 1 },
    { name: 'noise', type: { t: 'float', min: 0 }, default: 0.1, doc: 'Standard deviation of the Gaussian noise added.' },
    { name: 'seed', type: { t: 'int' }, default: 1 },
  ],
};

export const DATA_SOURCES: Record<string, ArgSpec[]> = {
  window: [
    { name: 'series', type: { t: 'expr' }, required: true, positional: true, doc: 'A list of values, csv(...) or sine(...).' },
    { name: 'steps', type: { t: 'int', min: 1 }, required: true, positional: true, doc: 'Input time steps per sample (seq_len).' },
    { name: 'horizon', type: { t: 'int', min: 1 }, default: 1, positional: true, doc: 'Future steps to predict (n_steps).' },
    { name: 'stride', type: { t: 'int', min: 1 }, default: 1, doc: "With a label column: steps between the starts of windows (Keras's sequence_stride)." },
    {
      name: 'mixed',
      type: { t: 'enum', values: ['drop', 'last', 'majority'] },
      default: 'drop',
      doc: 'With a label column: a window spanning two labels is dropped ("drop"), or labelled by its last row ("last") or by most of its rows ("majority").',
    },
  ],
  echo: [
    { name: 'samples', type: { t: 'int', min: 1 }, default: 1000, doc: 'Number of sequences.' },
    { name: 'length', type: { t: 'int', min: 1 }, default: 5, doc: 'Steps per sequence.' },
    { name: 'features', type: { t: 'int', min: 2 }, default: 10, doc: 'Number of distinct integers (one-hot width).' },
    { name: 'index', type: { t: 'int', min: 0 }, default: 2, doc: 'The step whose value is the label.' },
    { name: 'seed', type: { t: 'int' }, default: 1 },
  ],
  sentiment: [
    { name: 'samples', type: { t: 'int', min: 2 }, default: 2000 },
    { name: 'vocab', type: { t: 'int', min: 10 }, default: 10000, doc: 'Vocabulary size (ids 1..vocab-1; 0 pads).' },
    { name: 'maxlen', type: { t: 'int', min: 1 }, default: 100, doc: 'Sequence length (padded).' },
    { name: 'seed', type: { t: 'int' }, default: 1 },
  ],
};

const PREVIEW_WINDOWS = 20;

export function analyzeData(stmt: A.DataStmt, scope: Scope, out: DiagnosticSink): DataInfo | null {
  if (!stmt.name || !stmt.value) return null;
  const base = { name: stmt.name.name, span: stmt.span, nameSpan: stmt.name.span };
  const value = stmt.value;
  if (value.kind !== 'call') {
    if (value.kind !== 'error') {
      out.push(diagnostic('invalid-data', 'error', value.span, 'A data source is a call: window([...], steps=3, horizon=2), echo(...) or sentiment(...).'));
    }
    return null;
  }
  const kind = value.callee.name;
  if (kind in SERIES_SOURCES) {
    out.push(
      diagnostic('invalid-data', 'error', value.callee.span, `${kind}(...) is a series; cut it into samples with window(${kind}(...), steps=..., horizon=...).`, value.closed
        ? [{ title: 'Wrap in window(...)', edits: [{ span: { start: value.span.start, end: value.span.start }, newText: 'window(' }, { span: { start: value.span.end, end: value.span.end }, newText: ', steps=10, horizon=1)' }] }]
        : undefined),
    );
    return null;
  }
  const specs = DATA_SOURCES[kind];
  if (!specs) {
    const guess = closest(kind, Object.keys(DATA_SOURCES));
    out.push(
      diagnostic(
        'invalid-data',
        'error',
        value.callee.span,
        `Unknown data source '${kind}'.` + (guess ? ` Did you mean ${guess}?` : ' Use window(...), echo(...) or sentiment(...).'),
        guess ? [{ title: `Change to ${guess}`, edits: [{ span: value.callee.span, newText: guess }], preferred: true }] : undefined,
      ),
    );
    return null;
  }
  const bound = bindArgs(value, specs, { what: kind, scope, out });
  const v = bound.values;
  if (kind === 'echo') {
    if (!bound.ok) return null;
    const spec: DataSpec = { kind: 'echo', samples: v.samples as number, length: v.length as number, features: v.features as number, index: v.index as number, seed: v.seed as number };
    if (spec.index >= spec.length) {
      out.push(diagnostic('invalid-data', 'error', bound.spans.index ?? value.callee.span, `index ${spec.index} is past the end of sequences of length ${spec.length}: use 0 to ${spec.length - 1}.`));
      return null;
    }
    return { ...base, spec, xShape: [spec.samples, spec.length, spec.features], yShape: [spec.samples, spec.features] };
  }
  if (kind === 'sentiment') {
    if (!bound.ok) return null;
    const spec: DataSpec = { kind: 'sentiment', samples: v.samples as number, vocab: v.vocab as number, maxlen: v.maxlen as number, seed: v.seed as number };
    return { ...base, spec, xShape: [spec.samples, spec.maxlen], yShape: [spec.samples, 1] };
  }
  // window(series, steps, horizon)
  const seriesExpr = value.args.find((a) => a.name?.name === 'series')?.value ?? value.args.find((a) => !a.name)?.value ?? null;
  const series = seriesExpr ? analyzeSeries(seriesExpr, scope, out) : null;
  if (!series || !bound.ok) return null;
  const steps = v.steps as number;
  const horizon = v.horizon as number;
  if (series.labels) return labelledWindows(base, series.spec as CsvSeriesSpec, series.labels, bound, out);
  for (const arg of ['stride', 'mixed'] as const) {
    if (bound.given.has(arg)) {
      out.push(diagnostic('invalid-data', 'error', bound.spans[arg], `${arg} applies to windows classified by a label column: csv(..., label="...").`));
      return null;
    }
  }
  const spec: DataSpec = { kind: 'window', series: series.spec, steps, horizon };
  if (series.length !== null) {
    const n = series.length - steps - horizon + 1;
    if (n <= 0) {
      out.push(
        diagnostic(
          'invalid-data',
          'error',
          bound.spans.steps ?? value.callee.span,
          `A series of ${series.length} values has no window of ${steps} steps followed by ${horizon} more: it needs at least ${steps + horizon} values.`,
        ),
      );
      return null;
    }
    const info: DataInfo = { ...base, spec, xShape: [n, steps, series.features], yShape: [n, horizon] };
    // The hover shows the first windows; a long literal need not be cut up whole.
    if (series.spec.kind === 'literal') info.preview = windows(series.spec.values.slice(0, steps + horizon + PREVIEW_WINDOWS - 1), steps, horizon, series.target);
    return info;
  }
  return { ...base, spec, xShape: [null, steps, series.features], yShape: [null, horizon] };
}

interface SeriesAnalysis {
  spec: SeriesSpec;
  /** Number of time steps, when known before reading any file. */
  length: number | null;
  features: number | null;
  target: number;
  /** A csv(...) with label=: the label column and the declared classes. */
  labels?: { column: string | number; classNames: string[] | null };
}

/**
 * window(csv(..., label=...), steps, stride, mixed): samples (steps, features) and one-hot
 * targets, one per class. The class count is known before training only when class_names
 * lists them: the engine reads no files.
 */
function labelledWindows(
  base: Pick<DataInfo, 'name' | 'span' | 'nameSpan'>,
  series: CsvSeriesSpec,
  labels: NonNullable<SeriesAnalysis['labels']>,
  bound: Bound,
  out: DiagnosticSink,
): DataInfo | null {
  if (bound.given.has('horizon')) {
    out.push(diagnostic('invalid-data', 'error', bound.spans.horizon, 'horizon forecasts future steps; windows classified by a label column have one label each. Remove horizon.'));
    return null;
  }
  const v = bound.values;
  const spec: LabelledWindowsSpec = {
    kind: 'labelledWindows',
    series,
    label: labels.column,
    classNames: labels.classNames,
    steps: v.steps as number,
    stride: v.stride as number,
    mixed: v.mixed as MixedWindows,
  };
  const features = series.columns ? series.columns.length : null;
  const classes = labels.classNames ? labels.classNames.length : null;
  return { ...base, spec, xShape: [null, spec.steps, features], yShape: [null, classes] };
}

function analyzeSeries(expr: A.Expr, scope: Scope, out: DiagnosticSink): SeriesAnalysis | null {
  if (expr.kind === 'call' && expr.callee.name in SERIES_SOURCES) {
    const kind = expr.callee.name as 'csv' | 'sine';
    const bound = bindArgs(expr, SERIES_SOURCES[kind], { what: kind, scope, out });
    if (!bound.ok) return null;
    const v = bound.values;
    if (kind === 'sine') {
      const spec: SeriesSpec = { kind: 'sine', length: v.length as number, period: v.period as number, amplitude: v.amplitude as number, noise: v.noise as number, seed: v.seed as number };
      return { spec, length: spec.length, features: 1, target: 0 };
    }
    const columns = columnList(bound.raw.columns, 'columns', out);
    const target = columnOne(bound.raw.target, out);
    const label = columnOne(bound.raw.label, out);
    if (columns === undefined || target === undefined || label === undefined) return null;
    const classNames = bound.given.has('class_names') ? (v.class_names as string[]) : null;
    if (label === null && classNames) {
      out.push(diagnostic('invalid-data', 'error', bound.spans.class_names, 'class_names names the classes of a label column: add label="..." (the column holding them).'));
      return null;
    }
    if (label !== null) {
      const problem = labelProblem(label, columns, target, classNames);
      if (problem) {
        out.push(diagnostic('invalid-data', 'error', bound.spans[problem.arg], problem.message));
        return null;
      }
    }
    if (columns && target !== null && !columns.includes(target)) {
      out.push(diagnostic('invalid-data', 'error', bound.raw.target!.span, `target ${JSON.stringify(target)} must be one of the columns read: ${columns.map((c) => JSON.stringify(c)).join(', ')}.`));
      return null;
    }
    const spec: SeriesSpec = {
      kind: 'csv',
      path: v.path as string,
      columns,
      target,
      header: bound.given.has('header') ? (v.header as boolean) : null,
      delimiter: v.delimiter as string,
    };
    if (spec.delimiter.length !== 1) {
      out.push(diagnostic('invalid-data', 'error', bound.spans.delimiter, 'delimiter must be a single character.'));
      return null;
    }
    const analysis: SeriesAnalysis = { spec, length: null, features: columns ? columns.length : null, target: columns && target !== null ? columns.indexOf(target) : 0 };
    if (label !== null) analysis.labels = { column: label, classNames };
    return analysis;
  }
  const value = evaluate(expr, scope, out);
  return literalSeries(value, out);
}

function literalSeries(value: Value, out: DiagnosticSink): SeriesAnalysis | null {
  if (value.kind === 'error') return null;
  if (value.kind !== 'seq' || value.items.length === 0) {
    out.push(diagnostic('invalid-data', 'error', value.span, 'The series must be a non-empty list of numbers, [[...], ...] for several features, csv(...) or sine(...).'));
    return null;
  }
  const rows: number[][] = [];
  let width: number | null = null;
  for (const item of value.items) {
    let row: number[] | null = null;
    if (item.kind === 'number') row = [item.value];
    else if (item.kind === 'seq' && item.items.every((x) => x.kind === 'number')) row = item.items.map((x) => (x as { value: number }).value);
    if (!row || row.length === 0) {
      if (item.kind !== 'error') out.push(diagnostic('invalid-data', 'error', item.span, 'Each step of the series must be a number (or a list of numbers, one per feature).'));
      return null;
    }
    if (width !== null && row.length !== width) {
      out.push(diagnostic('invalid-data', 'error', item.span, `Every step must have the same number of features: this one has ${row.length}, the first has ${width}.`));
      return null;
    }
    width = row.length;
    rows.push(row);
  }
  return { spec: { kind: 'literal', values: rows }, length: rows.length, features: width, target: 0 };
}

/** What is wrong with a label column and its class_names, and which argument to point at. */
function labelProblem(
  label: string | number,
  columns: (string | number)[] | null,
  target: string | number | null,
  classNames: string[] | null,
): { arg: string; message: string } | null {
  if (target !== null) return { arg: 'target', message: 'target is the column to forecast; with a label column each window is classified instead. Remove target.' };
  if (columns && columns.includes(label)) {
    return { arg: 'label', message: `The label column ${JSON.stringify(label)} is also listed in columns: the features are the other columns.` };
  }
  if (!classNames) return null;
  if (classNames.length < 2) return { arg: 'class_names', message: 'class_names must list at least two classes: a classifier chooses between classes.' };
  const seen = new Set<string>();
  for (const name of classNames) {
    if (name === '') return { arg: 'class_names', message: 'class_names holds an empty name.' };
    if (seen.has(name)) return { arg: 'class_names', message: `class_names lists "${name}" twice.` };
    seen.add(name);
  }
  return null;
}

function columnOne(v: Value | undefined, out: DiagnosticSink): string | number | null | undefined {
  if (!v || v.kind === 'none') return null;
  if (v.kind === 'string' || v.kind === 'word') return v.value;
  if (v.kind === 'number' && Number.isInteger(v.value) && v.value >= 0) return v.value;
  out.push(diagnostic('invalid-data', 'error', v.span, 'A column is a name ("temp") or a 0-based index.'));
  return undefined;
}

function columnList(v: Value | undefined, name: string, out: DiagnosticSink): (string | number)[] | null | undefined {
  if (!v || v.kind === 'none') return null;
  const items = v.kind === 'seq' ? v.items : [v];
  const cols: (string | number)[] = [];
  for (const item of items) {
    const c = columnOne(item, out);
    if (c === undefined || c === null) {
      if (c === null) out.push(diagnostic('invalid-data', 'error', item.span, `${name} lists column names or indices.`));
      return undefined;
    }
    cols.push(c);
  }
  if (cols.length === 0) {
    out.push(diagnostic('invalid-data', 'error', v.span, `${name} must list at least one column.`));
    return undefined;
  }
  return cols;
}

/** The seed's split_sequence: every run of `steps` values and the `horizon` values after it. */
export function windows(series: number[][], steps: number, horizon: number, target = 0): { x: number[][][]; y: number[][] } {
  const x: number[][][] = [];
  const y: number[][] = [];
  for (let i = 0; i + steps + horizon <= series.length; i++) {
    x.push(series.slice(i, i + steps));
    y.push(series.slice(i + steps, i + steps + horizon).map((row) => row[target]));
  }
  return { x, y };
}

/** The csv(...) series a data source reads, or null when it reads no file. */
export function csvSeriesOf(spec: DataSpec): CsvSeriesSpec | null {
  if (spec.kind === 'labelledWindows') return spec.series;
  return spec.kind === 'window' && spec.series.kind === 'csv' ? spec.series : null;
}
