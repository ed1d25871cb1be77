import type * as A from './ast';
import type { Diagnostic } from './diagnostics';
import { LineIndex } from './lineIndex';
import type { ModelReuse } from './modelAnalysis';
import { reparseLayers, reparseStatements, skippedInside } from './parser';
import { shiftedDiagnostic, shiftExpr, shiftStatement } from './shift';
import { walkRecordOf } from './walkRecord';

// The analysis after an edit inside one model's block, from the analysis before it: a model of
// 100,000 layers takes half a second to parse and analyse, far more than a keystroke may hold
// the editor's requests. Only the layer lines around the edit are parsed again, from the last
// line wholly before it until a line after it where the parse stands where the old one stood
// (same line, same state); the lines after that, the statements after the model and their
// comments are the old tree moved by the edit's length. The walk over the layers then takes
// over what it can (modelAnalysis.ts, walkRecord.ts). Whatever the edit does outside a model's
// braces, or when the old analysis is not fit to build on, is analysed from scratch: the result
// is always the one a fresh analysis of the text gives (test/unit/incremental.test.ts).

/** The new text's tree and parse problems, and what the walk of the edited model takes over. */
export interface Reparse {
  document: A.Document;
  lines: LineIndex;
  parseDiagnostics: Diagnostic[];
  /** The model whose lines were parsed again; undefined when whole statements were. */
  model?: A.ModelStmt;
  /** What the walk takes over; undefined for a short model, walked again whole. */
  reuse?: ModelReuse;
  /** Old positions from `boundary` on moved by `delta` (the statements after the edited model among them). */
  boundary: number;
  delta: number;
  /** A `let` was parsed again or removed: the models that look constants up are walked again. */
  constantsChanged: boolean;
}

/** The parse problems of an analysed text, when every one of them is known (none was only counted): what an edit's reparse builds on. */
const PARSE_DIAGNOSTICS = new WeakMap<object, Diagnostic[]>();

export function keepParseDiagnostics(analysis: object, list: Diagnostic[]): void {
  PARSE_DIAGNOSTICS.set(analysis, list);
}

/** Analyses whose tree was moved to build a newer one's: they no longer describe their text. */
const SPENT = new WeakSet<object>();

/** Whether an analysis still describes its own text (it was not built on). */
export function intact(analysis: object): boolean {
  return !SPENT.has(analysis);
}

/** Characters read past the edit before giving the parse more; grows fourfold each time it is not enough. */
const FIRST_READ = 2048;

/**
 * The new text's tree, built from `previous` (the analysis of the text before the edit), or
 * null when the edit is not inside one model's braces or the old analysis cannot be built on.
 * Once it returns a tree, `previous` is no longer valid: its tree was moved in place.
 */
