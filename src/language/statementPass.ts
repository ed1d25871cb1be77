import type { Analysis } from './analyzer';
import type * as A from './ast';
import { analyzeData } from './dataAnalysis';
import { DiagnosticCollector, type DiagnosticSink, MAX_DIAGNOSTICS, PROBLEMS_BUILT } from './diagnosticCollector';
import { diagnostic } from './diagnostics';
import { evaluate } from './evaluate';
import type { Reparse } from './incremental';
import type { ConfigValue, ConstantInfo, DataInfo, ModelInfo, PredictInfo, Span, TrainInfo } from './model';
import { prefixLength } from './search';
import { analyzeModel, followEdit, followsEdits, reuseModel, type ModelAnalysis } from './modelAnalysis';
import { ProblemList } from './problemList';
import { STEP_SIZE, type Steps } from './steps';
import { newSymbol, type SymbolInfo, type SymbolKind, type SymbolTable } from './symbols';
import { analyzePredict, analyzeTrain, type ByName } from './trainAnalysis';
import type { Value } from './values';

// The analysis's pass over a document's statements, one statement at a time: the full pass
// (analyzer.ts) runs it over every statement; after an edit, the pass below runs it over the
// statements parsed again and those whose part the edit can change, and takes every other
// statement's part from the analysis before. A document of 38,000 models or 65,000 constants
// spent most of a keystroke's analysis defining every name again, walking every model's memo
// and reporting every missing input again, for one statement changed.
//
// What makes it exact: a statement's part of the analysis (its symbol, the problems reported at
// it, its references, its constant, model, data source, training or prediction) depends only
// on the statement and on what the names it looks up stand for, which the analysis records per
// statement (the symbol found, or the name when none was). So besides the statements parsed
// again, a part can change only for a statement that looks up a name they define or defined,
// or (in turn) a name such a statement defines; its problems alone also for another
// definition of a name typed or deleted (first or repeat), a model a changed training trains
// (its missing input's fix reads the training), a definition that becomes used or unused, and
// a training or prediction that names nothing defined (it suggests the closest name of all).
// Those are analysed again, in a full pass's order; the rest is what it was, moved with its
// text. What the pass does not follow runs the full pass: too many statements, or a statement
// that refers to a constant holding positions of its own (a tuple's items: a problem found in
// it lies at the constant) that is not analysed with it. test/unit/incremental.test.ts compares
// both with a fresh analysis.

/** The lookups a statement made, as pairs: the symbol found (or the name, when none was), then the place of the reference. */
export type StatementRefs = (SymbolInfo | string | Span)[];

/** A statement that referred to nothing: one array for all of them (65,000 constants). */
export const NO_REFS: StatementRefs = Object.freeze([]) as unknown as StatementRefs;

/** What the pass kept of each statement, for the next edit's pass. */
export interface PassState {
  table: SymbolTable;
  /** Per statement: the symbol it defined (a second definition of a name too). */
  symbolOf: (SymbolInfo | undefined)[];
  /** Per statement: its references, in the order it made them. */
  refsOf: StatementRefs[];
  /** Per statement: what it adds to the analysis's lists (a constant, model, data source, training or prediction), if it is listed. */
  listedOf: (Listed | undefined)[];
  /** The problems the pass reported (the parse's are kept apart, incremental.ts). */
  problems: ProblemList;
  /** The models whose last walk keeps problems or a record (modelAnalysis.ts followsEdits): an edit moves them, the others need nothing. */
  followers: A.ModelStmt[];
}

export type Listed = ConstantInfo | ModelInfo | DataInfo | TrainInfo | PredictInfo;

/** The lists of an analysis that the pass fills, one entry per listed statement, in order. */
export type PassLists = Pick<Analysis, 'constants' | 'models' | 'data' | 'trains' | 'predicts' | 'symbols' | 'modelDetails'>;

const PASS_STATE = new WeakMap<object, PassState>();

export function keepPass(analysis: object, state: PassState): void {
  PASS_STATE.set(analysis, state);
}

// ---- One statement's part, in each phase (the full pass runs each phase over all statements) ----

/** A second definition of a name, at its name. */
export function reportDuplicate(name: A.Ident, previous: SymbolInfo, out: DiagnosticSink): void {
  // Built only if listed: 38,000 models all named `m` list 500.
  out.report('error', name.span, () =>
    diagnostic('duplicate-name', 'error', name.span, `'${name.name}' is already defined (as a ${previous.kind === 'constant' ? 'constant' : previous.kind === 'data' ? 'data source' : 'model'}); choose another name.`),
  );
}

