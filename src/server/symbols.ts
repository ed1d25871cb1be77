import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { formatCount, formatShape, formatShapes, type Analysis, type Span } from '../language';
import { toRange } from './convert';
import { renderConfig } from './hover';

// The outline: constants, data sources, models (with their layers as children) and train
// statements, in document order.
//
// An outline is read by a person: past a few thousand entries it helps nobody, while building
// and sending them all (a pasted model of 100,000 layers: 23 MB of JSON, seconds) stalls every
// other request. So at most MAX_OUTLINE entries are listed at the top level and
// MAX_OUTLINE_LAYERS layers per model; one last entry counts the rest and spans them, so
// choosing it goes where the list stops. Only the entries kept are built.

export const MAX_OUTLINE = 2000;
export const MAX_OUTLINE_LAYERS = 1000;

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const { lines } = analysis;
  const out: { at: number; build: () => DocumentSymbol }[] = [];
  for (const c of analysis.constants) {
    out.push({ at: c.span.start, build: () => ({ name: c.name, detail: `= ${renderConfig(c.value)}`, kind: SymbolKind.Constant, range: toRange(lines, c.span), selectionRange: toRange(lines, c.nameSpan) }) });
  }
  for (const d of analysis.data) {
    out.push({ at: d.span.start, build: () => ({ name: d.name, detail: `X ${formatShape(d.xShape)} Y ${formatShape(d.yShape)}`, kind: SymbolKind.Variable, range: toRange(lines, d.span), selectionRange: toRange(lines, d.nameSpan) }) });
  }
  for (const m of analysis.models) {
    out.push({
      at: m.span.start,
      build: () => {
        const children: DocumentSymbol[] = m.layers.slice(0, MAX_OUTLINE_LAYERS).map((l) => {
          const r = toRange(lines, l.span);
          return { name: l.name, detail: `${l.type} → ${formatShapes(l.outputShapes)} · ${formatCount(l.params.total)}`, kind: SymbolKind.Field, range: r, selectionRange: r };
        });
        const rest = m.layers.slice(MAX_OUTLINE_LAYERS);
        if (rest.length) children.push(more(analysis, rest.length, 'layer', { start: rest[0].span.start, end: rest[rest.length - 1].span.end }, SymbolKind.Field));
        return { name: m.name, detail: `${formatCount(m.params.total)} params`, kind: SymbolKind.Class, range: toRange(lines, m.span), selectionRange: toRange(lines, m.nameSpan), children };
      },
    });
  }
  for (const t of analysis.trains) {
    out.push({
      at: t.span.start,
      build: () => {
        const r = toRange(lines, t.span);
        return { name: `train ${t.models.join(', ')} on ${t.data}`, detail: `${t.settings.optimizer.name}, ${t.settings.loss}, ${t.settings.epochs} epochs`, kind: SymbolKind.Event, range: r, selectionRange: r };
      },
    });
  }
  // Symbols whose statement has errors are still defined: keep them in the outline too.
  const known = new Set(out.map((o) => o.at));
  for (const s of analysis.symbols) {
    if (known.has(s.span.start)) continue;
    const kind = s.kind === 'model' ? SymbolKind.Class : s.kind === 'data' ? SymbolKind.Variable : SymbolKind.Constant;
    out.push({ at: s.span.start, build: () => ({ name: s.name, kind, range: toRange(lines, s.span), selectionRange: toRange(lines, s.nameSpan) }) });
  }
  out.sort((a, b) => a.at - b.at);
  const symbols = out.slice(0, MAX_OUTLINE).map((o) => o.build());
  if (out.length > MAX_OUTLINE) symbols.push(more(analysis, out.length - MAX_OUTLINE, 'definition', { start: out[MAX_OUTLINE].at, end: analysis.text.length }, SymbolKind.Namespace));
  return symbols;
}

/** The entry that stands for `count` entries left out, over the text they cover. */
function more(analysis: Analysis, count: number, what: string, span: Span, kind: SymbolKind): DocumentSymbol {
  const range = toRange(analysis.lines, span);
  const start = { start: range.start, end: range.start };
  return { name: `… ${formatCount(count)} more ${what}${count === 1 ? '' : 's'}`, detail: 'not listed in the outline', kind, range, selectionRange: start };
}
