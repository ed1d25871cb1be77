import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Analysis, Span } from '../language';
import type { Ast as A } from '../language';
import { lookupLayer } from '../language';
import { firstEndingAtOrAfter } from './convert';

// Semantic tokens tell what the grammar cannot: which words are constants, data sources or
// models (by the analysis's symbols), which calls are Keras layers, which identifiers are
// argument names, train settings or enum words (`activation=relu`). Keywords, numbers,
// strings and comments are included for editors without a TextMate grammar (Neovim, Helix).
// Everything is read from the syntax tree the analysis already has, not by lexing again: on a
// 10,000-line file that is the difference between a few and a hundred milliseconds.

export const TOKEN_TYPES = ['keyword', 'variable', 'type', 'class', 'function', 'parameter', 'property', 'enumMember', 'string', 'number', 'comment'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const DECLARATION = 1;
const READONLY = 2;
const DEFAULT_LIBRARY = 4;

/**
 * The most tokens one answer carries. A realistic megabyte-long file has about 90,000; a
 * pasted megabyte of `1,` has a million (5 million numbers, 5 MB of JSON), which no editor
 * needs at once. Past the cap the answer stops and the editor's grammar colours the rest
 * (docs/editor.md, "Hostile input").
 */
export const MAX_SEMANTIC_TOKENS = 100_000;

/** Semantic tokens of the whole document, or of the part a range covers (the tokens it touches). */
export function semanticTokens(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS): SemanticTokens {
  const { lines, text } = analysis;
  const from = range ? range.start : 0;
  const to = range ? range.end : text.length;
  const code = collect(analysis, from, to, max);
  const allComments = analysis.document.comments;
  let c = firstEndingAtOrAfter(allComments, from);

  // Merge the code tokens (in source order) with the comments (in source order), and encode
  // each relative to the previous one, walking the lines forward instead of searching them.
  const data: number[] = [];
  let line = lines.positionAt(from).line;
  let lineStart = lines.lineStart(line);
  let nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
  let prevLine = 0;
  let prevChar = 0;
  const push = (start: number, length: number, type: number, mods: number) => {
    while (start >= nextLineStart) {
      line++;
      lineStart = nextLineStart;
      nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
    }
    const char = start - lineStart;
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, length, type, mods);
    prevLine = line;
    prevChar = char;
  };
  const pushComment = () => {
    const { span } = allComments[c++];
    push(span.start, span.end - span.start, T.comment, 0);
  };
  const limit = max * 5;
  for (let i = 0; i < code.length && data.length < limit; i += 4) {
    while (c < allComments.length && allComments[c].span.start < code[i] && data.length < limit) pushComment();
    if (data.length < limit) push(code[i], code[i + 1], code[i + 2], code[i + 3]);
  }
  while (c < allComments.length && allComments[c].span.start <= to && data.length < limit) pushComment();
  return { data };
}

/** Each definition's and reference's start → its [type, modifiers], once per analysis (every request of a version reuses it). */
const symbolKinds = new WeakMap<Analysis, Map<number, [number, number]>>();

function symbolKindsOf(analysis: Analysis): Map<number, [number, number]> {
  let kinds = symbolKinds.get(analysis);
  if (kinds) return kinds;
  kinds = new Map();
  for (const s of analysis.symbols) {
    const type = s.kind === 'model' ? T.type : T.variable;
    const readonly = s.kind === 'constant' ? READONLY : 0;
    kinds.set(s.nameSpan.start, [type, DECLARATION | readonly]);
    for (const r of s.references) kinds.set(r.start, [type, readonly]);
  }
  symbolKinds.set(analysis, kinds);
  return kinds;
}

/**
 * Code tokens as flat [start, length, type, modifiers] quadruples, in source order: those that
 * touch [from, to], at most `max`. Lists (statements, layers, arguments, items) are entered by
 * binary search at `from` and left past `to`, so a screenful of a megabyte costs a screenful.
 */
function collect(analysis: Analysis, from: number, to: number, max: number): number[] {
  const { text } = analysis;
  const symbolKind = symbolKindsOf(analysis);
  const out: number[] = [];
  const limit = max * 4;
  let last = -1;
  const emit = (span: Span, type: number, mods = 0) => {
    // Source order is kept by construction; the check only guards against a node visited twice.
    if (span.end <= span.start || span.start <= last || span.end < from || span.start > to || out.length >= limit) return;
    out.push(span.start, span.end - span.start, type, mods);
    last = span.start;
  };
  const keyword = (at: number, word: string) => {
    if (text.startsWith(word, at)) emit({ start: at, end: at + word.length }, T.keyword);
  };
  const name = (id: A.Ident | null, fallback: number) => {
    if (!id) return;
    const k = symbolKind.get(id.span.start);
    emit(id.span, k ? k[0] : fallback, k ? k[1] : 0);
  };
  /** Visits the items of a list that touch the range, until the cap. */
  const each = <T extends { span: Span }>(items: readonly T[], visit: (item: T) => void) => {
    for (let i = firstEndingAtOrAfter(items, from); i < items.length && items[i].span.start <= to && out.length < limit; i++) visit(items[i]);
  };
  const arg = (a: A.Arg) => {
    if (a.name) emit(a.name.span, T.parameter);
    expr(a.value);
  };
  const expr = (e: A.Expr | null): void => {
    if (!e || e.span.end < from || e.span.start > to || out.length >= limit) return;
    switch (e.kind) {
      case 'number':
        emit(e.span, T.number);
        break;
      case 'string':
        emit(e.span, T.string);
        break;
      case 'bool':
      case 'none':
        emit(e.span, T.keyword);
        break;
      case 'ident':
        name(e, T.enumMember);
        break;
      case 'call':
        emit(e.callee.span, lookupLayer(e.callee.name) ? T.class : T.function, DEFAULT_LIBRARY);
        each(e.args, arg);
        break;
      case 'tuple':
      case 'list':
        each(e.items, expr);
        break;
      case 'unary':
        expr(e.operand);
        break;
      case 'binary':
        expr(e.left);
        expr(e.right);
        break;
      default:
        break;
    }
  };

  each(analysis.document.statements, (stmt) => {
    keyword(stmt.span.start, stmt.kind === 'let' ? 'let' : stmt.kind);
    switch (stmt.kind) {
      case 'let':
      case 'data':
        name(stmt.name, T.variable);
        expr(stmt.value);
        break;
      case 'model':
        name(stmt.name, T.type);
        each(stmt.layers, expr);
        break;
      case 'train': {
        for (const m of stmt.models) name(m, T.type);
        // `on` is the one keyword the tree does not keep: it stands between the models and the data.
        const after = stmt.models.length ? stmt.models[stmt.models.length - 1].span.end : stmt.span.start + 5;
        const before = stmt.data ? stmt.data.span.start : (stmt.open?.start ?? stmt.span.end);
        const on = /\bon\b/.exec(text.slice(after, before));
        if (on) keyword(after + on.index, 'on');
        name(stmt.data, T.variable);
        each(stmt.settings, (s) => {
          emit(s.name.span, T.property);
          expr(s.value);
        });
        break;
      }
      case 'predict':
        name(stmt.model, T.type);
        expr(stmt.input);
        break;
    }
  });
  return out;
}
