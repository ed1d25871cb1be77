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
  const writer = new TokenWriter(analysis, from, max);
  for (let at = from; ; at += charsPerStep) {
    const end = Math.min(to, at + charsPerStep - 1);
    writer.write(at, end);
    if (end >= to || writer.full) break;
    yield;
  }
  return writer.result();
}

/**
 * Each definition's and reference's start → its type and modifiers, packed as type · 8 +
 * modifiers (0: no symbol starts there), in a byte per character of the text up to the last
 * such start (a refused document of any length, which has no symbols, gets none): once per
 * analysis (every request of a version reuses it). A Map from 65,000 starts cost ~15 ms to
 * build and a hashed lookup per name; this costs a store per name and an index per lookup.
 */
const symbolKinds = new WeakMap<Analysis, Uint8Array>();

function symbolKindsOf(analysis: Analysis): Uint8Array {
  let kinds = symbolKinds.get(analysis);
  if (kinds) return kinds;
  let last = -1;
  for (const s of analysis.symbols) {
    last = Math.max(last, s.nameSpan.start);
    const refs = s.references;
    for (let i = 0; i < refs.length; i++) last = Math.max(last, refs[i].start);
  }
  kinds = new Uint8Array(last + 1);
  for (const s of analysis.symbols) {
    const type = s.kind === 'model' ? T.type : T.variable;
    const readonly = s.kind === 'constant' ? READONLY : 0;
    kinds[s.nameSpan.start] = type * 8 + (DECLARATION | readonly);
    const own = type * 8 + readonly;
    const refs = s.references;
    for (let i = 0; i < refs.length; i++) kinds[refs[i].start] = own;
  }
  symbolKinds.set(analysis, kinds);
  return kinds;
}

/**
 * Walks the syntax tree in source order and writes its tokens straight into the LSP encoding
 * (a Uint32Array, no object per token): code tokens merged with the comments (which the tree
 * keeps apart, in source order), each relative to the previous one, walking the lines forward
 * instead of searching them. Lists (statements, layers, arguments, items) are entered by
 * binary search at the start of the part asked for and left past its end, so a screenful of
 * a megabyte costs a screenful.
 *
 * Written as one class of plain methods rather than closures made per call: a request is
 * usually the first of its kind in its server, so most of it runs before V8 optimizes it, and
 * there every call and allocation per token shows (a megabyte's first tokens took 70-120 ms of
 * CPU with closures, 15 ms once optimized).
 */
class TokenWriter {
  private data: Uint32Array;
  private length = 0;
  private readonly limit: number;
  full: boolean;
  /** The start of the last code token written: a node visited twice, or by two steps, is written once. */
  private last = -1;
  /** The part of the text the current step writes the tokens of (those touching it). */
  private from = 0;
  private to = 0;
  private readonly text: string;
  private readonly kinds: Uint8Array;
  private readonly statements: readonly A.Statement[];
  private readonly comments: readonly A.Comment[];
  private c: number;
  /** Where the next comment not yet written starts (Infinity when none is left). */
  private nextComment: number;
  private readonly lines: Analysis['lines'];
  private line: number;
  private lineStart: number;
  private nextLineStart: number;
  private prevLine = 0;
  private prevChar = 0;

  constructor(analysis: Analysis, from: number, max: number) {
    this.limit = max * 5;
    this.full = max <= 0;
    this.data = new Uint32Array(Math.min(this.limit, 5 * 1024));
    this.text = analysis.text;
    this.kinds = symbolKindsOf(analysis);
    this.statements = analysis.document.statements;
    this.comments = analysis.document.comments;
    this.c = firstEndingAtOrAfter(this.comments, from);
    this.nextComment = this.c < this.comments.length ? this.comments[this.c].span.start : Infinity;
    const { lines } = analysis;
    this.lines = lines;
    this.line = lines.positionAt(from).line;
    this.lineStart = lines.lineStart(this.line);
    this.nextLineStart = this.line + 1 < lines.lineCount ? lines.lineStart(this.line + 1) : Infinity;
  }

  result(): Uint32Array {
    return this.data.subarray(0, this.length);
  }

  /** Writes the tokens that touch [from, to] (and the comments starting up to `to`) in source order, until full. */
  write(from: number, to: number): void {
    this.from = from;
    this.to = to;
    const statements = this.statements;
    for (let i = firstEndingAtOrAfter(statements, from); i < statements.length && statements[i].span.start <= to && !this.full; i++) this.statement(statements[i]);
    this.commentsBefore(to + 1);
  }

