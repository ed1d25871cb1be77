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
  /**
   * While evaluating a constant, the position of its statement: the constants at or after it are
   * not yet visible. A position rather than a count of constants, so that a constant typed or
   * deleted mid-document leaves the others' places as they are (statementPass.ts).
   */
  visibleBefore = Infinity;
  /**
   * While set, each lookup is also appended here, the symbol found (or the name, when none is
   * found or visible) then the place: the analysis keeps every statement's lookups, so that after
   * an edit it knows which statements a name typed or deleted changes, and rebuilds a symbol's
   * references from them without analysing the statements again (statementPass.ts).
   */
  recording: (SymbolInfo | string | Span)[] | null = null;
  /** Whether a lookup adds its place to the symbol's references (the pass after an edit rebuilds them from the recordings instead). */
  keepReferences = true;

  /** Returns the earlier definition when the name is taken. */
  define(name: string, kind: SymbolKind, nameSpan: Span, span: Span): { symbol: SymbolInfo; previous?: SymbolInfo } {
    const symbol = newSymbol(name, kind, nameSpan, span);
    const previous = this.byName.get(name)?.symbol;
    this.symbols.push(symbol);
    if (!previous) this.byName.set(name, { symbol, value: undefined, count: 1 });
    else this.byName.get(name)!.count++;
    return { symbol, previous };
  }

  /** How many statements define `name`. */
  definitions(name: string): number {
    return this.byName.get(name)?.count ?? 0;
  }

  /**
   * After an edit that typed, deleted or moved definitions of `name`: `first` is the one lookups
   * find (undefined: the name is no longer defined), of `count`. Its value is kept when it was
   * already the first.
   */
  redefine(name: string, first: SymbolInfo | undefined, count: number): void {
    const d = this.byName.get(name);
    if (!first) this.byName.delete(name);
    else if (d?.symbol === first) d.count = count;
    else this.byName.set(name, { symbol: first, value: undefined, count });
  }

  get(name: string): SymbolInfo | undefined {
    return this.byName.get(name)?.symbol;
  }

  setConstant(symbol: SymbolInfo, value: Value): void {
    const d = this.byName.get(symbol.name);
    if (d && d.symbol === symbol) d.value = value;
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
    if (!c || c.value === undefined || c.symbol.span.start >= this.visibleBefore) {
      this.recording?.push(name, at.span);
      return undefined;
    }
    if (this.keepReferences) c.symbol.references.push(at.span);
    this.recording?.push(c.symbol, at.span);
    return c.value;
  }

  /** Records a reference to a model or data source by name; returns its symbol. */
  reference(at: A.Ident, kind?: SymbolKind): SymbolInfo | undefined {
    const s = this.byName.get(at.name)?.symbol;
    if (!s || (kind && s.kind !== kind)) {
      this.recording?.push(at.name, at.span);
      return undefined;
    }
    if (this.keepReferences) s.references.push(at.span);
    this.recording?.push(s, at.span);
    return s;
  }

  names(kind: SymbolKind): string[] {
    return this.symbols.filter((s) => s.kind === kind).map((s) => s.name);
  }
}

/** A definition not yet referred to. */
export function newSymbol(name: string, kind: SymbolKind, nameSpan: Span, span: Span): SymbolInfo {
  return { name, kind, nameSpan, span, references: [] };
}

/** A name's first definition, once a constant is evaluated its value, and how many statements define the name. */
interface Definition {
  symbol: SymbolInfo;
  value: Value | undefined;
  count: number;
}
