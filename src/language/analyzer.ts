import type * as A from './ast';
import { analyzeData } from './dataAnalysis';
import { DiagnosticCollector, MAX_DIAGNOSTICS, PROBLEMS_BUILT, type DiagnosticSink } from './diagnosticCollector';
import { diagnostic, type Diagnostic } from './diagnostics';
import { evaluate } from './evaluate';
import { LineIndex } from './lineIndex';
import type { ConfigValue, ConstantInfo, DataInfo, ModelInfo, PredictInfo, TrainInfo } from './model';
import { intact, keepParse, reparse, type ParseState, type Reparse } from './incremental';
import { analyzeModel, NoReuse, reuseModel, type ModelAnalysis } from './modelAnalysis';
import { parseSteps } from './parser';
import { runSteps, STEP_SIZE, type Steps } from './steps';
import { SymbolTable, type SymbolInfo } from './symbols';
import { analyzePredict, analyzeTrain } from './trainAnalysis';
import type { Value } from './values';

/** Everything the engine knows about one document. */
export interface Analysis {
  text: string;
  document: A.Document;
  diagnostics: Diagnostic[];
  constants: ConstantInfo[];
  models: ModelInfo[];
  data: DataInfo[];
  trains: TrainInfo[];
  predicts: PredictInfo[];
  symbols: SymbolInfo[];
  lines: LineIndex;
  /** Per model name: the calls behind its layers, for editor features. */
  modelDetails: Map<string, ModelAnalysis>;
}

export { MAX_DIAGNOSTICS } from './diagnosticCollector';
/** The largest document analysed, in UTF-16 code units (the CLI refuses larger files before reading them). */
export const MAX_DOCUMENT_CHARS = 10 * 1024 * 1024;

export function analyze(text: string): Analysis {
  return runSteps(analysisSteps(text));
}

/**
 * The analysis in steps (see steps.ts): it yields after tokenizing, between phases and every
 * STEP_SIZE statements or layers, so the language server can answer other messages and drop
 * the analysis of a version the user has already changed.
 *
 * With `previous`, the analysis of the text before an edit, the edit is analysed incrementally
 * (incremental.ts): the same result, in a fraction of the time on a long model or a long file.
 * `previous` is then spent (its tree is moved in place to build the new one): pass each
 * analysis as `previous` once, and only once nothing else reads it.
 *
 * `lines`, the text's line index when the caller keeps one (the language server does, per
 * version), is taken instead of scanning the text again (a megabyte of line breaks: ~15 ms),
 * and kept instead of the incremental analysis's own (one index per version, not two).
 */
export function* analysisSteps(text: string, previous?: Analysis, lines?: LineIndex): Steps<Analysis> {
  const refusal = notText(text);
  if (refusal) return refused(text, refusal, lines);
  if (previous && previous.text === text && intact(previous)) return previous;
  if (previous) {
    try {
      const edit = reparse(previous, text);
      if (edit) {
        const out = new DiagnosticCollector();
        edit.parse.problems.reportTo(out, MAX_DIAGNOSTICS);
        return yield* analyzeTree(text, edit.document, out, edit.parse, edit, lines);
      }
    } catch (e) {
      // A layer given its own name (NoReuse), or anything unforeseen: the whole text again.
      if (!(e instanceof NoReuse)) reportIncrementalFailure(e);
    }
    // Not kept alive through a full analysis: two analyses of a megabyte at once passed 300 MB.
    previous = undefined;
  }
  // The parse keeps the position of every problem it finds (the next edit's reparse merges them)
  // and builds the first few hundred; the analysis lists the first of them and counts the rest.
  const found = new DiagnosticCollector(PROBLEMS_BUILT, true);
  const { document, top, lexed } = yield* parseSteps(text, found);
  const problems = found.problems();
  const out = new DiagnosticCollector();
  problems.reportTo(out, MAX_DIAGNOSTICS);
  return yield* analyzeTree(text, document, out, { problems, top, lexed }, undefined, lines);
}

/** Set by tests: an incremental analysis that failed unexpectedly (the fresh one still answers). */
let onIncrementalFailure: ((e: unknown) => void) | undefined;

export function watchIncrementalFailures(f: ((e: unknown) => void) | undefined): void {
  onIncrementalFailure = f;
}

function reportIncrementalFailure(e: unknown): void {
  onIncrementalFailure?.(e);
}