/** A later definition of a name (`s`, its symbol), reported at its name: the first is the one lookups find. */
export function reportRepeated(stmt: A.Statement, s: SymbolInfo | undefined, table: SymbolTable, out: DiagnosticSink): void {
  if (s && !table.isFirst(s) && 'name' in stmt && stmt.name) reportDuplicate(stmt.name, table.get(s.name)!, out);
}

/** A constant's part of the analysis, seeing only the constants before it: the listed constant, if `s` is its name's first definition and its value a setting. */
export function constantPart(stmt: A.LetStmt, s: SymbolInfo | undefined, table: SymbolTable, out: DiagnosticSink): ConstantInfo | undefined {
  table.visibleBefore = stmt.span.start;
  const info = analyzeConstant(stmt, s && table.isFirst(s) ? s : undefined, table, out);
  table.visibleBefore = Infinity;
  return info;
}

/**
 * A constant's value, seeing only the constants before it (`symbols.visibleBefore` is where it
 * stands); `symbol` when it is its name's first definition. The listed constant, if any.
 */
function analyzeConstant(stmt: A.LetStmt, symbol: SymbolInfo | undefined, symbols: SymbolTable, out: DiagnosticSink): ConstantInfo | undefined {
  const value: Value = stmt.value ? evaluate(stmt.value, symbols, out) : { kind: 'error', span: stmt.span };
  if (value.kind === 'word' && stmt.value) {
    const later = symbols.get(value.value);
    out.push(
      diagnostic(
        'undefined-name',
        'error',
        value.span,
        later?.kind === 'constant'
          ? `'${value.value}' is defined later in the file; move its definition above this line.`
          : `'${value.value}' is not defined. A string needs quotes: "${value.value}".`,
      ),
    );
  } else if (value.kind === 'call') {
    out.push(diagnostic('invalid-expression', 'error', value.span, 'A constant is a number, string, boolean, None, tuple or list, not a call.'));
  }
  if (!symbol) return undefined;
  symbols.setConstant(symbol, value);
  const config = toConfig(value);
  return config !== undefined && stmt.name ? { name: stmt.name.name, span: stmt.span, nameSpan: stmt.name.span, value: config } : undefined;
}

/**
 * A model without an input shape: the fix inserts `input(...)` with the shape of the data it
 * is trained on when that is known, so the quick fix is right the first time.
 */
export function reportMissingInput(name: string, analysis: ModelAnalysis, trains: TrainInfo[], data: () => ByName<DataInfo>, out: DiagnosticSink): void {
  const call = analysis.missingInput;
  if (!call) return;
  // Built only if listed: 38,000 models without an input list 500.
  out.report('error', call.callee.span, () => {
    const train = trains.find((t) => t.models.includes(name));
    const sample = train ? data().get(train.data)?.xShape.slice(1) : undefined;
    const dims = sample && sample.length ? sample.map((d) => (d === null ? 'None' : String(d))).join(', ') : 'None, 1';
    const fixes =
      analysis.inputInsertAt !== null
        ? [{ title: `Add input(${dims})`, edits: [{ span: { start: analysis.inputInsertAt, end: analysis.inputInsertAt }, newText: `\n  input(${dims})` }], preferred: true }]
        : undefined;
    return diagnostic(
      'missing-input-shape',
      'error',
      call.callee.span,
      `Model ${name} does not say what it takes: add a first line input(steps, features), or input_shape=(steps, features) to ${call.callee.name}. Only a model that starts with Embedding may leave it out.`,
      fixes,
    );
  });
}

/** A constant or data source nothing refers to (models stand on their own: a summary is a use). */
export function reportUnused(s: SymbolInfo, references: number, out: DiagnosticSink): void {
  if (s.kind === 'model' || references > 0) return;
  // Built only if listed: a file of 65,000 unused constants lists 500.
  out.report('hint', s.nameSpan, () => {
    const d = diagnostic('unused-definition', 'hint', s.nameSpan, `${s.kind === 'constant' ? 'Constant' : 'Data source'} '${s.name}' is never used.`);
    d.unnecessary = true;
    return d;
  });
}

/** Records the references the table makes into a scratch list; `take` hands them over per statement. */
export class RefRecorder {
  private readonly scratch: StatementRefs = [];

  constructor(private readonly table: SymbolTable) {
    table.recording = this.scratch;
  }

  /** The references made since the last call. */
  take(): StatementRefs {
    const { scratch } = this;
    if (scratch.length === 0) return NO_REFS;
    const refs = scratch.slice();
    scratch.length = 0;
    return refs;
  }

  stop(): void {
    this.table.recording = null;
  }
}

/** What phases 2 to 4 give each statement of a pass, by its place in the pass's order. */
export interface Parts {
  /** What it adds to the analysis's lists, when it is listed. */
  listed: (Listed | undefined)[];
  /** The lookups it made. */
  refs: StatementRefs[];
  /** A listed model's analysis. */
  details: (ModelAnalysis | undefined)[];
  /** The data sources by name, as the trainings found them (a model's missing input reads them). */
  sources: ByName<DataInfo>;
}

