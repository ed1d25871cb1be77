import type * as A from './ast';
import type { Span } from './model';

// Values an expression evaluates to. Calls stay unevaluated: what `LSTM(16)` or `adam(...)`
// means depends on where it stands (a wrapped layer, an optimizer), so the consumer decides.

export type Value =
  | { kind: 'number'; value: number; isInt: boolean; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  /** A bare identifier that names no constant: an enum value such as relu, or a typo. */
  | { kind: 'word'; value: string; span: Span }
  | { kind: 'seq'; seqKind: 'tuple' | 'list'; items: Value[]; span: Span }
  | { kind: 'call'; call: A.Call; span: Span }
  /** Already reported. */
  | { kind: 'error'; span: Span };

export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'number':
      return v.isInt ? 'an integer' : 'a number';
    case 'string':
      return 'a string';
    case 'bool':
      return 'a boolean';
    case 'none':
      return 'None';
    case 'word':
      return `'${v.value}'`;
    case 'seq':
      return v.seqKind === 'tuple' ? 'a tuple' : 'a list';
    case 'call':
      return `a call to ${v.call.callee.name}`;
    case 'error':
      return 'an invalid value';
  }
}

/** Python's repr-like rendering, used for hovers and messages. */
export function renderValue(v: Value): string {
  switch (v.kind) {
    case 'number':
      return formatNumberLiteral(v.value, v.isInt);
    case 'string':
      return JSON.stringify(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'word':
      return v.value;
    case 'seq': {
      const inner = v.items.map(renderValue).join(', ');
      if (v.seqKind === 'list') return `[${inner}]`;
      return v.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    case 'call':
      return `${v.call.callee.name}(...)`;
    case 'error':
      return '?';
  }
}

export function formatNumberLiteral(value: number, isInt: boolean): string {
  // A literal past a double's range (1e400) is infinite: written as Python prints it.
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (isInt) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value);
}
