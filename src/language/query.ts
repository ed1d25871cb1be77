import type { Analysis } from './analyzer';
import type * as A from './ast';
import { lookupLayer } from './layers/registry';
import type { ArgSpec, LayerSpec } from './layers/spec';
import { lookupObject, type ObjectSpec } from './kerasObjects';
import type { ConfigValue, LayerInfo, ModelInfo, Span } from './model';
import type { SymbolInfo } from './symbols';
import { TRAIN_SETTINGS } from './trainAnalysis';
import { lastStartingBy } from './search';

// Questions an editor asks about one offset of an analysed document: what stands under the
// cursor (a layer, a name, an argument) and which model encloses it. Statements are sorted by
// position, so each answer is a binary search plus a walk of one statement: cheap on any file.

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The index of the last statement that starts at or before `offset` (-1 if none), by binary search. */
export function lastStatementStartingBy(doc: A.Document, offset: number): number {
  return lastStartingBy(doc.statements, offset);
}

/** The top-level statement whose span holds `offset` (ends inclusive, so a cursor just after a name counts). */
export function statementAt(doc: A.Document, offset: number): A.Statement | undefined {
  const list = doc.statements;
  const found = lastStatementStartingBy(doc, offset);
  // Two statements may touch (`a;b`): prefer the later one when the cursor is at its start.
  for (let i = found; i >= 0 && i >= found - 1; i--) {
    if (contains(list[i].span, offset)) return list[i];
  }
  return undefined;
}

export interface SymbolHit {
  symbol: SymbolInfo;
  /** The span of the name under the cursor: the definition or one reference. */
  span: Span;
  isDefinition: boolean;
}

/** The constant, data source or model named at `offset`, by its definition or a reference. */
export function symbolAt(analysis: Analysis, offset: number): SymbolHit | undefined {
  for (const symbol of analysis.symbols) {
    if (contains(symbol.nameSpan, offset)) return { symbol, span: symbol.nameSpan, isDefinition: true };
  }
  for (const symbol of analysis.symbols) {
    for (const ref of symbol.references) {
      if (contains(ref, offset)) return { symbol, span: ref, isDefinition: false };
    }
  }
  return undefined;
}