/**
 * Phases 2 to 4 of the pass, over the statements `order` (their indices, ascending; null: all of
 * them, the full pass): the constants in order, each seeing only those before it; the models and
 * data sources; the trainings and predictions. A model's analysis is `taken(stmt, i)` from its
 * last walk when that may be, else walked (the edited model's walk takes over what it can of its
 * last). A training or prediction finds a model or data source as its name's first definition's
 * entry: a part made here, or for a statement outside `order`, its entry in `before`.
 */
export function* statementParts(
  statements: readonly A.Statement[],
  order: readonly number[] | null,
  symbolOf: readonly (SymbolInfo | undefined)[],
  table: SymbolTable,
  out: DiagnosticSink,
  text: string,
  edit: Reparse | undefined,
  taken: (stmt: A.ModelStmt, i: number) => ModelAnalysis | null,
  before?: readonly (Listed | undefined)[],
): Steps<Parts> {
  const m = order ? order.length : statements.length;
  const listed: (Listed | undefined)[] = new Array(m).fill(undefined);
  const refs: StatementRefs[] = new Array(m).fill(NO_REFS);
  const details: (ModelAnalysis | undefined)[] = new Array(m).fill(undefined);
  const recorder = new RefRecorder(table);
  const first = (j: number) => {
    const s = symbolOf[order ? order[j] : j];
    return s !== undefined && table.isFirst(s);
  };
  // A model or data source by name: its first definition's entry (38,000 models: no map of them all).
  let place: Int32Array | null = null;
  const entry = <T extends Listed>(kind: SymbolKind): ByName<T> => ({
    get(name) {
      const s = table.get(name);
      if (!s || s.kind !== kind) return undefined;
      const i = statementOf(statements, s);
      if (!order) return listed[i] as T | undefined;
      if (!place) {
        place = new Int32Array(statements.length).fill(-1);
        for (let j = 0; j < m; j++) place[order[j]] = j;
      }
      return (place[i] >= 0 ? listed[place[i]] : before?.[i]) as T | undefined;
    },
  });
  const models = entry<ModelInfo>('model');
  const sources = entry<DataInfo>('data');
  try {
    // 2. Constants, in order: each sees only those before it, as in Python.
    yield;
    let constants = 0;
    for (let j = 0; j < m; j++) {
      const stmt = statements[order ? order[j] : j];
      if (stmt.kind !== 'let') continue;
      if (constants++ % STEP_SIZE === STEP_SIZE - 1) yield;
      listed[j] = constantPart(stmt, symbolOf[order ? order[j] : j], table, out);
      refs[j] = recorder.take();
    }
    // 3. Models and data sources.
    yield;
    for (let j = 0; j < m; j++) {
      const i = order ? order[j] : j;
      const stmt = statements[i];
      if (j % STEP_SIZE === STEP_SIZE - 1) yield;
      if (stmt.kind === 'model') {
        const analysis = taken(stmt, i) ?? (yield* analyzeModel(stmt, table, out, text, edit && stmt === edit.model ? edit.reuse : undefined));
        refs[j] = recorder.take();
        if (stmt.name && first(j)) [listed[j], details[j]] = [analysis.info, analysis];
      } else if (stmt.kind === 'data') {
        const info = analyzeData(stmt, table, out);
        refs[j] = recorder.take();
        if (info && first(j)) listed[j] = info;
      }
    }
    // 4. Trainings and predictions.
    yield;
    for (let j = 0; j < m; j++) {
      const stmt = statements[order ? order[j] : j];
      if (j % STEP_SIZE === STEP_SIZE - 1) yield;
      if (stmt.kind === 'train') {
        listed[j] = analyzeTrain(stmt, table, models, sources, out) ?? undefined;
        refs[j] = recorder.take();
      } else if (stmt.kind === 'predict') {
        listed[j] = analyzePredict(stmt, table, models, out) ?? undefined;
        refs[j] = recorder.take();
      }
    }
  } finally {
    recorder.stop();
  }
  return { listed, refs, details, sources };
}

// ---- After an edit: the statements parsed again, and those whose part the edit changes ----

/** Statements analysed again past which the full pass runs (a constant that every model uses, renamed: the full pass walks them all too). */
const MAX_AFFECTED = 1024;
/**
 * Statements parsed again past which the full pass runs: as many as it may analyse again. Each
 * model header left without its `}` is parsed again with every keystroke typed after it; at 64
 * such statements every keystroke among a megabyte of small models took the full pass (33 ms,
 * 3 ms before; docs/benchmarks.md, "Typing on").
 */
