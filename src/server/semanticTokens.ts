import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Analysis, Span } from '../language';
import type { Ast as A } from '../language';
import { lookupLayer, runSteps, type Steps } from '../language';
import { firstEndingAtOrAfter } from './convert';

// Semantic tokens tell what the grammar cannot: which words are constants, data sources or
// models (by the analysis's symbols), which calls are Keras layers, which identifiers are
// argument names, train settings or enum words (`activation=relu`). Keywords, numbers,
// strings and comments are what a TextMate grammar colours by itself: they are sent only to
// editors that colour a .seqmodel file by its semantic tokens alone (see TokenKinds).
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
 * Which tokens an answer carries. `all`: every token, for an editor that colours a .seqmodel
 * file by its semantic tokens alone (Neovim, Emacs: no grammar of the language). `semantic`:
 * only what the analysis knows, for an editor whose own TextMate grammar
 * (syntaxes/seqmodel.tmLanguage.json) colours the rest and that lays the semantic tokens over
 * it (LSP's `augmentsSyntaxTokens`: VS Code). The grammar colours keywords, numbers, strings,
 * `True`/`False`/`None` and comments by their spelling alone, as the lexer reads them, so
 * leaving them out changes no colour there; in a realistic file they are more than half the
 * tokens (docs/editor.md, "Semantic tokens").
 */
export type TokenKinds = 'all' | 'semantic';

/**
 * The most tokens one answer carries. A realistic megabyte-long file has about 100,000 (46,000
 * of them `semantic`); a pasted megabyte of `1,` has a million (5 million numbers, 5 MB of
 * JSON), which no editor needs at once. Past the cap the answer stops and the editor's grammar
 * colours the rest (docs/editor.md, "Hostile input").
 */
export const MAX_SEMANTIC_TOKENS = 100_000;

/**
 * How much text one step of semantic tokens covers: a few milliseconds of work, so a request
 * for a megabyte's tokens lets a cancellation in between (src/server/slices.ts).
 */
const CHARS_PER_STEP = 32 * 1024;

/**
 * An offset past every offset (V8's strings are shorter than 2^29 characters), for "no next
 * comment" and "no next line". A small integer, unlike Infinity, so the writer's offset fields
 * only ever hold small integers: V8 stores such a field as one, and a double stored into it
 * widens the field and changes the object's hidden class, which code optimized before then
 * does not expect.
 */
const BEYOND = 0x3fffffff;

/** How many numbers (a multiple of five: whole tokens) the writer appends to one array before starting the next. */
const CHUNK = 5 * 1638;
/** What each array of numbers starts as (a copy): CHUNK zeros, packed (Array.from makes it so, `new Array(CHUNK).fill(0)` would not). */
const ZEROS: readonly number[] = Array.from({ length: CHUNK }, () => 0);

/** Semantic tokens of the whole document, or of the part a range covers (the tokens it touches), as the LSP answer. */
export function semanticTokens(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS, kinds: TokenKinds = 'all'): SemanticTokens {
  return { data: semanticTokenData(analysis, range, max, kinds) };
}

/**
 * The numbers of semantic tokens (five a token, each relative to the one before, as LSP encodes
 * them), as the plain array an answer's JSON is written from.
 */
export function semanticTokenData(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS, kinds: TokenKinds = 'all'): number[] {
  return runSteps(semanticTokenSteps(analysis, range, max, kinds));
}

/**
 * semanticTokenData in steps, each over the next CHARS_PER_STEP characters of the text: a step
 * enters the syntax tree by binary search at its start like a ranged request, and a token that
 * spans two steps is written by the first alone.
 */
export function* semanticTokenSteps(analysis: Analysis, range?: Span, max = MAX_SEMANTIC_TOKENS, kinds: TokenKinds = 'all', charsPerStep = CHARS_PER_STEP): Steps<number[]> {
  const from = range ? range.start : 0;
  const to = range ? range.end : analysis.text.length;
  const writer = new TokenWriter(analysis, from, max, kinds === 'all');
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
  // A byte per character of the whole text: one pass over the symbols rather than a first one
  // to find the last start (calloc'd pages, untouched past the last name, cost nothing).
  const symbols = analysis.symbols;
  kinds = new Uint8Array(symbols.length > 0 ? analysis.text.length : 0);
  for (let k = 0; k < symbols.length; k++) {
    const s = symbols[k];
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
 * (numbers appended to plain arrays, no object per token): code tokens merged with the comments
 * (which the tree keeps apart, in source order), each relative to the previous one, walking the
 * lines forward instead of searching them. Lists (statements, layers, arguments, items) are
 * entered by binary search at the start of the part asked for and left past its end, so a
 * screenful of a megabyte costs a screenful.
 *
 * Written as one class of plain methods rather than closures made per call, with one call per
 * token (code) rather than a chain: a request is usually the first of its kind in its server, so
 * most of it runs before V8 optimizes it, and there every call and allocation per token shows
 * (a megabyte's first tokens took 70-120 ms of CPU with closures, 15 ms once optimized).
 *
 * The numbers are written into plain arrays of CHUNK, joined by one concat at the end: an array
 * of small integers without holes (PACKED_SMI), which JSON.stringify writes about four times
 * faster than one with holes (an array made by `new Array(n)` has them, even once filled), made
 * without a typed array to copy from. Each is a copy of ZEROS, made at its full size and filled
 * by index: appended to from empty, an array grows by copies into ever larger blocks, about
 * three times its size allocated in all; one array grown to 500,000 numbers took more than
 * twice the time. The node's span is read after its kind (see expr). (docs/benchmarks.md,
 * "Pathological documents".)
 */
class TokenWriter {
  /** The array of numbers being filled. */
  private chunk: number[] = ZEROS.slice();
  /** How many numbers `chunk` holds (the rest of it are zeros, cut off by result()). */
  private n = 0;
  /**
   * The numbers written, in full arrays of CHUNK, then `chunk`. Made holding an array, so V8
   * makes it an array of objects at once: made empty, it changed its kind at the first chunk it
   * was given, every request, which threw away the optimized code that had seen the other kind
   * (`--trace-deopt`: "wrong map").
   */
  private readonly chunks: number[][] = [this.chunk];
  /** How many more tokens the answer takes (MAX_SEMANTIC_TOKENS): full at 0 or less. */
  private left: number;
  full: boolean;
  /** Whether keywords, literals and comments are written (TokenKinds `all`). */
  private readonly all: boolean;
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
  /** Where the next comment not yet written starts (BEYOND when none is left, or none is written). */
  private nextComment: number;
  private readonly lines: Analysis['lines'];
  private line: number;
  private lineStart: number;
  private nextLineStart: number;
  private prevLine = 0;
  private prevChar = 0;

  constructor(analysis: Analysis, from: number, max: number, all: boolean) {
    this.left = max;
    this.full = max <= 0;
    this.all = all;
    this.text = analysis.text;
    this.kinds = symbolKindsOf(analysis);
    this.statements = analysis.document.statements;
    this.comments = analysis.document.comments;
    this.c = all ? firstEndingAtOrAfter(this.comments, from) : this.comments.length;
    this.nextComment = this.c < this.comments.length ? this.comments[this.c].span.start : BEYOND;
    const { lines } = analysis;
    this.lines = lines;
    this.line = lines.positionAt(from).line;
    this.lineStart = lines.lineStart(this.line);
    this.nextLineStart = this.line + 1 < lines.lineCount ? lines.lineStart(this.line + 1) : BEYOND;
  }

  /** The numbers written, as one array. */
  result(): number[] {
    const chunks = this.chunks;
    this.chunk.length = this.n;
    return chunks.length === 1 ? chunks[0] : ([] as number[]).concat(...chunks);
  }

  /** Writes the tokens that touch [from, to] (and the comments starting up to `to`) in source order, until full. */
  write(from: number, to: number): void {
    this.from = from;
    this.to = to;
    const statements = this.statements;
    for (let i = firstEndingAtOrAfter(statements, from); i < statements.length && statements[i].span.start <= to && !this.full; i++) this.statement(statements[i]);
    this.commentsBefore(to + 1);
  }

  /** The first of `items` that ends at or after the part being written: 0 when the list's owner starts inside it. */
  private first(owner: Span, items: readonly { span: Span }[]): number {
    return owner.start >= this.from ? 0 : firstEndingAtOrAfter(items, this.from);
  }

  private statement(stmt: A.Statement): void {
    // Each case reads the span of its own kind of statement (see expr).
    switch (stmt.kind) {
      case 'let':
      case 'data':
        if (this.all) this.keyword(stmt.span.start, stmt.kind);
        this.name(stmt.name, T.variable);
        this.expr(stmt.value);
        break;
      case 'model': {
        if (this.all) this.keyword(stmt.span.start, 'model');
        this.name(stmt.name, T.type);
        const layers = stmt.layers;
        const to = this.to;
        for (let i = this.first(stmt.span, layers); i < layers.length && layers[i].span.start <= to && !this.full; i++) this.expr(layers[i]);
        break;
      }
      case 'train': {
        if (this.all) this.keyword(stmt.span.start, 'train');
        for (const m of stmt.models) this.name(m, T.type);
        if (this.all) {
          // `on` is the one keyword the tree does not keep: it stands between the models and the data.
          const after = stmt.models.length ? stmt.models[stmt.models.length - 1].span.end : stmt.span.start + 5;
          const before = stmt.data ? stmt.data.span.start : (stmt.open?.start ?? stmt.span.end);
          const on = /\bon\b/.exec(this.text.slice(after, before));
          if (on) this.keyword(after + on.index, 'on');
        }
        this.name(stmt.data, T.variable);
        const settings = stmt.settings;
        for (let i = this.first(stmt.span, settings); i < settings.length && settings[i].span.start <= this.to && !this.full; i++) {
          const name = settings[i].name.span;
          this.code(name.start, name.end, T.property, 0);
          this.expr(settings[i].value);
        }
        break;
      }
      case 'predict':
        if (this.all) this.keyword(stmt.span.start, 'predict');
        this.name(stmt.model, T.type);
        this.expr(stmt.input);
        break;
    }
  }

  private expr(e: A.Expr | null): void {
    // The kind first, then the span within each case: the node kinds have different hidden
    // classes, so a `span` read before the switch sees them all (a megamorphic load, the
    // costliest kind of read while the code is not yet optimized); read within a case it sees
    // one. A node outside the part being written needs no test here: `code` writes only the
    // tokens touching it, and the lists are entered and left by their items' spans.
    if (e === null || this.full) return;
    switch (e.kind) {
      case 'call': {
        const callee = e.callee;
        const span = callee.span;
        this.code(span.start, span.end, lookupLayer(callee.name) ? T.class : T.function, DEFAULT_LIBRARY);
        const args = e.args;
        for (let i = this.first(e.span, args); i < args.length && args[i].span.start <= this.to && !this.full; i++) {
          const a = args[i];
          const name = a.name;
          if (name !== null) this.code(name.span.start, name.span.end, T.parameter, 0);
          this.expr(a.value);
        }
        break;
      }
      case 'ident':
        this.name(e, T.enumMember);
        break;
      case 'number':
        if (this.all) this.code(e.span.start, e.span.end, T.number, 0);
        break;
      case 'string':
        if (this.all) this.code(e.span.start, e.span.end, T.string, 0);
        break;
      case 'bool':
      case 'none':
        if (this.all) this.code(e.span.start, e.span.end, T.keyword, 0);
        break;
      case 'tuple':
      case 'list': {
        const items = e.items;
        for (let i = this.first(e.span, items); i < items.length && items[i].span.start <= this.to && !this.full; i++) this.expr(items[i]);
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
    const { start, end } = id.span;
    const k = start < this.kinds.length ? this.kinds[start] : 0;
    if (k === 0) this.code(start, end, fallback, 0);
    else this.code(start, end, k >> 3, k & 7);
  }

  private keyword(at: number, word: string): void {
    if (this.text.startsWith(word, at)) this.code(at, at + word.length, T.keyword, 0);
  }

  /**
   * A token, after the comments before it, if it touches the part being written: its five
   * numbers appended here rather than in a call of its own (one call per token: most of a first
   * request runs before V8 optimizes it, where each call shows).
   */
  private code(start: number, end: number, type: number, mods: number): void {
    // Source order is kept by construction; `last` only guards against a node visited twice.
    if (end <= start || start <= this.last || end < this.from || start > this.to) return;
    if (this.nextComment < start) this.commentsBefore(start);
    if (this.full) return;
    this.last = start;
    if (start >= this.nextLineStart) this.lineOf(start);
    const line = this.line;
    const char = start - this.lineStart;
    let d = this.chunk;
    let n = this.n;
    if (n === CHUNK) {
      d = this.chunk = ZEROS.slice();
      this.chunks.push(d);
      n = 0;
    }
    d[n] = line - this.prevLine;
    d[n + 1] = line === this.prevLine ? char - this.prevChar : char;
    d[n + 2] = end - start;
    d[n + 3] = type;
    d[n + 4] = mods;
    this.n = n + 5;
    this.prevLine = line;
    this.prevChar = char;
    if (--this.left <= 0) this.full = true;
  }

  /** The comments that start before `offset` and are not yet written. */
  private commentsBefore(offset: number): void {
    const comments = this.comments;
    while (this.nextComment < offset && !this.full) {
      const { span } = comments[this.c++];
      this.nextComment = this.c < comments.length ? comments[this.c].span.start : BEYOND;
      this.code(span.start, span.end, T.comment, 0);
    }
  }

  /** Moves the current line forward to the one holding `offset`. */
  private lineOf(offset: number): void {
    const lines = this.lines;
    const count = lines.lineCount;
    while (offset >= this.nextLineStart) {
      this.line++;
      this.lineStart = this.nextLineStart;
      this.nextLineStart = this.line + 1 < count ? lines.lineStart(this.line + 1) : BEYOND;
    }
  }
}
