import type * as A from './ast';
import { MAX_DIAGNOSTICS } from './diagnosticCollector';
import { LineIndex } from './lineIndex';
import type { ModelReuse } from './modelAnalysis';
import { bracketed, reparseLayers, reparseStatements, skippedInside } from './parser';
import { ProblemList } from './problemList';
import type { KeptTokens } from './relex';
import { shiftExpr, shiftStatement } from './shift';
import type { TopLevelMap } from './topLevel';
import { walkRecordOf } from './walkRecord';
import { prefixLength } from './search';
import { isBlank } from './lexer';
import { changeOf, type TextChange } from './commonText';

// The analysis after an edit inside one model's block, from the analysis before it: a model of
// 100,000 layers takes half a second to parse and analyse, far more than a keystroke may hold
// the editor's requests. Only the layer lines around the edit are parsed again, from the last
// line wholly before it until a line after it where the parse stands where the old one stood
// (same line, same state); the lines after that, the statements after the model and their
// comments are the old tree moved by the edit's length. The walk over the layers then takes
// over what it can (modelAnalysis.ts, walkRecord.ts). Whatever the edit does outside a model's
// braces parses again the statements around it (a junk line counts as one: a megabyte of `}`
// is a million of them), from where the old parse stood between statements before the edit to
// where it stood so after it (topLevel.ts). When the old analysis is not fit to build on, the
// text is analysed from scratch: the result is always the one a fresh analysis of the text
// gives (test/unit/incremental.test.ts).

/** The new text's tree and parse problems, and what the walk of the edited model takes over. */
export interface Reparse {
  document: A.Document;
  lines: LineIndex;
  parse: ParseState;
  /** The model whose lines were parsed again; undefined when whole statements were. */
  model?: A.ModelStmt;
  /** What the walk takes over; undefined for a short model, walked again whole. */
  reuse?: ModelReuse;
  /** Old positions from `boundary` on moved by `delta` (the statements after the edited model among them). */
  boundary: number;
  delta: number;
  /** A `let` was parsed again or removed, or a name defined or no longer defined (a model named as a constant comes first): the models that look constants up are walked again. */
  constantsChanged: boolean;
  /**
   * The statements parsed again: the old statements [from, oldTail), `removed` (at their old
   * positions), are the new document's [from, from + added); those before are the same
   * objects, those after the same objects moved (statementPass.ts analyses these and those
   * whose part they change).
   */
  from: number;
  oldTail: number;
  added: number;
  removed: readonly A.Statement[];
  /** Models walked or taken over already (statementPass.ts gave way after): their memos are at the new positions. */
  walked?: ReadonlySet<A.Statement>;
}

/** What the parse of an analysed text found beside its tree: its problems and where it stood between statements. */
export interface ParseState {
  problems: ProblemList;
  top: TopLevelMap;
  /** The text's tokens, when a statement is long enough to keep them (parser.ts, KEEP_TOKENS): an edit lexes again only around itself (relex.ts). */
  lexed?: KeptTokens;
}

/** Per analysis, its parse's state: what an edit's reparse builds on. */
const PARSE_STATE = new WeakMap<object, ParseState>();

