import type { Analysis } from './analyzer';
import type * as A from './ast';
import { analyzeData } from './dataAnalysis';
import { DiagnosticCollector, type DiagnosticSink, MAX_DIAGNOSTICS, PROBLEMS_BUILT } from './diagnosticCollector';
import { diagnostic } from './diagnostics';
import { evaluate } from './evaluate';
import type { Reparse } from './incremental';
import type { ConfigValue, ConstantInfo, DataInfo, ModelInfo, PredictInfo, Span, TrainInfo } from './model';
import { analyzeModel, followEdit, followsEdits, reuseModel, type ModelAnalysis } from './modelAnalysis';
import type { ProblemList } from './problemList';
import type { Steps } from './steps';
import type { SymbolInfo, SymbolTable } from './symbols';
import { analyzePredict, analyzeTrain } from './trainAnalysis';
import type { Value } from './values';

// The analysis's pass over a document's statements, one statement at a time: the full pass
// (analyzer.ts) runs it over every statement; after an edit that changes no name, the pass
// below runs it over the statements parsed again only, and takes every other statement's part
// from the analysis before. A document of 38,000 models or 65,000 constants spent most of a
// keystroke's analysis defining every name again, walking every model's memo and reporting
// every missing input again, for one statement changed.
//
// What makes the shortcut exact: a statement's part of the analysis (its symbol, the problems
// reported at it, its references, its constant, model, data source, training or prediction)
// depends only on the statement and on what the names of the document stand for. An edit whose
// statements define the same names in the same order (same kinds) keeps the namespace, the
// constants' order and every lookup's outcome; when, besides, nothing outside the edited
// statements refers to what they define, and they refer to nothing that lends them positions
// elsewhere, every other statement's part is what it was, moved with its text. Anything else
// (a name typed, a constant used elsewhere changed, a model a training refers to) runs the
// full pass. test/unit/incremental.test.ts compares both with a fresh analysis.

/** The references a statement made, as pairs: the symbol, then the place of the reference. */
export type StatementRefs = (SymbolInfo | Span)[];

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

/**
 * A constant's value, seeing only the constants before it (`symbols.currentOrder` is its own
 * order); `symbol` when it is its name's first definition. The listed constant, if any.
 */
export function analyzeConstant(stmt: A.LetStmt, symbol: SymbolInfo | undefined, order: number, symbols: SymbolTable, out: DiagnosticSink): ConstantInfo | undefined {
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
  symbols.setConstant(symbol, value, order);
  const config = toConfig(value);
  return config !== undefined && stmt.name ? { name: stmt.name.name, span: stmt.span, nameSpan: stmt.name.span, value: config } : undefined;
}

/**
 * A model without an input shape: the fix inserts `input(...)` with the shape of the data it
 * is trained on when that is known, so the quick fix is right the first time.
 */
