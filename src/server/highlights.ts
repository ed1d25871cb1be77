import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver';
import type { Analysis } from '../language';
import { occurrences, symbolAt } from '../language';
import { toRange } from './convert';

// With the cursor on a constant, data source or model: every place it is written, its
// definition marked as the write.

export function documentHighlights(analysis: Analysis, offset: number): DocumentHighlight[] {
  const hit = symbolAt(analysis, offset);
  if (!hit) return [];
  const owner = analysis.symbols.find((s) => s.name === hit.symbol.name) ?? hit.symbol;
  return occurrences(analysis, owner).map((span, i) => ({ range: toRange(analysis.lines, span), kind: i === 0 ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}
