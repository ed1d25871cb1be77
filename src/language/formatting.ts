import type { Shape } from './model';

/** 10400 → "10,400", as Keras's summary prints counts. */
export function formatCount(n: number): string {
  // By hand: toLocaleString is slow enough to show up when a large file is analysed.
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return sign + out;
}

/** [null, 3, 1] → "(None, 3, 1)"; a 1-D shape keeps Python's trailing comma: "(None,)". */
export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** One output: "(None, 50)"; several: "[(None, 30, 64), (None, 64), (None, 64)]". */
export function formatShapes(shapes: Shape[]): string {
  if (shapes.length === 1) return formatShape(shapes[0]);
  return `[${shapes.map(formatShape).join(', ')}]`;
}

/**
 * A measured value (a loss, a metric, a prediction) for reading: four significant digits,
 * exponent form for very small or large magnitudes (losses reach 1e-5 on the toy series),
 * an en dash for "no value". The one formatter of such numbers in the CLI, the editor's
 * messages and the panels.
 */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** 0.9534 → "95.3%". */
export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–';
}

/** Numbers nested in lists, as a model's prediction is: [[0.1234, 12.35], ...]. */
export type NestedValues = number | NestedValues[];

/** A prediction for reading: each number by formatValue, lists in brackets. */
export function formatValues(values: NestedValues): string {
  return typeof values === 'number' ? formatValue(values) : `[${values.map(formatValues).join(', ')}]`;
}
