import type { TextEdit } from 'vscode-languageserver';
import type { Analysis } from '../language';
import { format } from '../language';
import { toRange } from './convert';

// Whole-document formatting with the one canonical layout (src/language/format.ts), sent as
// one edit covering only the part that changes so the cursor and folds stay where they were.
// A text the layout would blow up (see MAX_GROWTH in format.ts) or the engine refused as not
// text is left alone: no edit.

export function formatDocument(analysis: Analysis): TextEdit[] {
  const before = analysis.text;
  if (analysis.diagnostics.some((d) => d.code === 'not-text')) return [];
  const after = format(before);
  if (after === null || after === before) return [];
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a CRLF pair or a surrogate pair: widen the edit to whole characters.
  while (start > 0 && isTrail(before.charCodeAt(start))) start--;
  while (endBefore < before.length && isTrail(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return [{ range: toRange(analysis.lines, { start, end: endBefore }), newText: after.slice(start, endAfter) }];
}

/** The second half of a pair that must not be cut: `\n` after `\r`, or a low surrogate. */
function isTrail(c: number): boolean {
  return c === 10 || (c >= 0xdc00 && c <= 0xdfff);
}
