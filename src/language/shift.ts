import type * as A from './ast';
import type { Diagnostic } from './diagnostics';
import type { Span } from './model';

// Moving what an edit did not change by the length it added or removed, for the incremental
// analysis (incremental.ts). The tree of the text after an edit is the old tree moved in place:
// its nodes are the previous analysis's, which nobody reads any more once a newer version has
// replaced it. Every span object of the tree is moved exactly once: the parser shares only one
// (a positional argument's span is its value's), and what the analysis keeps points into the
// tree (a layer's span is its call's), so it moves along. Diagnostics are copied instead: their
// fixes may share a span of the tree.

function move(span: Span, delta: number): void {
  span.start += delta;
  span.end += delta;
}

/** Moves every span of an expression by `delta`, in place. */
export function shiftExpr(e: A.Expr, delta: number): void {
  move(e.span, delta);
  switch (e.kind) {
    case 'call':
      move(e.callee.span, delta);
      move(e.argsSpan, delta);
      for (const arg of e.args) {
        if (arg.name) move(arg.name.span, delta);
        if (arg.value) {
          shiftExpr(arg.value, delta);
          if (arg.span !== arg.value.span) move(arg.span, delta);
        } else move(arg.span, delta);
      }
      return;
    case 'tuple':
    case 'list':
      for (const item of e.items) shiftExpr(item, delta);
      return;
    case 'unary':
      shiftExpr(e.operand, delta);
      return;
    case 'binary':
      shiftExpr(e.left, delta);
      shiftExpr(e.right, delta);
      return;
  }
}

/** Moves every span of a statement by `delta`, in place. */
export function shiftStatement(s: A.Statement, delta: number): void {
  move(s.span, delta);
  switch (s.kind) {
    case 'let':
    case 'data':
      if (s.name) move(s.name.span, delta);
      if (s.value) shiftExpr(s.value, delta);
      return;
    case 'model':
      if (s.name) move(s.name.span, delta);
      if (s.open) move(s.open, delta);
      if (s.close) move(s.close, delta);
      for (const l of s.layers) shiftExpr(l, delta);
      return;
    case 'train':
      for (const m of s.models) move(m.span, delta);
      if (s.data) move(s.data.span, delta);
      if (s.open) move(s.open, delta);
      if (s.close) move(s.close, delta);
      for (const setting of s.settings) {
        move(setting.span, delta);
        move(setting.name.span, delta);
        if (setting.value) shiftExpr(setting.value, delta);
      }
      return;
    case 'predict':
      if (s.model) move(s.model.span, delta);
      if (s.input) shiftExpr(s.input, delta);
      return;
  }
}

/** A copy of a span with the positions at or after `from` moved by `delta`. */
function shiftedSpan(span: Span, from: number, delta: number): Span {
  return { start: span.start >= from ? span.start + delta : span.start, end: span.end >= from ? span.end + delta : span.end };
}

/** A copy of a diagnostic (its fixes included) with the positions at or after `from` moved by `delta`. */
export function shiftedDiagnostic(d: Diagnostic, from: number, delta: number): Diagnostic {
  const copy: Diagnostic = { ...d, span: shiftedSpan(d.span, from, delta) };
  if (d.fixes) copy.fixes = d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: shiftedSpan(e.span, from, delta) })) }));
  return copy;
}