const MAX_CHANGED = MAX_AFFECTED;

/** Why a statement is analysed again: its part may change (it looks up a name that now finds another definition or value), or only its problems (a first or later definition of a name typed or deleted, a model whose training changed, a definition that becomes used or unused). */
const CHANGED = 1;
const REPORTED = 2;

/** The analysis's lists and per-statement state before the edit. */
export interface PassBefore extends PassLists {
  text: string;
}

/**
 * What `changedStatements` gives: the new lists and state, or why not (`walked`: the models it
 * had walked or taken over, at their new positions, which the full pass then takes from their memos).
 */
export type PassAfter = { lists: PassLists; state: PassState; problems: ProblemList } | { fallBack: 'before' } | { fallBack: 'walked'; walked: ReadonlySet<A.Statement> };

/**
 * The pass after an edit, over the statements parsed again and those whose part the edit can
 * change (see the top of the file), or what keeps it from being exact. `previous` is the
 * analysis before the edit (spent: its tree was moved to build the new one), `text` the new text.
 */
export function* changedStatements(text: string, edit: Reparse, previous: PassBefore): Steps<PassAfter> {
  const kept = PASS_STATE.get(previous);
  const before = { fallBack: 'before' } as const;
  if (!kept) return before;
  const { from, oldTail, added, removed: gone } = edit;
  const statements = edit.document.statements;
  const n = statements.length;
  if (added > MAX_CHANGED || gone.length > MAX_CHANGED) return before;
  const { table, symbolOf, refsOf, listedOf } = kept;

  // The per-statement state in the new text's order: the edit's statements start empty, the old ones' are kept aside.
  const goneSymbols = symbolOf.slice(from, oldTail);
  const goneRefs = refsOf.slice(from, oldTail);
  const goneListed = listedOf.slice(from, oldTail);
  spliceIn(symbolOf, from, gone.length, added, undefined);
  spliceIn(refsOf, from, gone.length, added, NO_REFS);
  spliceIn(listedOf, from, gone.length, added, undefined);

  // The edit's definitions: those of the same kind and name at its start and end keep their
  // symbols (a space typed: no name changes); the names of the others are typed or deleted.
  const named = new Set<string>();
  const oldDefs = goneSymbols.filter((x): x is SymbolInfo => x !== undefined);
  const newDefs: number[] = [];
  for (let i = from; i < from + added; i++) if (definer(statements[i])) newDefs.push(i);
  const same = (s: SymbolInfo, i: number) => s.name === definer(statements[i])!.name.name && s.kind === kindOf(statements[i]);
  let head = 0;
  while (head < oldDefs.length && head < newDefs.length && same(oldDefs[head], newDefs[head])) head++;
  let tail = 0;
  while (tail < oldDefs.length - head && tail < newDefs.length - head && same(oldDefs[oldDefs.length - 1 - tail], newDefs[newDefs.length - 1 - tail])) tail++;
  const goneDefs = new Set(oldDefs.slice(head, oldDefs.length - tail));
  const freshDefs: SymbolInfo[] = [];
  for (const s of goneDefs) named.add(s.name);
  for (let t = 0; t < newDefs.length; t++) {
    const stmt = statements[newDefs[t]];
    const ident = definer(stmt)!.name;
    let s = t < head ? oldDefs[t] : t >= newDefs.length - tail ? oldDefs[oldDefs.length - newDefs.length + t] : undefined;
    if (s) {
      s.span = stmt.span;
      s.nameSpan = ident.span;
    } else {
      freshDefs.push((s = newSymbol(ident.name, kindOf(stmt), ident.span, stmt.span)));
      named.add(ident.name);
    }
    symbolOf[newDefs[t]] = s;
  }
  // Each such name's first definition now, and the definitions outside the edit whose problems change with it.
  const { firstOf, counts, reported } = firstDefinitions(named, goneDefs, freshDefs, table, statements, symbolOf);

  // The statements whose part may change: the edit's, those that look up a name the edit
  // defines or defined (found or not), and, in turn, those that look up what these define.
  const why = new Uint8Array(n);
  const idx: number[] = [];
  for (let i = from; i < from + added; i++) {
    why[i] = CHANGED;
    idx.push(i);
  }
  let count = added;
  const names = new LookedUp(table);
  for (const name of named) names.add(name);
  for (const s of oldDefs) names.target(s);
  for (let i = from; i < from + added; i++) names.add(nameOf(statements[i]));
  for (let grew = names.size > 0; grew; ) {
    grew = false;
    for (let i = 0; i < n; i++) {
      const r = refsOf[i];
      if (why[i] === CHANGED || r === NO_REFS) continue;
      // A training or prediction that names no model or data source suggests the closest name of all.
      if (!names.mentionedBy(r) && !(named.size > 0 && (statements[i].kind === 'train' || statements[i].kind === 'predict') && failed(r))) continue;
      why[i] = CHANGED;
      idx.push(i);
      if (++count > MAX_AFFECTED) return before;
      grew = names.add(nameOf(statements[i])) || grew;
    }
  }
  // Those whose problems alone may change: the definitions of a name typed or deleted (which
  // is first, which repeats it), the models a changed training trains (their missing input's fix).
  const trained = new Set<string>();
  for (const g of gone) if (g.kind === 'train') for (const m of g.models) trained.add(m.name);
  for (const i of idx) {
    const stmt = statements[i];
    if (stmt.kind === 'train') for (const m of stmt.models) trained.add(m.name);
  }
  for (const name of trained) {
    const s = named.has(name) ? firstOf.get(name) : table.get(name);
    if (s && s.kind === 'model') reported.push(s);
  }
  for (const s of reported) {
    const i = statementOf(statements, s);
    if (why[i] !== 0) continue;
    why[i] = REPORTED;
    idx.push(i);
    if (++count > MAX_AFFECTED) return before;
  }
  idx.sort((x, y) => x - y);
  const m = idx.length;
  const oldRefs = idx.map((i) => refsOf[i]);
  const oldListed = idx.map((i) => listedOf[i]);
  // Their problems lie within them: none of them refers to a constant elsewhere whose value holds positions of its own (a tuple's items, a call).
  const own = new Set<SymbolInfo>(goneSymbols.filter((x): x is SymbolInfo => x !== undefined));
  for (const i of idx) if (symbolOf[i]) own.add(symbolOf[i]!);
  if (!ownPositions(goneRefs, own, table) || !ownPositions(oldRefs, own, table)) return before;

  // The namespace after the edit.
  for (const name of named) table.redefine(name, firstOf.get(name), counts.get(name)!);
  // The old symbols of the edit follow those of the statements before it, which end before it starts.
  const bound = from > 0 ? statements[from - 1].span.end : 0;
  const at = prefixLength(table.symbols.length, (k) => table.symbols[k].span.start < bound);
  replaceIn(table.symbols, at, oldDefs.length, newDefs.map((i) => symbolOf[i]!));

  const out = new DiagnosticCollector(PROBLEMS_BUILT, true);
  // The references are rebuilt from every statement's below, in a full pass's order.
  table.keepReferences = false;
  const walked = new Set<A.Statement>();
  const fallBack = { fallBack: 'walked', walked } as const;
  try {
    // 1. Definitions: the later ones of a name reported.
    for (const i of idx) reportRepeated(statements[i], symbolOf[i], table, out);
    // 2-4. A model is taken from its last walk unless its lookups may find other values.
    const { listed, refs, details, sources } = yield* statementParts(statements, idx, symbolOf, table, out, text, edit, (stmt, i) => {
      walked.add(stmt);
      return stmt !== edit.model ? reuseModel(stmt, table, out, edit.boundary, edit.delta, why[i] === CHANGED) : null;
    }, listedOf);
    // The lists in place (they are the spent analysis's).
    const lists: Listed[][] = [previous.constants, previous.models, previous.data, previous.trains, previous.predicts];
    updateLists(lists, statements, idx, listed, bound, gone, goneListed);
    // A model without an input: its fix reads the first training of it.
    for (let j = 0; j < m; j++) if (details[j]) reportMissingInput((listed[j] as ModelInfo).name, details[j]!, previous.trains, () => sources, out);

    // The references of every symbol these statements refer or referred to, as a full pass makes them.
    const touched = new Set<SymbolInfo>();
    for (const r of goneRefs) addTargets(r, touched);
    for (let j = 0; j < m; j++) {
      addTargets(oldRefs[j], touched);
      addTargets(refs[j], touched);
      refsOf[idx[j]] = refs[j];
    }
    const rebuilt = rebuildReferences(statements, refsOf, touched);
    // A definition elsewhere that becomes used or unused: its hint comes or goes; it is analysed again for its problems alone.
    const flipped = new Set<SymbolInfo>();
    for (const [s, list] of rebuilt) {
      if (!own.has(s) && !goneDefs.has(s) && s.kind !== 'model' && s.references.length > 0 !== list.length > 0) flipped.add(s);
    }
    const late = [...flipped].map((s) => statementOf(statements, s)).sort((x, y) => x - y);
    const references = (s: SymbolInfo) => rebuilt.get(s)?.length ?? s.references.length;
    // 5. Unused definitions.
    for (const i of idx) if (symbolOf[i]) reportUnused(symbolOf[i]!, references(symbolOf[i]!), out);
    const recorder = new RefRecorder(table);
    try {
      for (const i of late) {
        const stmt = statements[i];
        const s = symbolOf[i]!;
        own.add(s);
        reportRepeated(stmt, s, table, out);
        if (stmt.kind === 'let') constantPart(stmt, s, table, out);
        else if (stmt.kind === 'data') analyzeData(stmt, table, out);
        reportUnused(s, references(s), out);
        if (!ownPositions([recorder.take()], own, table)) return fallBack;
      }
    } finally {
      recorder.stop();
    }
    if (!ownPositions(refs, own, table)) return fallBack;

    // The problems: those of the statements analysed again replaced by the new ones.
    const oldStart = gone.length > 0 ? gone[0].span.start : from > 0 ? statements[from - 1].span.end : 0;
    const oldEnd = gone.length > 0 ? gone[gone.length - 1].span.end : oldStart;
    if (fixesReach(kept.problems, oldStart, oldEnd)) return fallBack;
    const moved = kept.problems.merged(oldStart, oldEnd, edit.delta, NO_PROBLEMS, 0);
    const problems = moved?.replaced(runs(statements, mergeSorted(idx, late)), out.problems(), MAX_DIAGNOSTICS);
    if (!problems) return fallBack;

    // Exact: from here on the old state is changed in place; its problems, and the step to the new ones, are read no more.
    kept.problems.release();
    moved!.release();
    for (const [s, list] of rebuilt) s.references = list;
    for (let k = 0; k < gone.length; k++) if (gone[k].kind === 'model' && goneListed[k]) previous.modelDetails.delete((goneListed[k] as ModelInfo).name);
    for (let j = 0; j < m; j++) {
      const was = oldListed[j] as ModelInfo | undefined;
      if (statements[idx[j]].kind === 'model' && was && (listed[j] as ModelInfo | undefined)?.name !== was.name) previous.modelDetails.delete(was.name);
    }
    for (let j = 0; j < m; j++) if (details[j]) previous.modelDetails.set((listed[j] as ModelInfo).name, details[j]!);
    for (let j = 0; j < m; j++) listedOf[idx[j]] = listed[j];
    // The walks of the models not analysed again follow the edit: only those that keep problems or a record need to.
    const left = new Set<A.Statement>(gone);
    const followers = kept.followers.filter((stmt) => !left.has(stmt) && !walked.has(stmt));
    for (const stmt of followers) followEdit(stmt, edit.boundary, edit.delta);
    for (const stmt of walked) if (followsEdits(stmt as A.ModelStmt)) followers.push(stmt as A.ModelStmt);
    const { constants, models, data, trains, predicts, symbols, modelDetails } = previous;
    return { lists: { constants, models, data, trains, predicts, symbols, modelDetails }, state: { table, symbolOf, refsOf, listedOf, problems, followers }, problems };
  } finally {
    table.keepReferences = true;
    table.visibleBefore = Infinity;
  }
}