export function keepParse(analysis: object, state: ParseState): void {
  PARSE_STATE.set(analysis, state);
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
 * Once it returns a tree, `previous` is no longer valid: its tree was moved in place. `change`
 * says where `text` differs from `previous.text` when the caller knows (the language server
 * does, from the edit's ranges); the two texts are compared when it does not.
 */
export function reparse(previous: { text: string; document: A.Document; lines: LineIndex }, text: string, lines?: LineIndex, change?: TextChange): Reparse | null {
  const parsed = PARSE_STATE.get(previous);
  if (!parsed) return null;
  const old = previous.text;
  const { start: p, oldEnd, newEnd } = changeOf(old, text, change);
  const delta = text.length - old.length;
  // The new text's tokens from the old ones, when kept: made if what is parsed again reads them.
  const lexed = parsed.lexed?.edited(text, p, oldEnd, newEnd);

  // The statement around the edit: a model, the edit within its braces.
  const statements = previous.document.statements;
  const m = lastIndex(statements, (st) => st.span.start <= p);
  const model = statements[m];
  if (!model || model.kind !== 'model' || !model.open || !model.close || model.open.end > p || oldEnd > model.close.start || skippedInside(model)) {
    return betweenStatements(previous, parsed, text, p, oldEnd, newEnd, lexed, lines);
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
  // Nor a line the line before put a problem on (see LOOKED_AT): that line is parsed again too.
  const fromBefore = (at: number) => LOOKED_AT.has(old[at]) && parsed.problems.countOn(at) > 0;
  while (fromLine >= 0 && (!startsLine(old, layers[fromLine].span.start, model.open) || bracketed(layers[fromLine]) || fromBefore(layers[fromLine].span.start))) fromLine--;
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
    if (k < 0 || layers[k].span.start !== at || !startsLine(old, at, model.open!) || bracketed(layers[k])) return false;
    oldTail = k;
    return true;
  };
  // The parse resumes only at an old line's start or the `}`: it reads at once to the first one
  // after what it has read (a call of a megabyte of arguments, a string of a million spaces: to
  // the `}`, not from the line's start again at four times the length each time).
  const nextResume = (read: number) => {
    const k = lastIndex(layers, (l) => l.span.start < read - delta) + 1;
    return (k < layers.length ? layers[k].span.start : close.start) + delta;
  };
  let limit = Math.max(newEnd, nextResume(newEnd)) + FIRST_READ;
  let window = null;
  for (;;) {
    window = reparseLayers(text, start, limit, model.open, owner, resumes, lexed);
    if (window || limit > close.end + delta) break;
    limit = Math.max(newEnd + (limit - newEnd) * 4, nextResume(limit) + FIRST_READ);
  }
  // The edit changed the block's structure (its `}` now closes elsewhere): whole statements again.
  if (!window) return betweenStatements(previous, parsed, text, p, oldEnd, newEnd, lexed, lines);
  const boundary = window.stop.start - delta;
  // The old problems on the stop token that the old parse of the lines before it reported (found
  // again, or gone, in `window`): counted by parsing those old lines again, as long as the new
  // parse took. Only a bracket left open reads on to the next line, and its parse reports on a
  // token there only when it does not take it: a `}`, or a `)`, `]` or `,` that closes nothing.
  let stale = 0;
  if (LOOKED_AT.has(window.stop.text) && parsed.problems.countOn(boundary) > 0) {
    const again = reparseLayers(old, start, boundary + 1, model.open, owner, (t) => t.start === boundary);
    if (!again) return betweenStatements(previous, parsed, text, p, oldEnd, newEnd, lexed, lines);
    stale = again.onStop;
  }
  const problems = parsed.problems.merged(start, boundary, delta, ProblemList.of(window.diagnostics), MAX_DIAGNOSTICS, stale);
  if (!problems) return null;

  // Taken: from here on the old tree is moved, and `previous` is spent (its problems too).
  PARSE_STATE.delete(previous);
  SPENT.add(previous);
  parsed.problems.release();
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
  // The old list, spent with `previous`, holds the new one: copying 65,000 statements cost more than the edit.
  statements[m] = edited;
  const document: A.Document = {
    statements,
    comments: mergeComments(previous.document.comments, start, boundary, delta, window.comments),
  };
  return {
    document,
    // The caller's index of the new text when it keeps one (the language server does).
    lines: lines ?? LineIndex.edited(previous.lines, text, p, oldEnd, newEnd),
    // The statements after the model are where they were, moved.
    parse: { problems, top: parsed.top.movedFrom(close.end, delta), lexed },
    model: edited,
    reuse: record && { record, from: fromLine, tailAt: fromLine + window.layers.length, oldTail, boundary, delta },
    boundary,
    delta,
    constantsChanged: false,
    from: m,
    oldTail: m + 1,
    added: 1,
    removed: [model],
  };
}

/**
 * After an edit outside any model's braces: the statements from where the old parse stood
 * between statements before the edit are parsed again until the new parse stands between
 * statements where the old one did, after the edit (the parse between statements carries no
 * state), or to the end of the text. The statements after are the old ones moved; every model
 * not parsed again is taken from its last walk (analyzer.ts).
 */
function betweenStatements(
  previous: { text: string; document: A.Document; lines: LineIndex },
  parsed: ParseState,
  text: string,
  p: number,
  oldEnd: number,
  newEnd: number,
  lexed: KeptTokens | undefined,
  lines?: LineIndex,
): Reparse | null {
  const old = previous.text;
  const delta = newEnd - oldEnd;
  const { statements, comments } = previous.document;
  const { top } = parsed;
  const start = restartBefore(old, top, statements, comments, p);
  const from = lastIndex(statements, (st) => st.span.start < start) + 1;
  let oldTail = statements.length;
  const resumes = (at: number): boolean => {
    if (at < newEnd) return false;
    const was = at - delta;
    if (!top.between(was) || insideComment(comments, was)) return false;
    // The first separator after a statement is where its parse looked last, and may hold its
    // problem (`window(;`: a value expected at the `;`), which the statement before it in the
    // other text need not have: the parse goes on to the next separator or statement.
    if (firstSeparator(text, at) || firstSeparator(old, was)) return false;
    oldTail = lastIndex(statements, (st) => st.span.start < was) + 1;
    return true;
  };
  // Read past the edit a little first, then more; with nothing after the edit, to the end at once.
  // The parse stops only where the old one stood between statements: never before the first
  // such place after what it has read (inside one statement of a megabyte: its end, read at
  // once, not by reading the text again from the start at four times the length each time).
  const readPast = (read: number, least: number) => Math.min(text.length, Math.max(least, top.nextBetween(read - delta, old.length) + delta + FIRST_READ));
  const lastBetween = top.length > 0 ? top.loopStarts[top.length - 1] : -1;
  let limit = lastBetween > oldEnd ? readPast(newEnd, newEnd + FIRST_READ) : text.length;
  let window = null;
  for (;;) {
    window = reparseStatements(text, start, limit, resumes, lexed);
    if (window || limit >= text.length) break;
    limit = readPast(limit, newEnd + (limit - newEnd) * 4);
  }
  if (!window) return null;
  // Where the old text is taken again: where the parse stopped, or nowhere.
  const boundary = window.stop !== null ? window.stop - delta : old.length + 1;
  // As in a model (see reparseLayers' caller): the old problems on the stop token its statements
  // before reported, only where the old statement before looked at it (not `clean`).
  let stale = 0;
  if (window.stop !== null && top.clean[top.entryAt(boundary)] === 0 && parsed.problems.countOn(boundary) > 0) {
    const again = reparseStatements(old, start, boundary + 1, (at) => at === boundary);
    if (!again || again.stop !== boundary) return null;
    stale = again.onStop;
  }
  // Not enough problems built to list the new text's: a fresh analysis builds them.
  const problems = parsed.problems.merged(start, boundary, delta, window.problems, MAX_DIAGNOSTICS, stale);
  if (!problems) return null;

  PARSE_STATE.delete(previous);
  SPENT.add(previous);
  parsed.problems.release();
  for (let j = oldTail; j < statements.length; j++) shiftStatement(statements[j], delta);
  const removed = statements.slice(from, oldTail);
  // In place when as many statements came as went: the old list is spent with `previous` (a copy of 65,000 statements cost more than the edit).
  let list = statements;
  if (removed.length === window.statements.length) for (let k = 0; k < removed.length; k++) statements[from + k] = window.statements[k];
  else list = statements.slice(0, from).concat(window.statements, statements.slice(oldTail));
  return {
    document: {
      statements: list,
      comments: mergeComments(comments, start, boundary, delta, window.comments),
    },
    // The caller's index of the new text when it keeps one (the language server does).
    lines: lines ?? LineIndex.edited(previous.lines, text, p, oldEnd, newEnd),
    parse: { problems, top: top.merged(start, window.top, window.stop !== null ? boundary : null, delta), lexed: lexed ?? window.lexed },
    boundary,
    delta,
    constantsChanged: removed.some((st) => st.kind === 'let') || window.statements.some((st) => st.kind === 'let') || !sameNames(removed, window.statements),
    from,
    oldTail,
    added: window.statements.length,
    removed,
  };
}

/** Whether two lists of statements define the same names, in the same order. */
function sameNames(a: readonly A.Statement[], b: readonly A.Statement[]): boolean {
  const names = (list: readonly A.Statement[]) => list.flatMap((st) => (st.kind !== 'train' && st.kind !== 'predict' && st.name ? [st.name.name] : []));
  const x = names(a);
  const y = names(b);
  return x.length === y.length && x.every((name, k) => name === y[k]);
}

/** How far back from an edit a separator to start again at is looked for, in a run of separators, blanks and comments. */
const SEPARATOR_SEARCH = 4096;

/**
 * Where to parse again from, for an edit at `p`: the latest place before it where the old parse
 * stood between statements, in a state the edit cannot have changed. That is right after a
 * block closed by its `}` (a model of 100,000 layers before an edit at the end of the file is
 * not parsed again), the first token of a turn wholly before the edit when the turn before it
 * looked no further (its `clean` run), or a separator wholly before the edit in a clean run
 * (a megabyte of line breaks is one run). The text's start when there is none.
 */
function restartBefore(old: string, top: TopLevelMap, statements: A.Statement[], comments: A.Comment[], p: number): number {
  let best = 0;
  const closed = statements[lastIndex(statements, (st) => st.span.end <= p)];
  // A block closed by its `}` looked at nothing after it, and no character typed after a `}` joins it.
  if (closed && (closed.kind === 'model' || closed.kind === 'train') && closed.close && closed.span.end === closed.close.end) best = closed.span.end;
  // The turn before the last one that begins before the edit: it ended before the edit.
  let i = top.entryAt(p - 1) - 1;
  while (i >= 0 && top.clean[i] !== 1) i--;
  if (i >= 0) best = Math.max(best, top.loopStarts[i]);
  // A separator in the run the edit is in (or the last before it), when that run is clean.
  const j = top.entryAt(p - 2);
  if (j >= 0 && top.clean[j] === 1) {
    // The first token of the turn the edit is in, after separators: the turn before looked at the first of them at most.
    if (top.loopStarts[j] < p && top.runStarts[j] < top.loopStarts[j] && isSeparator(old.charCodeAt(top.runStarts[j]))) return Math.max(best, top.loopStarts[j]);
    const floor = Math.max(top.runStarts[j], best, p - SEPARATOR_SEARCH);
    for (let q = Math.min(p - 2, top.loopStarts[j] - 1); q >= floor; q--) {
      const c = old.charCodeAt(q);
      if (c !== 10 && c !== 13 && c !== 59 /* ; */) continue;
      // The line feed of a CRLF is inside its token; a `;` in a comment is no separator.
      if (c === 10 && q > 0 && old.charCodeAt(q - 1) === 13) continue;
      const end = c === 13 && old.charCodeAt(q + 1) === 10 ? q + 2 : q + 1;
      // Not the first separator after a statement: the problems the statement found there are its own.
      if (end >= p || insideComment(comments, q) || firstSeparator(old, q)) continue;
      return q;
    }
  }
  return best;
}

/** The tokens a line's parse may report on when it read on to them from a bracket left open before, and did not take. */
const LOOKED_AT = new Set(['}', ')', ']', ',']);

/** Whether `at` is a separator (a line break or `;`) right after a token, blanks aside. */
function firstSeparator(text: string, at: number): boolean {
  if (!isSeparator(text.charCodeAt(at))) return false;
  let i = at - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  return i >= 0 && !isSeparator(text.charCodeAt(i));
}

function isSeparator(c: number): boolean {
  return c === 10 || c === 13 || c === 59; /* ; */
}

/** Whether `at` is inside a comment (after its first character). */
function insideComment(comments: A.Comment[], at: number): boolean {
  const k = lastIndex(comments, (c) => c.span.start < at);
  return k >= 0 && comments[k].span.end > at;
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

/**
 * Whether a layer's expression starts where its line does (after a line break, a `;` or the
 * block's `{`, and blanks): a layer written `(Dense(1))` is the call inside the parentheses,
 * which starts after the line's first token, and no parse resumes there.
 */
function startsLine(text: string, at: number, open: A.ModelStmt['open']): boolean {
  let i = at - 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) i--;
    else return isSeparator(c) || (open !== null && i === open.start);
  }
}

/** The last index in a list ordered by position for which `before` holds (it holds for a prefix), or -1. */
function lastIndex<T>(list: readonly T[], before: (item: T) => boolean): number {
  return prefixLength(list.length, (i) => before(list[i])) - 1;
}
