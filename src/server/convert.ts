import type { Range } from 'vscode-languageserver';
import { prefixLength, type LineIndex, type Span } from '../language';

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

/**
 * The index of the first of `items` (in source order, not overlapping) that ends at or after
 * `offset`: where a request about a range enters a long list (statements, layers, arguments)
 * without walking the part before it.
 */
export function firstEndingAtOrAfter(items: readonly { span: Span }[], offset: number): number {
  return prefixLength(items.length, (i) => items[i].span.end < offset);
}