const NO_PROBLEMS = ProblemList.of([]);

/**
 * The first definition of each name in `named` after an edit that removed the definitions
 * `gone` and made `fresh` (both of those names), how many statements define it, and the
 * definitions outside the edit whose problems change: the old first when another comes first
 * now, the new first when it was a repeat, and every repeat when the first is of another kind
 * (its message names the kind). Without a look at every statement unless a name the edit
 * changed is also defined elsewhere and its first definition is not known (a repeated name's
 * first definition deleted or put after another).
 */
function firstDefinitions(
  named: Set<string>,
  gone: Set<SymbolInfo>,
  fresh: readonly SymbolInfo[],
  table: SymbolTable,
  statements: readonly A.Statement[],
  symbolOf: readonly (SymbolInfo | undefined)[],
): { firstOf: Map<string, SymbolInfo | undefined>; counts: Map<string, number>; reported: SymbolInfo[] } {
  const firstOf = new Map<string, SymbolInfo | undefined>();
  const counts = new Map<string, number>();
  const reported: SymbolInfo[] = [];
  const unknown = new Set<string>();
  for (const name of named) {
    const old = table.get(name);
    const kept = old && !gone.has(old) ? old : undefined;
    let count = table.definitions(name);
    for (const s of gone) if (s.name === name) count--;
    let first = kept;
    let known = kept ? 1 : 0;
    for (const s of fresh) {
      if (s.name !== name) continue;
      count++;
      known++;
      if (!first || s.span.start < first.span.start) first = s;
    }
    counts.set(name, count);
    // Another definition elsewhere may come first when the old first is gone.
    if (!kept && count > known) unknown.add(name);
    else firstOf.set(name, count > 0 ? first : undefined);
  }
  if (unknown.size > 0) {
    for (let i = 0; i < symbolOf.length; i++) {
      const s = symbolOf[i];
      if (s && unknown.has(s.name) && !firstOf.has(s.name)) firstOf.set(s.name, s);
    }
  }
  const repeatsOf = new Set<string>();
  for (const name of named) {
    const old = table.get(name);
    const first = firstOf.get(name);
    if (first === old) continue;
    if (old && !gone.has(old)) reported.push(old);
    if (first && !fresh.includes(first)) reported.push(first);
    // The repeats' message names the first definition's kind.
    if (old && first && old.kind !== first.kind) repeatsOf.add(name);
  }
  if (repeatsOf.size > 0) {
    for (let i = 0; i < symbolOf.length; i++) {
      const s = symbolOf[i];
      if (s && repeatsOf.has(s.name) && s !== firstOf.get(s.name) && !fresh.includes(s)) reported.push(s);
    }
  }
  return { firstOf, counts, reported };
}

