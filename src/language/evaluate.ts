import type * as A from './ast';
import { type DiagnosticSink } from './diagnosticCollector';
import { diagnostic } from './diagnostics';
import type { Value } from './values';

/** Where names resolve: the document's constants, in definition order. */
export interface Scope {
  /** The value of a constant defined before this point, or undefined. */
  lookup(name: string, at: A.Ident): Value | undefined;
}

// Evaluates constant expressions: numbers with Python's arithmetic, tuples and lists,
// names of constants. Never throws; problems are reported once and yield an error value.

export function evaluate(expr: A.Expr, scope: Scope, out: DiagnosticSink): Value {
  const span = expr.span;
  switch (expr.kind) {
    case 'number':
      return { kind: 'number', value: expr.value, isInt: expr.isInt, span };
    case 'string':
      return { kind: 'string', value: expr.value, span };
    case 'bool':
      return { kind: 'bool', value: expr.value, span };
    case 'none':
      return { kind: 'none', span };
    case 'ident': {
      const v = scope.lookup(expr.name, expr);
      // Keep the reference's own span so messages point at the use, not the definition.
      if (v) return { ...v, span } as Value;
      return { kind: 'word', value: expr.name, span };
    }
    case 'tuple':
    case 'list':
      return { kind: 'seq', seqKind: expr.kind, items: expr.items.map((e) => evaluate(e, scope, out)), span };
    case 'call':
      return { kind: 'call', call: expr, span };
    case 'error':
      return { kind: 'error', span };
    case 'unary': {
      const v = evaluate(expr.operand, scope, out);
      if (v.kind === 'error') return v;
      if (v.kind !== 'number') return notNumber(v, expr.op, out, span);
      return { kind: 'number', value: expr.op === '-' ? -v.value : v.value, isInt: v.isInt, span };
    }
    case 'binary': {
      const l = evaluate(expr.left, scope, out);
      const r = evaluate(expr.right, scope, out);
      if (l.kind === 'error' || r.kind === 'error') return { kind: 'error', span };
      if (l.kind !== 'number') return notNumber(l, expr.op, out, span);
      if (r.kind !== 'number') return notNumber(r, expr.op, out, span);
      return arithmetic(expr.op, l.value, l.isInt, r.value, r.isInt, expr, out);
    }
  }
}

function notNumber(v: Value, op: string, out: DiagnosticSink, span: A.Expr['span']): Value {
  const message =
    v.kind === 'word'
      ? `'${v.value}' is not defined: define it with 'let ${v.value} = ...' before this line.`
      : `'${op}' needs numbers, not ${v.kind === 'seq' ? 'a ' + v.seqKind : v.kind}.`;
  out.push(diagnostic(v.kind === 'word' ? 'undefined-name' : 'invalid-expression', 'error', v.kind === 'word' ? v.span : span, message));
  return { kind: 'error', span };
}

function arithmetic(op: A.Binary['op'], a: number, aInt: boolean, b: number, bInt: boolean, expr: A.Binary, out: DiagnosticSink): Value {
  const span = expr.span;
  const ints = aInt && bInt;
  if ((op === '/' || op === '//' || op === '%') && b === 0) {
    out.push(diagnostic('invalid-expression', 'error', expr.right.span, 'Division by zero.'));
    return { kind: 'error', span };
  }
  switch (op) {
    case '+':
      return { kind: 'number', value: a + b, isInt: ints, span };
    case '-':
      return { kind: 'number', value: a - b, isInt: ints, span };
    case '*':
      return { kind: 'number', value: a * b, isInt: ints, span };
    case '/':
      return { kind: 'number', value: a / b, isInt: false, span };
    case '//':
      return { kind: 'number', value: Math.floor(a / b), isInt: ints, span };
    case '%':
      // Python's modulo takes the sign of the divisor.
      return { kind: 'number', value: ((a % b) + b) % b, isInt: ints, span };
    case '**': {
      const value = Math.pow(a, b);
      return { kind: 'number', value, isInt: ints && b >= 0, span };
    }
  }
}
