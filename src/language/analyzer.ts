import type * as A from './ast';
import { changeOf, type TextChange } from './commonText';
import { DiagnosticCollector, MAX_DIAGNOSTICS, PROBLEMS_BUILT } from './diagnosticCollector';
import { diagnostic, type Diagnostic } from './diagnostics';
import { LineIndex } from './lineIndex';
import type { ConstantInfo, DataInfo, ModelInfo, PredictInfo, TrainInfo } from './model';
import { intact, keepParse, reparse, type ParseState, type Reparse } from './incremental';
import { followsEdits, NoReuse, reuseModel, type ModelAnalysis } from './modelAnalysis';
import { parseSteps } from './parser';
import { runSteps, STEP_SIZE, type Steps } from './steps';
import { changedStatements, keepPass, reportMissingInput, reportRepeated, reportUnused, statementParts } from './statementPass';
import { SymbolTable, type SymbolInfo } from './symbols';

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

/**
 * The largest share of the new text an edit may have changed for the analysis to build on the
 * previous one (incremental.ts). Past it, what could be kept is too little to pay for keeping
 * the previous analysis alive beside the new one: replacing a megabyte by another took as long
 * either way (92-191 ms, bench/replacements.ts's shapes), and the server's live heap reached
 * twice one analysis (docs/benchmarks.md, "One analysis at a time").
 */
const MAX_CHANGED_SHARE = 0.5;

/**
 * Whether the analysis of a text changed so (`change`, of the previous text into one of
 * `length`) builds on the previous analysis. Not when little of the text is kept (a whole text
 * replaced, a paste over most of it): an incremental analysis would take as long as a fresh one
 * and keep the previous analysis alive until it ends, two analyses of a megabyte at once. The
 * language server drops the previous analysis then too, and collects (documents.ts).
 */
export function buildsOn(change: TextChange, length: number): boolean {
  return change.newEnd - change.start <= length * MAX_CHANGED_SHARE;
}

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
 * and kept instead of the incremental analysis's own (one index per version, not two). `change`,
 * where `text` differs from `previous.text` when the caller knows (the server, from the edits'
 * ranges), spares comparing the two texts.
 */
export function* analysisSteps(text: string, previous?: Analysis, lines?: LineIndex, change?: TextChange): Steps<Analysis> {
  const refusal = notText(text);
  if (refusal) return refused(text, refusal, lines);
  if (previous && previous.text === text && intact(previous)) return previous;
  if (previous) change = changeOf(previous.text, text, change);
  if (previous && !buildsOn(change!, text.length)) previous = undefined;
  if (previous) {
    try {
      const edit = reparse(previous, text, lines, change);
      if (edit) {
        const out = new DiagnosticCollector();
        edit.parse.problems.reportTo(out, MAX_DIAGNOSTICS);
        // Only the statements parsed again and those whose part the edit changes are analysed.
        const pass = yield* changedStatements(text, edit, previous);
        if ('lists' in pass) {
          pass.problems.reportTo(out, MAX_DIAGNOSTICS);
          const analysis: Analysis = { text, document: edit.document, diagnostics: out.list(), ...pass.lists, lines: lines ?? edit.lines };
          keepParse(analysis, edit.parse);
          keepPass(analysis, pass.state);
          return analysis;
        }
        // The pass walked the edited model before it found the edit needs the full pass: that takes the walk from its memo.
        return yield* analyzeTree(text, edit.document, out, edit.parse, pass.fallBack === 'walked' ? { ...edit, model: undefined, reuse: undefined, walked: pass.walked } : edit, lines);
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
  const n = statements.length;
  // The analysis's own problems, apart from the parse's: kept for the next edit (statementPass.ts),
  // the first PROBLEMS_BUILT of them built; the listing merges both below.
  const found = new DiagnosticCollector(PROBLEMS_BUILT, true);
  // What each statement defines, refers to and lists, kept for the next edit's pass (statementPass.ts).
  const symbolOf: (SymbolInfo | undefined)[] = new Array(n).fill(undefined);

  // 1. Definitions: one namespace for constants, data sources and models.
  for (let i = 0; i < n; i++) {
    const stmt = statements[i];
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
    if (stmt.kind === 'train' || stmt.kind === 'predict' || !stmt.name) continue;
    symbolOf[i] = symbols.define(stmt.name.name, stmt.kind === 'let' ? 'constant' : stmt.kind, stmt.name.span, stmt.span).symbol;
  }
  for (let i = 0; i < n; i++) reportRepeated(statements[i], symbolOf[i], symbols, found);

  // 2-4. Constants, models and data sources, trainings and predictions; after an edit, the
  // models not parsed again are taken as they were.
  const parts = yield* statementParts(statements, null, symbolOf, symbols, found, text, edit, (stmt) =>
    edit && stmt !== edit.model ? reuseModel(stmt, symbols, found, edit.boundary, edit.walked?.has(stmt) ? 0 : edit.delta, edit.constantsChanged) : null,
  );
  const refsOf = parts.refs;
  const listedOf = parts.listed;
  const constants: ConstantInfo[] = [];
  const models: ModelInfo[] = [];
  const modelDetails = new Map<string, ModelAnalysis>();
  const data: DataInfo[] = [];
  const trains: TrainInfo[] = [];
  const predicts: PredictInfo[] = [];
  for (let i = 0; i < n; i++) {
    const listed = listedOf[i];
    if (!listed) continue;
    const kind = statements[i].kind;
    if (kind === 'let') constants.push(listed as ConstantInfo);
    else if (kind === 'model') {
      models.push(listed as ModelInfo);
      modelDetails.set((listed as ModelInfo).name, parts.details[i]!);
    } else if (kind === 'data') data.push(listed as DataInfo);
    else if (kind === 'train') trains.push(listed as TrainInfo);
    else predicts.push(listed as PredictInfo);
  }

  // The models whose walks an edit elsewhere must move (statementPass.ts).
  const followers: A.ModelStmt[] = [];
  for (let i = 0; i < n; i++) {
    const stmt = statements[i];
    if (stmt.kind === 'model' && followsEdits(stmt)) followers.push(stmt);
  }

  // A model without an input shape: the fix takes the shape of the data it is trained on.
  for (const [name, analysis] of modelDetails) reportMissingInput(name, analysis, trains, () => parts.sources, found);
  yield;

  // 5. Unused constants and data sources.
  for (const s of symbols.symbols) reportUnused(s, s.references.length, found);

  const problems = found.problems();
  problems.reportTo(out, MAX_DIAGNOSTICS);
  const analysis: Analysis = { text, document, diagnostics: out.list(), constants, models, data, trains, predicts, symbols: symbols.symbols, lines: lines ?? (edit ? edit.lines : new LineIndex(text)), modelDetails };
  keepParse(analysis, parsed);
  keepPass(analysis, { table: symbols, symbolOf, refsOf, listedOf, problems, followers });
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
