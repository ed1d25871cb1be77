import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { formatCount, formatShape, formatShapes, type Analysis } from '../language';
import { toRange } from './convert';
import { renderConfig } from './hover';

// The outline: constants, data sources, models (with their layers as children) and train
// statements, in document order.

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const { lines } = analysis;
  const out: { at: number; symbol: DocumentSymbol }[] = [];
  for (const c of analysis.constants) {
    out.push({ at: c.span.start, symbol: { name: c.name, detail: `= ${renderConfig(c.value)}`, kind: SymbolKind.Constant, range: toRange(lines, c.span), selectionRange: toRange(lines, c.nameSpan) } });
  }
  for (const d of analysis.data) {
    out.push({ at: d.span.start, symbol: { name: d.name, detail: `X ${formatShape(d.xShape)} Y ${formatShape(d.yShape)}`, kind: SymbolKind.Variable, range: toRange(lines, d.span), selectionRange: toRange(lines, d.nameSpan) } });
  }
  for (const m of analysis.models) {
    const children: DocumentSymbol[] = m.layers.map((l) => {
      const r = toRange(lines, l.span);
      return { name: l.name, detail: `${l.type} → ${formatShapes(l.outputShapes)} · ${formatCount(l.params.total)}`, kind: SymbolKind.Field, range: r, selectionRange: r };
    });
    out.push({ at: m.span.start, symbol: { name: m.name, detail: `${formatCount(m.params.total)} params`, kind: SymbolKind.Class, range: toRange(lines, m.span), selectionRange: toRange(lines, m.nameSpan), children } });
  }
  for (const t of analysis.trains) {
    const r = toRange(lines, t.span);
    out.push({ at: t.span.start, symbol: { name: `train ${t.models.join(', ')} on ${t.data}`, detail: `${t.settings.optimizer.name}, ${t.settings.loss}, ${t.settings.epochs} epochs`, kind: SymbolKind.Event, range: r, selectionRange: r } });
  }
  // Symbols whose statement has errors are still defined: keep them in the outline too.
  const known = new Set(out.map((o) => o.at));
  for (const s of analysis.symbols) {
    if (known.has(s.span.start)) continue;
    const kind = s.kind === 'model' ? SymbolKind.Class : s.kind === 'data' ? SymbolKind.Variable : SymbolKind.Constant;
    out.push({ at: s.span.start, symbol: { name: s.name, kind, range: toRange(lines, s.span), selectionRange: toRange(lines, s.nameSpan) } });
  }
  return out.sort((a, b) => a.at - b.at).map((o) => o.symbol);
}
