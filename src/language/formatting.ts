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