export function reparse(previous: { text: string; document: A.Document; lines: LineIndex }, text: string): Reparse | null {
  const parseDiagnostics = PARSE_DIAGNOSTICS.get(previous);
  if (!parseDiagnostics) return null;
  const old = previous.text;
  const p = commonStart(old, text);
  const s = commonEnd(old, text, Math.min(old.length, text.length) - p);
  const delta = text.length - old.length;
  const oldEnd = old.length - s;
  const newEnd = text.length - s;

  // The statement around the edit: a model, the edit within its braces.
  const statements = previous.document.statements;
  const m = lastIndex(statements, (st) => st.span.start <= p);
  const model = statements[m];
  if (!model || model.kind !== 'model' || !model.open || !model.close || model.open.end > p || oldEnd > model.close.start || skippedInside(model)) {
    return betweenStatements(previous, parseDiagnostics, text, p, oldEnd, newEnd);
  }
  // A short model has no record, and a record may not be fit to take over (a layer named by
  // hand, more problems than it keeps): the model is then walked again whole.
  const kept = walkRecordOf(model);
  const record = kept && kept.complete && !kept.givenNames && kept.result && kept.lines === model.layers.length ? kept : undefined;

  // From the last layer line wholly before the edit (its first token, which the line before
  // looked at, is unchanged) to where the old parse resumes: a line (or the closing brace) at
  // the same place after the edit.
  const layers = model.layers;
  let fromLine = lastIndex(layers, (l) => l.span.end < p);
  while (fromLine >= 0 && !startsLine(old, layers[fromLine].span.start, model.open)) fromLine--;
  const start = fromLine >= 0 ? layers[fromLine].span.start : model.open.end;
  fromLine = Math.max(0, fromLine);
  const close = model.close;
  const owner = `Model ${model.name?.name ?? ''}`.trimEnd();
  let oldTail = -1;
  const resumes = (t: { kind: string; start: number; text: string }): boolean => {
    if (t.start < newEnd || t.kind === 'eof') return false;
    const at = t.start - delta;
    if (t.kind === 'punct' && t.text === '}' && at === close.start) {
      oldTail = layers.length;
      return true;
    }
    const k = lastIndex(layers, (l) => l.span.start <= at);
    if (k < 0 || layers[k].span.start !== at || !startsLine(old, at, model.open!)) return false;
    oldTail = k;
    return true;
  };
  let limit = newEnd + FIRST_READ;
  let window = null;
  for (;;) {
    window = reparseLayers(text, start, limit, model.open, owner, resumes);
    if (window || limit > close.end + delta) break;
    limit = newEnd + (limit - newEnd) * 4;
  }
  // The edit changed the block's structure (its `}` now closes elsewhere): whole statements again.
  if (!window) return betweenStatements(previous, parseDiagnostics, text, p, oldEnd, newEnd);
  const boundary = window.stop.start - delta;

  // Taken: from here on the old tree is moved, and `previous` is spent.
  PARSE_DIAGNOSTICS.delete(previous);
  SPENT.add(previous);
  for (let j = oldTail; j < layers.length; j++) shiftExpr(layers[j], delta);
  for (let j = m + 1; j < statements.length; j++) shiftStatement(statements[j], delta);
  const edited: A.ModelStmt = {
    kind: 'model',
    span: { start: model.span.start, end: close.end + delta },
    name: model.name,
    layers: layers.slice(0, fromLine).concat(window.layers, layers.slice(oldTail)),
    open: model.open,
    close: { start: close.start + delta, end: close.end + delta },
  };
  const document: A.Document = {
    statements: statements.slice(0, m).concat([edited], statements.slice(m + 1)),
    comments: mergeComments(previous.document.comments, start, boundary, delta, window.comments),
  };
  return {
    document,
    lines: LineIndex.edited(previous.lines, text, p, oldEnd, newEnd),
    parseDiagnostics: mergeDiagnostics(parseDiagnostics, start, boundary, delta, window.diagnostics),
    model: edited,
    reuse: record && { record, from: fromLine, tailAt: fromLine + window.layers.length, oldTail, boundary, delta },
    boundary,
    delta,
    constantsChanged: false,
  };
}

/**
 * After an edit outside any model's braces: the statements from the last one wholly before the
 * edit are parsed again until one after it starts where an old one started (the parse between
 * statements carries no state), or to the end of the text. The statements after are the old
 * ones moved; every model not parsed again is taken from its last walk (analyzer.ts).
 */
function betweenStatements(
  previous: { text: string; document: A.Document; lines: LineIndex },
  parseDiagnostics: Diagnostic[],
  text: string,
  p: number,
  oldEnd: number,
  newEnd: number,
): Reparse | null {
  const old = previous.text;
  const delta = newEnd - oldEnd;
  const statements = previous.document.statements;
  let from = lastIndex(statements, (st) => st.span.end <= p);
  let start: number;
  const last = statements[from];
  if (last && (last.kind === 'model' || last.kind === 'train') && last.close && last.span.end === last.close.end) {
    // A block closed by its `}` looked at nothing after it, and no character typed after a `}`
    // joins it: the parse resumes right after it (a model of 100,000 layers before an edit at
    // the end of the file is not parsed again).
    start = last.span.end;
    from++;
  } else {
    from = lastIndex(statements, (st) => st.span.end < p);
    // Otherwise the statement is parsed again: the one before it looked at its first token.
    while (from >= 0 && !startsStatement(old, statements[from].span.start)) from--;
    start = from >= 0 ? statements[from].span.start : 0;
    from = Math.max(0, from);
  }
  let oldTail = statements.length;
  const resumes = (t: { kind: string; start: number }): boolean => {
    if (t.start < newEnd || t.kind === 'eof') return false;
    const at = t.start - delta;
    const k = lastIndex(statements, (st) => st.span.start <= at);
    if (k < 0 || statements[k].span.start !== at || !startsStatement(old, at)) return false;
    oldTail = k;
    return true;
  };
  // With no statement after the edit to resume at, the parse runs to the end: read it all at once.
  let limit = statements.length > 0 && statements[statements.length - 1].span.start >= oldEnd ? newEnd + FIRST_READ : text.length;
  let window = null;
  for (;;) {
    window = reparseStatements(text, start, limit, resumes);
    if (window || limit >= text.length) break;
    limit = Math.min(text.length, newEnd + (limit - newEnd) * 4);
  }
  if (!window) return null;
  // Where the old text is taken again: the statement the parse stopped at, or nowhere.
  const boundary = window.stop ? window.stop.start - delta : old.length + 1;

  PARSE_DIAGNOSTICS.delete(previous);
  SPENT.add(previous);
  for (let j = oldTail; j < statements.length; j++) shiftStatement(statements[j], delta);
  return {
    document: {
      statements: statements.slice(0, from).concat(window.statements, statements.slice(oldTail)),
      comments: mergeComments(previous.document.comments, start, boundary, delta, window.comments),
    },
    lines: LineIndex.edited(previous.lines, text, p, oldEnd, newEnd),
    parseDiagnostics: mergeDiagnostics(parseDiagnostics, start, boundary, delta, window.diagnostics),
    boundary,
    delta,
    constantsChanged: statements.slice(from, oldTail).some((st) => st.kind === 'let') || window.statements.some((st) => st.kind === 'let'),
  };
}

