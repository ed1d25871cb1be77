import type { Location } from 'vscode-languageserver';
import type { Analysis } from '../language';
import { occurrences, symbolAt } from '../language';
import { toRange } from './convert';

// Go to definition and find references for constants, data sources and models.

export function definition(analysis: Analysis, uri: string, offset: number): Location | null {
  const hit = symbolAt(analysis, offset);
  if (!hit) return null;
  // A duplicate definition resolves to the first one, which its references mean.
  const owner = analysis.symbols.find((s) => s.name === hit.symbol.name) ?? hit.symbol;
  return { uri, range: toRange(analysis.lines, owner.nameSpan) };
}

export function references(analysis: Analysis, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const hit = symbolAt(analysis, offset);
  if (!hit) return [];
  const owner = analysis.symbols.find((s) => s.name === hit.symbol.name) ?? hit.symbol;
  const spans = occurrences(analysis, owner);
  return (includeDeclaration ? spans : spans.slice(1)).map((s) => ({ uri, range: toRange(analysis.lines, s) }));
}