  private statement(stmt: A.Statement): void {
    this.keyword(stmt.span.start, stmt.kind);
    switch (stmt.kind) {
      case 'let':
      case 'data':
        this.name(stmt.name, T.variable);
        this.expr(stmt.value);
        break;
      case 'model': {
        this.name(stmt.name, T.type);
        const layers = stmt.layers;
        for (let i = firstEndingAtOrAfter(layers, this.from); i < layers.length && layers[i].span.start <= this.to && !this.full; i++) this.expr(layers[i]);
        break;
      }
      case 'train': {
        for (const m of stmt.models) this.name(m, T.type);
        // `on` is the one keyword the tree does not keep: it stands between the models and the data.
        const after = stmt.models.length ? stmt.models[stmt.models.length - 1].span.end : stmt.span.start + 5;
        const before = stmt.data ? stmt.data.span.start : (stmt.open?.start ?? stmt.span.end);
        const on = /\bon\b/.exec(this.text.slice(after, before));
        if (on) this.keyword(after + on.index, 'on');
        this.name(stmt.data, T.variable);
        const settings = stmt.settings;
        for (let i = firstEndingAtOrAfter(settings, this.from); i < settings.length && settings[i].span.start <= this.to && !this.full; i++) {
          this.token(settings[i].name.span, T.property, 0);
          this.expr(settings[i].value);
        }
        break;
      }
      case 'predict':
        this.name(stmt.model, T.type);
        this.expr(stmt.input);
        break;
    }
  }

  private expr(e: A.Expr | null): void {
    if (!e || e.span.end < this.from || e.span.start > this.to || this.full) return;
    switch (e.kind) {
      case 'number':
        this.token(e.span, T.number, 0);
        break;
      case 'string':
        this.token(e.span, T.string, 0);
        break;
      case 'bool':
      case 'none':
        this.token(e.span, T.keyword, 0);
        break;
      case 'ident':
        this.name(e, T.enumMember);
        break;
      case 'call': {
        this.token(e.callee.span, lookupLayer(e.callee.name) ? T.class : T.function, DEFAULT_LIBRARY);
        const args = e.args;
        for (let i = firstEndingAtOrAfter(args, this.from); i < args.length && args[i].span.start <= this.to && !this.full; i++) {
          const a = args[i];
          if (a.name) this.token(a.name.span, T.parameter, 0);
          this.expr(a.value);
        }
        break;
      }
      case 'tuple':
      case 'list': {
        const items = e.items;
        for (let i = firstEndingAtOrAfter(items, this.from); i < items.length && items[i].span.start <= this.to && !this.full; i++) this.expr(items[i]);
        break;
      }
      case 'unary':
        this.expr(e.operand);
        break;
      case 'binary':
        this.expr(e.left);
        this.expr(e.right);
        break;
      default:
        break;
    }
  }

  /** A name: a constant, data source or model by the analysis's symbols, else `fallback`. */
  private name(id: A.Ident | null, fallback: number): void {
    if (!id) return;
    const start = id.span.start;
    const k = start < this.kinds.length ? this.kinds[start] : 0;
    if (k === 0) this.token(id.span, fallback, 0);
    else this.token(id.span, k >> 3, k & 7);
  }

  private keyword(at: number, word: string): void {
    if (this.text.startsWith(word, at)) this.code(at, at + word.length, T.keyword, 0);
  }

  private token(span: Span, type: number, mods: number): void {
    this.code(span.start, span.end, type, mods);
  }

  /** A code token, after the comments before it, if it touches the part being written. */
  private code(start: number, end: number, type: number, mods: number): void {
    // Source order is kept by construction; `last` only guards against a node visited twice.
    if (end <= start || start <= this.last || end < this.from || start > this.to) return;
    if (this.nextComment < start) this.commentsBefore(start);
    if (this.full) return;
    this.push(start, end - start, type, mods);
    this.last = start;
  }

  /** The comments that start before `offset` and are not yet written. */
  private commentsBefore(offset: number): void {
    const comments = this.comments;
    while (this.nextComment < offset && !this.full) {
      const { span } = comments[this.c++];
      this.push(span.start, span.end - span.start, T.comment, 0);
      this.nextComment = this.c < comments.length ? comments[this.c].span.start : Infinity;
    }
  }

  private push(start: number, length: number, type: number, mods: number): void {
    if (start >= this.nextLineStart) this.lineOf(start);
    const char = start - this.lineStart;
    if (this.length + 5 > this.data.length) this.grow();
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

  /** Moves the current line forward to the one holding `offset`. */
  private lineOf(offset: number): void {
    const lines = this.lines;
    const count = lines.lineCount;
    while (offset >= this.nextLineStart) {
      this.line++;
      this.lineStart = this.nextLineStart;
      this.nextLineStart = this.line + 1 < count ? lines.lineStart(this.line + 1) : Infinity;
    }
  }

  private grow(): void {
    const grown = new Uint32Array(Math.min(this.limit, 2 * this.data.length));
    grown.set(this.data);
    this.data = grown;
  }
}