/** The comments of the new text: the old ones before `start`, those parsed again, the old ones from `boundary` on moved (in place). */
function mergeComments(comments: A.Comment[], start: number, boundary: number, delta: number, parsed: A.Comment[]): A.Comment[] {
  const firstMoved = lastIndex(comments, (c) => c.span.start < boundary) + 1;
  for (let j = firstMoved; j < comments.length; j++) {
    comments[j].span.start += delta;
    comments[j].span.end += delta;
  }
  const kept = lastIndex(comments, (c) => c.span.start < start) + 1;
  return comments.slice(0, kept).concat(parsed, comments.slice(firstMoved));
}

/** The parse problems of the new text: the old ones before `start`, those found again, the old ones from `boundary` on moved (copies). */
function mergeDiagnostics(old: Diagnostic[], start: number, boundary: number, delta: number, parsed: Diagnostic[]): Diagnostic[] {
  const before = lastIndex(old, (d) => d.span.start < start) + 1;
  // Those of the old part parsed again end before the boundary, or are empty at it (where the
  // old parse found a `)` missing right before a `}`): the new parse has found them again.
  const after = lastIndex(old, (d) => d.span.start < boundary || (d.span.start === boundary && d.span.end === boundary)) + 1;
  return old.slice(0, before).concat(
    parsed,
    old.slice(after).map((d) => shiftedDiagnostic(d, boundary, delta)),
  );
}

/** Whether a statement starts at the beginning of the text, or after a line break, a `;` or a `}` and blanks: where the parse of the statements stood, in the state it always has there. */
function startsStatement(text: string, at: number): boolean {
  let i = at - 1;
  for (;;) {
    if (i < 0) return true;
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff) i--;
    else return c === 10 || c === 13 || c === 59 /* ; */ || c === 125 /* } */;
  }
}

/** Characters compared at once: comparing two slices is a memory comparison, far faster than a loop over characters. */
const CHUNK = 4096;

/** The length of the longest common beginning of two texts. */
function commonStart(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p + CHUNK <= max && a.slice(p, p + CHUNK) === b.slice(p, p + CHUNK)) p += CHUNK;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the longest common end of two texts, at most `max`. */
function commonEnd(a: string, b: string, max: number): number {
  let s = 0;
  while (s + CHUNK <= max && a.slice(a.length - s - CHUNK, a.length - s) === b.slice(b.length - s - CHUNK, b.length - s)) s += CHUNK;
  while (s < max && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}

/**
 * Whether a layer's expression starts where its line does (after a line break, a `;` or the
 * block's `{`, and blanks): a layer written `(Dense(1))` is the call inside the parentheses,
 * which starts after the line's first token, and no parse resumes there.
 */
function startsLine(text: string, at: number, open: A.ModelStmt['open']): boolean {
  let i = at - 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff) i--;
    else return c === 10 || c === 13 || c === 59 /* ; */ || (open !== null && i === open.start);
  }
}

/** The last index in a list ordered by position for which `before` holds (it holds for a prefix), or -1. */
function lastIndex<T>(list: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