/** The index of the statement that defines `s` (its span is the statement's). */
function statementOf(statements: readonly A.Statement[], s: SymbolInfo): number {
  return prefixLength(statements.length, (k) => statements[k].span.start < s.span.start);
}

/** A statement's definition: its name and kind, or null (a training, a prediction, a statement without its name yet). */
function definer(stmt: A.Statement): { name: A.Ident } | null {
  return stmt.kind === 'train' || stmt.kind === 'predict' || !stmt.name ? null : { name: stmt.name };
}

function kindOf(stmt: A.Statement): SymbolKind {
  return stmt.kind === 'let' ? 'constant' : (stmt.kind as SymbolKind);
}

/**
 * Names whose lookups an edit can change, and the symbols those lookups found before it (the
 * first definitions of the names, and the edit's old ones): a statement's recorded lookups
 * mention one when they found one of those symbols, compared by identity (usually a handful:
 * a realistic file's 100,000 lookups are read in one loop), or found nothing by one of the names.
 */
class LookedUp {
  private readonly names = new Set<string>();
  private readonly symbols: SymbolInfo[] = [];
  /** Past a few symbols, a set of them. */
  private many: Set<SymbolInfo> | null = null;

  constructor(private readonly table: SymbolTable) {}

  get size(): number {
    return this.names.size;
  }