/** Every place a symbol's name is written, its definition first, each once. */
export function occurrences(analysis: Analysis, symbol: SymbolInfo): Span[] {
  // Only the first definition of a name owns its references; a duplicate keeps just its own name.
  const owner = analysis.symbols.find((s) => s.name === symbol.name);
  const spans = [symbol.nameSpan, ...(owner === symbol ? symbol.references : [])];
  const seen = new Set<string>();
  return spans.filter((s) => {
    const key = `${s.start}:${s.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface LayerHit {
  model: ModelInfo | undefined;
  call: A.Call;
  spec: LayerSpec | undefined;
  /** Null when the layer's shape could not be computed (an error before it, or in it). */
  layer: LayerInfo | null;
}

/** The model line (a layer call) that holds `offset`, with its model and analysed layer. */
function layerLineAt(analysis: Analysis, offset: number): { model: ModelInfo | undefined; call: A.Call; info: LayerInfo | null } | undefined {
  const stmt = statementAt(analysis.document, offset);
  if (!stmt || stmt.kind !== 'model') return undefined;
  const model = stmt.name ? analysis.models.find((m) => m.span.start === stmt.span.start) : undefined;
  const details = model ? analysis.modelDetails.get(model.name) : undefined;
  for (const expr of linesHolding(stmt.layers, offset)) {
    if (expr.kind !== 'call') continue;
    const index = details ? indexOfCall(details.calls, expr) : -1;
    return { model, call: expr, info: model && index >= 0 ? model.layers[index] : null };
  }
  return undefined;
}

/**
 * The lines of a model that hold `offset` (ends inclusive), in the order written: one, or none
 * between lines. Lines are in the order written, so a binary search finds them, not a scan of
 * every line before the cursor (a hover at the end of 100,000 layers scanned them all, and the
 * analysed calls again: about 3 ms on a warm server, twice that on the first).
 */
function linesHolding(layers: readonly A.Expr[], offset: number): A.Expr[] {
  let i = Math.max(0, lastStartingBy(layers, offset));
  // The parser separates lines by `;` or a line break, so two never touch; were they to, both
  // hold the offset, the earlier first, as in the scan this replaced.
  while (i > 0 && layers[i - 1].span.end >= offset) i--;
  const found: A.Expr[] = [];
  for (; i < layers.length && layers[i].span.start <= offset; i++) if (contains(layers[i].span, offset)) found.push(layers[i]);
  return found;
}

/** Where `call` stands in a model's analysed calls (in the order written), or -1. */
function indexOfCall(calls: readonly A.Call[], call: A.Call): number {
  const i = lastStartingBy(calls, call.span.start);
  return i >= 0 && calls[i] === call ? i : -1;
}

/** The layer whose name (`LSTM` of `LSTM(50)`) is at `offset`, wrapped layers included. */
export function layerAt(analysis: Analysis, offset: number): LayerHit | undefined {
  const line = layerLineAt(analysis, offset);
  return line && findInCall(line.call, line.info, line.model, offset);
}

function findInCall(call: A.Call, info: LayerInfo | null, model: ModelInfo | undefined, offset: number): LayerHit | undefined {
  if (contains(call.callee.span, offset)) return { model, call, spec: lookupLayer(call.callee.name), layer: info };
  for (const arg of call.args) {
    // A call in an argument is a wrapped layer, unless it builds an initializer, regularizer
    // or constraint (objectAt answers for those).
    if (arg.value?.kind === 'call' && !lookupObject(arg.value.callee.name) && contains(arg.value.span, offset)) {
      return findInCall(arg.value, info?.inner ?? null, model, offset);
    }
  }
  return undefined;
}

export interface ObjectHit {
  call: A.Call;
  spec: ObjectSpec;
  /** The layer argument it is given to, and what the engine bound (absent when the layer has errors). */
  arg: string | undefined;
  value: ConfigValue | undefined;
}

/** The initializer, regularizer, constraint or optimizer call whose name is at `offset`: `l2` of `kernel_regularizer=l2(0.001)`. */
export function objectAt(analysis: Analysis, offset: number): ObjectHit | undefined {
  const visit = (call: A.Call, info: LayerInfo | null): ObjectHit | undefined => {
    for (const arg of call.args) {
      const value = arg.value;
      if (value?.kind !== 'call' || !contains(value.span, offset)) continue;
      const spec = lookupObject(value.callee.name);
      if (!spec) return visit(value, info?.inner ?? null);
      if (!contains(value.callee.span, offset)) return undefined;
      const name = arg.name?.name;
      return { call: value, spec, arg: name, value: name ? info?.config[name] : undefined };
    }
    return undefined;
  };
  const stmt = statementAt(analysis.document, offset);
  if (stmt?.kind === 'train') {
    // The optimizer setting's call: its value is the analysed TrainSettings.optimizer.
    const value = stmt.settings.find((x) => x.name.name === 'optimizer')?.value;
    const spec = value?.kind === 'call' && contains(value.callee.span, offset) ? lookupObject(value.callee.name) : undefined;
    if (!spec || value?.kind !== 'call') return undefined;
    const train = analysis.trains.find((t) => t.span.start === stmt.span.start);
    return { call: value, spec, arg: 'optimizer', value: train ? { type: spec.className, config: train.settings.optimizer.args } : undefined };
  }
  const line = layerLineAt(analysis, offset);
  return line && visit(line.call, line.info);
}

export interface ArgumentHit {
  call: A.Call;
  arg: A.Arg;
  spec: ArgSpec;
  owner: string;
}

/** A keyword argument's name at `offset` (`activation` of `activation="relu"`) and its spec. */
export function argumentAt(analysis: Analysis, offset: number, specsFor: (callee: string) => ArgSpec[] | undefined): ArgumentHit | undefined {
  const stmt = statementAt(analysis.document, offset);
  if (!stmt) return undefined;
  let hit: ArgumentHit | undefined;
  const visit = (expr: A.Expr | null): void => {
    if (!expr || hit || !contains(expr.span, offset)) return;
    if (expr.kind === 'call') {
      for (const arg of expr.args) {
        if (arg.name && contains(arg.name.span, offset)) {
          const spec = specsFor(expr.callee.name)?.find((s) => s.name === arg.name!.name);
          if (spec) hit = { call: expr, arg, spec, owner: expr.callee.name };
          return;
        }
        visit(arg.value);
      }
    } else if (expr.kind === 'tuple' || expr.kind === 'list') expr.items.forEach(visit);
    else if (expr.kind === 'binary') {
      visit(expr.left);
      visit(expr.right);
    } else if (expr.kind === 'unary') visit(expr.operand);
  };
  switch (stmt.kind) {
    case 'let':
    case 'data':
      visit(stmt.value);
      break;
    case 'model':
      linesHolding(stmt.layers, offset).forEach(visit);
      break;
    case 'train':
      for (const s of stmt.settings) visit(s.value);
      break;
    case 'predict':
      visit(stmt.input);
      break;
  }
  return hit;
}

/** The train setting whose name (`epochs` of `epochs = 10`) is at `offset`, and its spec. */
export function settingAt(analysis: Analysis, offset: number): { name: A.Ident; spec: ArgSpec } | undefined {
  const stmt = statementAt(analysis.document, offset);
  if (!stmt || stmt.kind !== 'train') return undefined;
  const setting = stmt.settings.find((s) => contains(s.name.span, offset));
  const spec = setting && TRAIN_SETTINGS.find((s) => s.name === setting.name.name);
  return spec && { name: setting.name, spec };
}

/** The model whose block holds `offset`. */
export function modelAt(analysis: Analysis, offset: number): ModelInfo | undefined {
  const stmt = statementAt(analysis.document, offset);
  if (!stmt || stmt.kind !== 'model') return undefined;
  return analysis.models.find((m) => m.span.start === stmt.span.start);
}