/** The analysis of a parsed text; `parsed` is kept for the next edit's reparse. */
function* analyzeTree(text: string, document: A.Document, out: DiagnosticCollector, parsed: ParseState, edit?: Reparse, lines?: LineIndex): Steps<Analysis> {
  yield;
  const symbols = new SymbolTable();
  // Index loops over the statements: in a generator, an iterator's [index, statement] pairs were not optimised away (65,000 lets).
  const statements = document.statements;

  // 1. Definitions: one namespace for constants, data sources and models.
  // Per statement (by index), its symbol when it defined one: an array, not a map keyed by statement (38,000 models).
  const defined: (SymbolInfo | undefined)[] = new Array(statements.length).fill(undefined);
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i];
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
    if (stmt.kind === 'train' || stmt.kind === 'predict' || !stmt.name) continue;
    const kind = stmt.kind === 'let' ? 'constant' : stmt.kind;
    const { symbol, previous } = symbols.define(stmt.name.name, kind, stmt.name.span, stmt.span);
    if (previous) {
      out.push(diagnostic('duplicate-name', 'error', stmt.name.span, `'${stmt.name.name}' is already defined (as a ${previous.kind === 'constant' ? 'constant' : previous.kind === 'data' ? 'data source' : 'model'}); choose another name.`));
    } else defined[i] = symbol;
  }

  // 2. Constants, in order: each sees only those before it, as in Python.
  const constants: ConstantInfo[] = [];
  let order = 0;
  yield;
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i];
    if (stmt.kind !== 'let') continue;
    if (order % STEP_SIZE === STEP_SIZE - 1) yield;
    const symbol = defined[i];
    symbols.currentOrder = order;
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
    if (symbol) {
      symbols.setConstant(symbol, value, order);
      const config = toConfig(value);
      if (config !== undefined && stmt.name) constants.push({ name: stmt.name.name, span: stmt.span, nameSpan: stmt.name.span, value: config });
    }
    order++;
  }
  symbols.currentOrder = Infinity;

  // 3. Models and data sources.
  const models: ModelInfo[] = [];
  const modelDetails = new Map<string, ModelAnalysis>();
  const data: DataInfo[] = [];
  yield;
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i];
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
    if (stmt.kind === 'model') {
      // After an edit, the models not parsed again are taken as they were.
      const taken = edit && stmt !== edit.model ? reuseModel(stmt, symbols, out, edit.boundary, edit.delta, edit.constantsChanged) : null;
      const analysis = taken ?? (yield* analyzeModel(stmt, symbols, out, text, edit && stmt === edit.model ? edit.reuse : undefined));
      if (stmt.name && defined[i]) {
        models.push(analysis.info);
        modelDetails.set(analysis.info.name, analysis);
      }
    } else if (stmt.kind === 'data') {
      const info = analyzeData(stmt, symbols, out);
      if (info && defined[i]) data.push(info);
    }
  }

  // 4. Train and predict statements tie them together.
  // Made when a train or predict statement first asks: a file of 38,000 models and no train
  // statement spent a tenth of its analysis on maps nobody read.
  let maps: { models: Map<string, ModelInfo>; data: Map<string, DataInfo> } | undefined;
  const byName = () => (maps ??= { models: new Map(models.map((m) => [m.name, m])), data: new Map(data.map((d) => [d.name, d])) });
  const trains: TrainInfo[] = [];
  const predicts: PredictInfo[] = [];
  yield;
  for (let i = 0; i < statements.length; i++) {
    const stmt = statements[i];
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
    if (stmt.kind === 'train') {
      const t = analyzeTrain(stmt, symbols, byName().models, byName().data, out);
      if (t) trains.push(t);
    } else if (stmt.kind === 'predict') {
      const p = analyzePredict(stmt, symbols, byName().models, out);
      if (p) predicts.push(p);
    }
  }

  reportMissingInputs(modelDetails, trains, trains.length > 0 ? byName().data : new Map(), out);
  yield;

  // 5. Unused constants and data sources (models stand on their own: a summary is a use).
  for (const s of symbols.symbols) {
    if (s.kind === 'model' || s.references.length > 0) continue;
    // Built only if listed: a file of 65,000 unused constants lists 500.
    out.report('hint', s.nameSpan, () => {
      const d = diagnostic('unused-definition', 'hint', s.nameSpan, `${s.kind === 'constant' ? 'Constant' : 'Data source'} '${s.name}' is never used.`);
      d.unnecessary = true;
      return d;
    });
  }

  const analysis: Analysis = { text, document, diagnostics: out.list(), constants, models, data, trains, predicts, symbols: symbols.symbols, lines: lines ?? (edit ? edit.lines : new LineIndex(text)), modelDetails };
  keepParse(analysis, parsed);
  return analysis;
}

/** Why the text is not analysed at all, or null: binary content or a size past the limit. */
export function notText(text: string): Diagnostic | null {
  if (text.length > MAX_DOCUMENT_CHARS) {
    return diagnostic('not-text', 'error', { start: 0, end: 0 }, `This file is ${text.length.toLocaleString('en-US')} characters long; SeqModel analyses files of up to ${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} characters.`);
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    return diagnostic('not-text', 'error', { start: nul, end: nul + 1 }, 'This file holds binary content (a NUL character here), not SeqModel text; nothing else is checked.');
  }
  return null;
}

function refused(text: string, why: Diagnostic, lines = new LineIndex(text)): Analysis {
  return { text, document: { statements: [], comments: [] }, diagnostics: [why], constants: [], models: [], data: [], trains: [], predicts: [], symbols: [], lines, modelDetails: new Map() };
}

/**
 * A model without an input shape: the fix inserts `input(...)` with the shape of the data it
 * is trained on when that is known, so the quick fix is right the first time.
 */
function reportMissingInputs(details: Map<string, ModelAnalysis>, trains: TrainInfo[], data: Map<string, DataInfo>, out: DiagnosticSink): void {
  for (const [name, analysis] of details) {
    const call = analysis.missingInput;
    if (!call) continue;
    // Built only if listed: 38,000 models without an input list 500.
    out.report('error', call.callee.span, () => {
      const train = trains.find((t) => t.models.includes(name));
      const sample = train ? data.get(train.data)?.xShape.slice(1) : undefined;
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
}

function toConfig(value: Value): ConfigValue | undefined {
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
