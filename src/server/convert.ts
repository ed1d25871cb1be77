import type { Range } from 'vscode-languageserver';
import type { LineIndex, Span } from '../language';

// The engine speaks character offsets, LSP speaks UTF-16 line/character positions; both index
// the same JavaScript string, so a LineIndex converts exactly.

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function rangeToSpan(lines: LineIndex, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}
