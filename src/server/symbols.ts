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

// The kinds, read once: in the server's bundle `SymbolKind.Constant` reads a getter of
// vscode-languageserver's re-exports (on an object of hundreds of properties, a dictionary),
// a runtime call per read, which was a tenth of a first outline of 6,000 entries.
const { Constant: CONSTANT, Variable: VARIABLE, Class: CLASS, Field: FIELD, Event: EVENT, Namespace: NAMESPACE } = SymbolKind;

/** One kind of outline entry, in document order: how many, where the i-th starts, and how it is built. */
interface Source {
  length: number;
  at(i: number): number;
  build(i: number): DocumentSymbol;
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const { lines } = analysis;
  const listed = [
    source(analysis.constants, (c) => c.span.start, (c) => ({ name: c.name, detail: `= ${renderConfig(c.value)}`, kind: CONSTANT, range: toRange(lines, c.span), selectionRange: toRange(lines, c.nameSpan) })),
    source(analysis.data, (d) => d.span.start, (d) => ({ name: d.name, detail: `X ${formatShape(d.xShape)} Y ${formatShape(d.yShape)}`, kind: VARIABLE, range: toRange(lines, d.span), selectionRange: toRange(lines, d.nameSpan) })),
    source(analysis.models, (m) => m.span.start, (m) => {
      const children: DocumentSymbol[] = m.layers.slice(0, MAX_OUTLINE_LAYERS).map((l) => {
        const r = toRange(lines, l.span);
        return { name: l.name, detail: `${l.type} → ${formatShapes(l.outputShapes)} · ${formatCount(l.params.total)}`, kind: FIELD, range: r, selectionRange: r };
      });
      const rest = m.layers.length - MAX_OUTLINE_LAYERS;
      if (rest > 0) children.push(more(analysis, rest, 'layer', { start: m.layers[MAX_OUTLINE_LAYERS].span.start, end: m.layers[m.layers.length - 1].span.end }, FIELD));
      return { name: m.name, detail: `${formatCount(m.params.total)} params`, kind: CLASS, range: toRange(lines, m.span), selectionRange: toRange(lines, m.nameSpan), children };
    }),
    source(analysis.trains, (t) => t.span.start, (t) => {
      const r = toRange(lines, t.span);
      return { name: `train ${t.models.join(', ')} on ${t.data}`, detail: `${t.settings.optimizer.name}, ${t.settings.loss}, ${t.settings.epochs} epochs`, kind: EVENT, range: r, selectionRange: r };
    }),
  ];
  // Symbols whose statement has errors are still defined: they are listed too, from the
  // symbols, unless one of the lists above has their statement (at the same start).
  const defined = source(analysis.symbols, (s) => s.span.start, (s) => ({ name: s.name, kind: s.kind === 'model' ? CLASS : s.kind === 'data' ? VARIABLE : CONSTANT, range: toRange(lines, s.span), selectionRange: toRange(lines, s.nameSpan) }));
  const sources = [...listed, defined];
  const next = sources.map(() => 0);
  const symbols: DocumentSymbol[] = [];
  // Each list is in document order: merged by position (ties: the lists above first), only the
  // kept entries are built, and a symbol at the start of an entry just taken is skipped.
  for (;;) {
    let best = -1;
    let bestAt = Infinity;
    for (let k = 0; k < sources.length; k++) {
      if (next[k] < sources[k].length) {
        const at = sources[k].at(next[k]);
        if (at < bestAt) {
          best = k;
          bestAt = at;
        }
      }
    }
    if (best < 0) break;
    if (best === sources.length - 1 && isListedAt(listed, next, bestAt)) {
      next[best]++;
      continue;
    }
    if (symbols.length === MAX_OUTLINE) {
      const rest = sources.reduce((n, s, k) => n + s.length - next[k], 0) - listedSymbols(listed, next, defined, next[sources.length - 1]);
      symbols.push(more(analysis, rest, 'definition', { start: bestAt, end: analysis.text.length }, NAMESPACE));
      break;
    }
    symbols.push(sources[best].build(next[best]++));
  }
  return symbols;
}

/** Whether an entry of the lists, among those just taken (before each list's next), starts at `at`. */
function isListedAt(listed: Source[], next: number[], at: number): boolean {
  for (let k = 0; k < listed.length; k++) if (next[k] > 0 && listed[k].at(next[k] - 1) === at) return true;
  return false;
}

/**
 * How many of the symbols from `from` on have their statement in one of the lists (from each
 * list's next entry on): what the count of the entries left out must not count twice. A walk
 * of the sorted lists side by side, no set.
 */
function listedSymbols(listed: Source[], next: number[], defined: Source, from: number): number {
  const at = next.slice(0, listed.length);
  let count = 0;
  for (let i = from; i < defined.length; i++) {
    const p = defined.at(i);
    for (let k = 0; k < listed.length; k++) {
      while (at[k] < listed[k].length && listed[k].at(at[k]) < p) at[k]++;
      if (at[k] < listed[k].length && listed[k].at(at[k]) === p) {
        count++;
        break;
      }
    }
  }
  return count;
}

/** A list of outline entries in document order (sorted here if it is not already, which the analysis's lists are). */
function source<T>(items: readonly T[], at: (item: T) => number, build: (item: T) => DocumentSymbol): Source {
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = at(items[i - 1]) <= at(items[i]);
  const list = sorted ? items : [...items].sort((a, b) => at(a) - at(b));
  return { length: list.length, at: (i) => at(list[i]), build: (i) => build(list[i]) };
}

/** The entry that stands for `count` entries left out, over the text they cover. */
function more(analysis: Analysis, count: number, what: string, span: Span, kind: SymbolKind): DocumentSymbol {
  const range = toRange(analysis.lines, span);
  const start = { start: range.start, end: range.start };
  return { name: `… ${formatCount(count)} more ${what}${count === 1 ? '' : 's'}`, detail: 'not listed in the outline', kind, range, selectionRange: start };
}