  /** Adds a name (and the symbol its lookups find); whether it was not there. */
  add(name: string | null): boolean {
    if (name === null || this.names.has(name)) return false;
    this.names.add(name);
    const s = this.table.get(name);
    if (s) this.target(s);
    return true;
  }

  /** A symbol lookups found, of a name added or to be added. */
  target(s: SymbolInfo): void {
    this.names.add(s.name);
    if (this.many) this.many.add(s);
    else if (!this.symbols.includes(s)) {
      this.symbols.push(s);
      if (this.symbols.length > 8) this.many = new Set(this.symbols);
    }
  }

  /** Whether a statement's lookups (StatementRefs) mention one of the names. */
  mentionedBy(refs: StatementRefs): boolean {
    const { symbols, many, names } = this;
    for (let j = 0; j < refs.length; j += 2) {
      const t = refs[j];
      if (typeof t === 'string' ? names.has(t) : many ? many.has(t as SymbolInfo) : symbols.includes(t as SymbolInfo)) return true;
    }
    return false;
  }
}

/** Whether one of the references found no definition. */
function failed(refs: StatementRefs): boolean {
  for (let j = 0; j < refs.length; j += 2) if (typeof refs[j] === 'string') return true;
  return false;
}

/** Replaces `remove` entries of `list` from `at` by `count` copies of `value`, in place. */
function spliceIn<T>(list: T[], at: number, remove: number, count: number, value: T): void {
  if (remove === count) list.fill(value, at, at + count);
  else list.splice(at, remove, ...new Array<T>(count).fill(value));
}

/** The index of a statement's list among the analysis's lists (constants, models, data sources, trainings, predictions). */
function listOf(stmt: A.Statement): number {
  return stmt.kind === 'let' ? 0 : stmt.kind === 'model' ? 1 : stmt.kind === 'data' ? 2 : stmt.kind === 'train' ? 3 : 4;
}

/**
 * The analysis's lists after the statements `idx` listed `listed`, and the edit's old
 * statements `gone` (which listed `goneListed`, after those that end before `bound`) went: each
 * entry replaced, removed or inserted in place, found by its position (an entry's span is its
 * statement's, moved with it).
 */