export function reportMissingInput(name: string, analysis: ModelAnalysis, trains: TrainInfo[], data: () => Map<string, DataInfo>, out: DiagnosticSink): void {
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

/** Maps by name of the models and data sources listed, made when a training or prediction first asks. */
export function byNames(models: ModelInfo[], data: DataInfo[]): () => { models: Map<string, ModelInfo>; data: Map<string, DataInfo> } {
  let maps: { models: Map<string, ModelInfo>; data: Map<string, DataInfo> } | undefined;
  return () => (maps ??= { models: new Map(models.map((m) => [m.name, m])), data: new Map(data.map((d) => [d.name, d])) });
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

// ---- After an edit that changes no name: the statements parsed again only ----

/** Statements parsed again past which the full pass runs (the checks below look at each). */
const MAX_CHANGED = 64;

/** The analysis's lists and per-statement state before the edit. */
export interface PassBefore extends PassLists {
  text: string;
}

/** What `changedStatements` gives: the new lists and state, or why not (`walked`: it had walked a model of the edit, which the full pass then takes from its memo). */
export type PassAfter = { lists: PassLists; state: PassState; problems: ProblemList } | { fallBack: 'before' | 'walked' };

/**
 * The pass after an edit, over the statements parsed again only (see the top of the file), or
 * what keeps it from being exact. `previous` is the analysis before the edit (spent: its tree
 * was moved to build the new one), `text` the new text.
 */
export function* changedStatements(text: string, edit: Reparse, previous: PassBefore): Steps<PassAfter> {
  const kept = PASS_STATE.get(previous);
  const before = { fallBack: 'before' } as const;
  if (!kept) return before;
  const { from, oldTail, added, removed: gone } = edit;
  const statements = edit.document.statements;
  if (oldTail - from !== added || added > MAX_CHANGED) return before;
  const { table, symbolOf, refsOf, listedOf } = kept;

  // The same definitions; nothing outside the edited statements refers to them.
  const own = new Set<SymbolInfo>();
  for (let k = 0; k < added; k++) {
    const was = gone[k];
    const now = statements[from + k];
    if (was.kind !== now.kind || nameOf(was) !== nameOf(now)) return before;
    const s = symbolOf[from + k];
    if (s) own.add(s);
  }
  for (const s of own) if (s.references.length > refsTo(s, refsOf, from, oldTail)) return before;
  // Nor do they refer to a constant that lends them positions outside (a tuple's items, a call: their
  // problems may lie there), nor train a model whose missing-input fix reads the training.
  if (!ownPositions(refsOf, from, oldTail, own, table) || trainsWithoutInput(gone, 0, gone.length, previous.modelDetails)) return before;
  if (trainsWithoutInput(statements, from, from + added, previous.modelDetails)) return before;

  // Where the edited statements' parts stand in the lists, and the constants' order there.
  let order = 0;
  const at = { constants: 0, models: 0, data: 0, trains: 0, predicts: 0 };
  for (let i = 0; i < from; i++) countListed(statements[i], listedOf[i], at);
  for (let i = 0; i < from; i++) if (statements[i].kind === 'let') order++;
  const removed = { constants: 0, models: 0, data: 0, trains: 0, predicts: 0 };
  for (let i = from; i < oldTail; i++) countListed(gone[i - from], listedOf[i], removed);

  yield;
  const out = new DiagnosticCollector(PROBLEMS_BUILT, true);
  const recorder = new RefRecorder(table);
  const refs: StatementRefs[] = new Array(added).fill(NO_REFS);
  const listed: (Listed | undefined)[] = new Array(added).fill(undefined);
  const fresh = { constants: [] as ConstantInfo[], models: [] as ModelInfo[], data: [] as DataInfo[], trains: [] as TrainInfo[], predicts: [] as PredictInfo[] };
  const details: [string, ModelAnalysis][] = [];
  try {
    // 1. Definitions: the symbols of the old statements, now at the new ones.
    for (let k = 0; k < added; k++) {
      const stmt = statements[from + k];
      const s = symbolOf[from + k];
      if (!s || !('name' in stmt) || !stmt.name) continue;
      s.span = stmt.span;
      s.nameSpan = stmt.name.span;
      if (!table.isFirst(s)) reportDuplicate(stmt.name, table.get(s.name)!, out);
    }
    // 2. Constants.
    for (let k = 0; k < added; k++) {
      const stmt = statements[from + k];
      if (stmt.kind !== 'let') continue;
      const s = symbolOf[from + k];
      table.currentOrder = order;
      const info = analyzeConstant(stmt, s && table.isFirst(s) ? s : undefined, order, table, out);
      table.currentOrder = Infinity;
      refs[k] = recorder.take();
      if (info) fresh.constants.push((listed[k] = info));
      order++;
    }
    // 3. Models and data sources.
    for (let k = 0; k < added; k++) {
      const stmt = statements[from + k];
      const s = symbolOf[from + k];
      const first = s !== undefined && table.isFirst(s);
      if (stmt.kind === 'model') {
        const taken = stmt !== edit.model ? reuseModel(stmt, table, out, edit.boundary, edit.delta, edit.constantsChanged) : null;
        const analysis = taken ?? (yield* analyzeModel(stmt, table, out, text, stmt === edit.model ? edit.reuse : undefined));
        refs[k] = recorder.take();
        if (stmt.name && first) {
          fresh.models.push((listed[k] = analysis.info));
          details.push([analysis.info.name, analysis]);
        }
      } else if (stmt.kind === 'data') {
        const info = analyzeData(stmt, table, out);
        refs[k] = recorder.take();
        if (info && first) fresh.data.push((listed[k] = info));
      }
    }
    // 4. Trainings and predictions: the maps by name hold the new models and data sources.
    let maps: ReturnType<ReturnType<typeof byNames>> | undefined;
    const names = () => {
      if (maps) return maps;
      maps = byNames(previous.models, previous.data)();
      for (let k = 0; k < added; k++) {
        const was = listedOf[from + k];
        if (was && gone[k].kind === 'model') maps.models.delete((was as ModelInfo).name);
        else if (was && gone[k].kind === 'data') maps.data.delete((was as DataInfo).name);
      }
      for (const m of fresh.models) maps.models.set(m.name, m);
      for (const d of fresh.data) maps.data.set(d.name, d);
      return maps;
    };
    for (let k = 0; k < added; k++) {
      const stmt = statements[from + k];
      if (stmt.kind === 'train') {
        const t = analyzeTrain(stmt, table, names().models, names().data, out);
        refs[k] = recorder.take();
        if (t) fresh.trains.push((listed[k] = t));
      } else if (stmt.kind === 'predict') {
        const p = analyzePredict(stmt, table, names().models, out);
        refs[k] = recorder.take();
        if (p) fresh.predicts.push((listed[k] = p));
      }
    }
    // Only the trainings of the edit can train its models (nothing else refers to them).
    for (const [name, analysis] of details) reportMissingInput(name, analysis, fresh.trains, () => names().data, out);

    // The references of every symbol the old or new statements refer to, as a full pass makes them.
    const touched = new Set<SymbolInfo>(own);
    for (let i = from; i < oldTail; i++) addTargets(refsOf[i], touched);
    for (const r of refs) addTargets(r, touched);
    const rebuilt = rebuildReferences(statements, refsOf, from, refs, touched);
    for (const [s, list] of rebuilt) {
      // A definition elsewhere that becomes used or unused: its hint comes or goes outside the edited statements.
      if (!own.has(s) && s.kind !== 'model' && s.references.length > 0 !== list.length > 0) return { fallBack: 'walked' };
    }
    if (!ownPositions(refs, 0, added, own, table)) return { fallBack: 'walked' };
    // 5. Unused definitions.
    for (let k = 0; k < added; k++) {
      const s = symbolOf[from + k];
      if (s) reportUnused(s, rebuilt.get(s)?.length ?? 0, out);
    }

    // The problems: the old ones of the edited statements replaced by the new ones.
    const found = out.problems();
    // The statement before the edited ones was not moved.
    const oldStart = added > 0 ? gone[0].span.start : from > 0 ? statements[from - 1].span.end : 0;
    const oldEnd = added > 0 ? gone[added - 1].span.end : oldStart;
    if (added > 0 && !found.inside(statements[from].span.start, statements[from + added - 1].span.end)) return { fallBack: 'walked' };
    if (fixesReach(kept.problems, oldStart, oldEnd)) return { fallBack: 'walked' };
    const problems = kept.problems.merged(oldStart, oldEnd, edit.delta, found, MAX_DIAGNOSTICS);
    if (!problems) return { fallBack: 'walked' };

    // Exact: from here on the old state is changed in place.
    for (const [s, list] of rebuilt) s.references = list;
    for (const [name, analysis] of details) previous.modelDetails.set(name, analysis);
    // The walks of the models not analysed again follow the edit: only those that keep problems or a record need to.
    const left = new Set<A.Statement>(gone);
    const followers = kept.followers.filter((stmt) => !left.has(stmt));
    for (const stmt of followers) followEdit(stmt, edit.boundary, edit.delta);
    for (let k = 0; k < added; k++) {
      const stmt = statements[from + k];
      if (stmt.kind === 'model' && followsEdits(stmt)) followers.push(stmt);
    }
    // The lists in place (they are the spent analysis's): as many entries came as went, or a few moved.
    for (let k = 0; k < added; k++) {
      refsOf[from + k] = refs[k];
      listedOf[from + k] = listed[k];
    }
    replaceIn(previous.constants, at.constants, removed.constants, fresh.constants);
    replaceIn(previous.models, at.models, removed.models, fresh.models);
    replaceIn(previous.data, at.data, removed.data, fresh.data);
    replaceIn(previous.trains, at.trains, removed.trains, fresh.trains);
    replaceIn(previous.predicts, at.predicts, removed.predicts, fresh.predicts);
    const { constants, models, data, trains, predicts, symbols, modelDetails } = previous;
    return { lists: { constants, models, data, trains, predicts, symbols, modelDetails }, state: { table, symbolOf, refsOf, listedOf, problems, followers }, problems };
  } finally {
    recorder.stop();
    table.currentOrder = Infinity;
  }
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

/** How many references to `s` the statements [from, to) made. */
function refsTo(s: SymbolInfo, refsOf: StatementRefs[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const r = refsOf[i];
    for (let j = 0; j < r.length; j += 2) if (r[j] === s) n++;
  }
  return n;
}

function addTargets(refs: StatementRefs, into: Set<SymbolInfo>): void {
  for (let j = 0; j < refs.length; j += 2) into.add(refs[j] as SymbolInfo);
}

/**
 * Whether the statements [from, to) refer to no constant defined elsewhere whose value holds
 * positions of its own definition (a tuple's items, a call): a problem found in such a value
 * (a dimension that is not positive) lies at the constant, not at the statement.
 */
function ownPositions(refsOf: StatementRefs[], from: number, to: number, own: Set<SymbolInfo>, table: SymbolTable): boolean {
  for (let i = from; i < to; i++) {
    const r = refsOf[i];
    for (let j = 0; j < r.length; j += 2) {
      const s = r[j] as SymbolInfo;
      if (own.has(s) || s.kind !== 'constant') continue;
      const kind = table.constantValue(s.name)?.kind;
      if (kind === 'seq' || kind === 'call') return false;
    }
  }
  return true;
}

/** Whether one of the statements [from, to) trains a model without an input shape: that model's missing-input fix reads the training's data. */
function trainsWithoutInput(statements: readonly A.Statement[], from: number, to: number, details: Map<string, ModelAnalysis>): boolean {
  for (let i = from; i < to; i++) {
    const stmt = statements[i];
    if (stmt.kind === 'train' && stmt.models.some((m) => details.get(m.name)?.missingInput)) return true;
  }
  return false;
}

type Counts = { constants: number; models: number; data: number; trains: number; predicts: number };

function countListed(stmt: A.Statement, listed: Listed | undefined, counts: Counts): void {
  if (!listed) return;
  if (stmt.kind === 'let') counts.constants++;
  else if (stmt.kind === 'model') counts.models++;
  else if (stmt.kind === 'data') counts.data++;
  else if (stmt.kind === 'train') counts.trains++;
  else counts.predicts++;
}

/** Replaces `remove` entries of `list` from `at` by `items` (at most MAX_CHANGED), in place. */
function replaceIn<T>(list: T[], at: number, remove: number, items: readonly T[]): void {
  if (remove === items.length) for (let k = 0; k < remove; k++) list[at + k] = items[k];
  else list.splice(at, remove, ...items);
}

/** The phase of the pass a statement's references are made in: constants, then models and data sources, then trainings and predictions. */
function phaseOf(stmt: A.Statement): number {
  return stmt.kind === 'let' ? 0 : stmt.kind === 'model' || stmt.kind === 'data' ? 1 : 2;
}

/**
 * The references of each symbol of `touched`, in the order a full pass makes them (by phase,
 * then statement): statement i's are `refs[i - from]` for the statements of the edit, else `refsOf[i]`.
 */
function rebuildReferences(statements: readonly A.Statement[], refsOf: StatementRefs[], from: number, refs: StatementRefs[], touched: Set<SymbolInfo>): Map<SymbolInfo, Span[]> {
  const lists = new Map<SymbolInfo, Span[][]>();
  for (const s of touched) lists.set(s, [[], [], []]);
  if (touched.size > 0) {
    for (let i = 0; i < statements.length; i++) {
      const r = i >= from && i < from + refs.length ? refs[i - from] : refsOf[i];
      if (r === NO_REFS) continue;
      for (let j = 0; j < r.length; j += 2) {
        const per = lists.get(r[j] as SymbolInfo);
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
