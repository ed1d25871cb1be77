import type * as A from './ast';
import type { Scope } from './evaluate';
import type { Span } from './model';
import type { Value } from './values';

export type SymbolKind = 'constant' | 'data' | 'model';

/** A named definition and every place that refers to it: outline, go to definition, rename. */
export interface SymbolInfo {
  name: string;
  kind: SymbolKind;
  nameSpan: Span;
  /** The whole defining statement. */
  span: Span;
  references: Span[];
}

/**
 * The document's one namespace. Constants are visible to everything after their definition
 * (and to models, data and train blocks anywhere, which read them after all lets are known).
 */
export class SymbolTable implements Scope {
  readonly symbols: SymbolInfo[] = [];
  /**
   * Per name, its first definition and, for a constant, its value once evaluated: one map for
   * both (a file of 65,000 constants made two map operations a constant, a tenth of its analysis).
   */
  private readonly byName = new Map<string, Definition>();
  /** While evaluating constant number `order`, later constants are not yet visible. */
  currentOrder = Infinity;
  /**
   * While set, each reference recorded is also appended here, symbol then place: the analysis
   * keeps every statement's references, so that after an edit it rebuilds a symbol's list from
   * them without analysing the statements again (statementPass.ts).
   */
  recording: (SymbolInfo | Span)[] | null = null;

  /** Returns the earlier definition when the name is taken. */
  define(name: string, kind: SymbolKind, nameSpan: Span, span: Span): { symbol: SymbolInfo; previous?: SymbolInfo } {
    const symbol: SymbolInfo = { name, kind, nameSpan, span, references: [] };
    const previous = this.byName.get(name)?.symbol;
    this.symbols.push(symbol);
    if (!previous) this.byName.set(name, { symbol, value: undefined, order: 0 });
    return { symbol, previous };
  }

  get(name: string): SymbolInfo | undefined {
    return this.byName.get(name)?.symbol;
  }

  setConstant(symbol: SymbolInfo, value: Value, order: number): void {
    const d = this.byName.get(symbol.name);
    if (d && d.symbol === symbol) {
      d.value = value;
      d.order = order;
    }
  }

  /** Whether `symbol` is its name's first definition (the one lookups find). */
  isFirst(symbol: SymbolInfo): boolean {
    return this.byName.get(symbol.name)?.symbol === symbol;
  }

  constantValue(name: string): Value | undefined {
    return this.byName.get(name)?.value;
  }

  lookup(name: string, at: A.Ident): Value | undefined {
    const c = this.byName.get(name);
    if (!c || c.value === undefined || c.order >= this.currentOrder) return undefined;
    c.symbol.references.push(at.span);
    this.recording?.push(c.symbol, at.span);
    return c.value;
  }

  /** Records a reference to a model or data source by name; returns its symbol. */
  reference(at: A.Ident, kind?: SymbolKind): SymbolInfo | undefined {
    const s = this.byName.get(at.name)?.symbol;
    if (!s || (kind && s.kind !== kind)) return undefined;
    s.references.push(at.span);
    this.recording?.push(s, at.span);
    return s;
  }

  names(kind: SymbolKind): string[] {
    return this.symbols.filter((s) => s.kind === kind).map((s) => s.name);
  }
}

/** A name's first definition and, once a constant is evaluated, its value and its place among the constants. */
interface Definition {
  symbol: SymbolInfo;
  value: Value | undefined;
  order: number;
}
