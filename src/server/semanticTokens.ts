import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Analysis, Span } from '../language';
import type { Ast as A } from '../language';
import { lookupLayer, runSteps, type Steps } from '../language';
import { firstEndingAtOrAfter } from './convert';
import { numbers } from './semanticTokensDelta';

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

/**
 * How much text one step of semantic tokens covers: a few milliseconds of work, so a request
 * for a megabyte's tokens lets a cancellation in between (src/server/slices.ts).
 */
const CHARS_PER_STEP = 32 * 1024;

/** Semantic tokens of the whole document, or of the part a range covers (the tokens it touches), as the LSP answer. */
export function semanticTokens(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS): SemanticTokens {
  return { data: numbers(semanticTokenData(analysis, range, max)) };
}

/** The numbers of semantic tokens (five a token, each relative to the one before, as LSP encodes them). */
export function semanticTokenData(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS): Uint32Array {
  return runSteps(semanticTokenSteps(analysis, range, max));
}

/**
 * semanticTokenData in steps, each over the next CHARS_PER_STEP characters of the text: a step
 * enters the syntax tree by binary search at its start like a ranged request, and a token that
 * spans two steps is written by the first alone.
 */
export function* semanticTokenSteps(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS, charsPerStep = CHARS_PER_STEP): Steps<Uint32Array> {
  const from = range ? range.start : 0;
  const to = range ? range.end : analysis.text.length;
  const encoder = new Encoder(analysis, from, max);
  for (let at = from; ; at += charsPerStep) {
    const end = Math.min(to, at + charsPerStep - 1);
    collect(analysis, at, end, encoder);
    encoder.commentsThrough(end);
    if (end >= to || encoder.full) break;
    yield;
  }
  return encoder.result();
}

/**
 * Writes tokens in source order straight into the LSP encoding (a Uint32Array, no object per
 * token): code tokens merged with the comments (which the tree keeps apart, in source order),
 * each relative to the previous one, walking the lines forward instead of searching them.
 */
class Encoder {
  private data: Uint32Array;
  private length = 0;
  private readonly limit: number;
  /** The start of the last code token written: a node visited twice, or by two steps, is written once. */
  last = -1;
  full = false;
  private readonly comments: readonly { span: Span }[];
  private c: number;
  private line: number;
  private lineStart: number;
  private nextLineStart: number;
  private prevLine = 0;
  private prevChar = 0;

  constructor(
    private readonly analysis: Analysis,
    from: number,
    max: number,
  ) {
    this.limit = max * 5;
    this.full = max <= 0;
    this.data = new Uint32Array(Math.min(this.limit, 5 * 1024));
    this.comments = analysis.document.comments;
    this.c = firstEndingAtOrAfter(this.comments, from);
    const { lines } = analysis;
    this.line = lines.positionAt(from).line;
    this.lineStart = lines.lineStart(this.line);
    this.nextLineStart = this.line + 1 < lines.lineCount ? lines.lineStart(this.line + 1) : Infinity;
  }

  /** A code token, after the comments before it. */
  code(start: number, length: number, type: number, mods: number): void {
    this.commentsBefore(start);
    if (this.full) return;
    this.push(start, length, type, mods);
    this.last = start;
  }

  /** The comments that start at or before `offset` and are not yet written. */
  commentsThrough(offset: number): void {
    this.commentsBefore(offset + 1);
  }

  result(): Uint32Array {
    return this.data.subarray(0, this.length);
  }

  private commentsBefore(offset: number): void {
    const { comments } = this;
    while (this.c < comments.length && comments[this.c].span.start < offset && !this.full) {
      const { span } = comments[this.c++];
      this.push(span.start, span.end - span.start, T.comment, 0);
    }
  }

  private push(start: number, length: number, type: number, mods: number): void {
    while (start >= this.nextLineStart) {
      const lines = this.analysis.lines;
      this.line++;
      this.lineStart = this.nextLineStart;
      this.nextLineStart = this.line + 1 < lines.lineCount ? lines.lineStart(this.line + 1) : Infinity;
    }
    const char = start - this.lineStart;
    if (this.length + 5 > this.data.length) {
      const grown = new Uint32Array(Math.min(this.limit, 2 * this.data.length));
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    const i = this.length;
    d[i] = this.line - this.prevLine;
    d[i + 1] = this.line === this.prevLine ? char - this.prevChar : char;
    d[i + 2] = length;
    d[i + 3] = type;
    d[i + 4] = mods;
    this.length = i + 5;
    this.prevLine = this.line;
    this.prevChar = char;
    if (this.length >= this.limit) this.full = true;
  }
}

/**
 * Each definition's and reference's start → its type and modifiers (packed as type · 8 +
 * modifiers: no array per entry), once per analysis (every request of a version reuses it).
 */
const symbolKinds = new WeakMap<Analysis, Map<number, number>>();

function symbolKindsOf(analysis: Analysis): Map<number, number> {
  let kinds = symbolKinds.get(analysis);
  if (kinds) return kinds;
  kinds = new Map();
  for (const s of analysis.symbols) {
    const type = s.kind === 'model' ? T.type : T.variable;
    const readonly = s.kind === 'constant' ? READONLY : 0;
    kinds.set(s.nameSpan.start, type * 8 + (DECLARATION | readonly));
    for (const r of s.references) kinds.set(r.start, type * 8 + readonly);
  }
  symbolKinds.set(analysis, kinds);
  return kinds;
}

/**
 * Writes the code tokens that touch [from, to] in source order, until the encoder is full.
 * Lists (statements, layers, arguments, items) are entered by binary search at `from` and left
 * past `to`, so a screenful of a megabyte costs a screenful.
 */
function collect(analysis: Analysis, from: number, to: number, out: Encoder): void {
  const { text } = analysis;
  const symbolKind = symbolKindsOf(analysis);
  const emit = (span: Span, type: number, mods = 0) => {
    // Source order is kept by construction; the check only guards against a node visited twice.
    if (span.end <= span.start || span.start <= out.last || span.end < from || span.start > to) return;
    out.code(span.start, span.end - span.start, type, mods);
  };
  const keyword = (at: number, word: string) => {
    if (text.startsWith(word, at)) emit({ start: at, end: at + word.length }, T.keyword);
  };
  const name = (id: A.Ident | null, fallback: number) => {
    if (!id) return;
    const k = symbolKind.get(id.span.start);
    if (k === undefined) emit(id.span, fallback);
    else emit(id.span, k >> 3, k & 7);
  };
  /** Visits the items of a list that touch the range, until the cap. */
  const each = <T extends { span: Span }>(items: readonly T[], visit: (item: T) => void) => {
    for (let i = firstEndingAtOrAfter(items, from); i < items.length && items[i].span.start <= to && !out.full; i++) visit(items[i]);
  };
  const arg = (a: A.Arg) => {
    if (a.name) emit(a.name.span, T.parameter);
    expr(a.value);
  };
  const expr = (e: A.Expr | null): void => {
    if (!e || e.span.end < from || e.span.start > to || out.full) return;
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
}