function updateLists(lists: Listed[][], statements: readonly A.Statement[], idx: readonly number[], listed: readonly (Listed | undefined)[], bound: number, gone: readonly A.Statement[], goneListed: readonly (Listed | undefined)[]): void {
  const goneCounts = [0, 0, 0, 0, 0];
  for (let k = 0; k < gone.length; k++) if (goneListed[k]) goneCounts[listOf(gone[k])]++;
  for (let k = 0; k < lists.length; k++) {
    const list = lists[k];
    if (goneCounts[k] > 0) list.splice(prefixLength(list.length, (e) => list[e].span.start < bound), goneCounts[k]);
  }
  for (let j = 0; j < idx.length; j++) {
    const stmt = statements[idx[j]];
    const list = lists[listOf(stmt)];
    const place = prefixLength(list.length, (e) => list[e].span.start < stmt.span.start);
    const was = place < list.length && list[place].span === stmt.span;
    const now = listed[j];
    if (was && now) list[place] = now;
    else if (was) list.splice(place, 1);
    else if (now) list.splice(place, 0, now);
  }
}

/** The indices of `a` and `b` (each in order, apart) in order. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  return b.length === 0 ? (a as number[]) : [...a, ...b].sort((x, y) => x - y);
}

/** The spans of the runs of consecutive statements among `idx` (in order). */
function runs(statements: readonly A.Statement[], idx: readonly number[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let j = 0; j < idx.length; ) {
    let k = j;
    while (k + 1 < idx.length && idx[k + 1] === idx[k] + 1) k++;
    out.push({ start: statements[idx[j]].span.start, end: statements[idx[k]].span.end });
    j = k + 1;
  }
  return out;
}

/**
 * Whether a problem outside the old statements [lo, hi) has a fix that edits them, or reaches
 * past them from before: the fixes of problems taken over are moved as their own positions are.
 */
function fixesReach(problems: ProblemList, lo: number, hi: number): boolean {
  for (const d of problems.built) {
    if (!d.fixes || (d.span.start >= lo && d.span.start < hi)) continue;
    for (const f of d.fixes) {
      for (const e of f.edits) {
        if (d.span.start < lo ? e.span.end >= lo : e.span.start < hi && e.span.end >= lo) return true;
      }
    }
  }
  return false;
}

function nameOf(stmt: A.Statement): string | null {
  return stmt.kind === 'train' || stmt.kind === 'predict' ? null : (stmt.name?.name ?? null);
}

function addTargets(refs: StatementRefs, into: Set<SymbolInfo>): void {
  for (let j = 0; j < refs.length; j += 2) if (typeof refs[j] !== 'string') into.add(refs[j] as SymbolInfo);
}

/**
 * Whether the statements' references name no constant defined outside `own` whose value holds
 * positions of its own definition (a tuple's items, a call): a problem found in such a value
 * (a dimension that is not positive) lies at the constant, not at the statement.
 */
function ownPositions(refsOf: readonly StatementRefs[], own: Set<SymbolInfo>, table: SymbolTable): boolean {
  for (const r of refsOf) {
    for (let j = 0; j < r.length; j += 2) {
      const s = r[j];
      if (typeof s === 'string' || own.has(s as SymbolInfo) || (s as SymbolInfo).kind !== 'constant') continue;
      const kind = table.constantValue((s as SymbolInfo).name)?.kind;
      if (kind === 'seq' || kind === 'call') return false;
    }
  }
  return true;
}

/** Replaces `remove` entries of `list` from `at` by `items`, in place. */
function replaceIn<T>(list: T[], at: number, remove: number, items: readonly T[]): void {
  if (remove === items.length) for (let k = 0; k < remove; k++) list[at + k] = items[k];
  else list.splice(at, remove, ...items);
}

/** The phase of the pass a statement's references are made in: constants, then models and data sources, then trainings and predictions. */
function phaseOf(stmt: A.Statement): number {
  return stmt.kind === 'let' ? 0 : stmt.kind === 'model' || stmt.kind === 'data' ? 1 : 2;
}

/** The references of each symbol of `touched`, in the order a full pass makes them (by phase, then statement). */
function rebuildReferences(statements: readonly A.Statement[], refsOf: readonly StatementRefs[], touched: Set<SymbolInfo>): Map<SymbolInfo, Span[]> {
  const lists = new Map<SymbolInfo, Span[][]>();
  for (const s of touched) lists.set(s, [[], [], []]);
  if (touched.size > 0) {
    for (let i = 0; i < statements.length; i++) {
      const r = refsOf[i];
      if (r === NO_REFS) continue;
      for (let j = 0; j < r.length; j += 2) {
        const per = typeof r[j] === 'string' ? undefined : lists.get(r[j] as SymbolInfo);
        if (per) per[phaseOf(statements[i])].push(r[j + 1] as Span);
      }
    }
  }
  const out = new Map<SymbolInfo, Span[]>();
  for (const [s, per] of lists) out.set(s, per[0].concat(per[1], per[2]));
  return out;
}

export function toConfig(value: Value): ConfigValue | undefined {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'seq': {
      const items = value.items.map(toConfig);
      return items.some((i) => i === undefined) ? undefined : (items as ConfigValue[]);
    }
    default:
      return undefined;
  }
}
