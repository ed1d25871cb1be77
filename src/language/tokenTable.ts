import { grown } from './grow';
import { CODE_EOF, CODE_KEYWORD, CODE_NEWLINE, CODE_PUNCT, codeKind, Lexer, tokenCode } from './lexer';
import type { Token, TokenKind } from './tokens';
import { prefixLength } from './search';

// The parser looks back and ahead over the whole token list, so it keeps every token of the
// document until the tree is built. As objects (with their text) a megabyte of code was a
// million of them, 60-80 MB alive at once next to the tree; here a token is 9 bytes (its kind
// and span in typed arrays) and the parser gets objects only for the few tokens it is looking
// at, lexed again from their start (cheap: a token is a few characters).

/**
 * A token's byte is its kind's code (lexer.ts, CODE_*: 128 to 136), with this bit set for a
 * token the lexer found a problem in (kept so a table built on can report it again, relex.ts):
 * no code has it.
 */
const FAILED = 16;
const KIND_BITS = 0xff & ~FAILED;

/** Tokens made into objects at once: the parser's lookahead is a few tokens, its look-back one. */
const CACHE_SIZE = 64;

export class TokenTable {
  private kinds = new Uint8Array(1024);
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private size = 0;
  private failedCount = 0;
  private readonly cacheAt = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cache: Token[] = new Array<Token>(CACHE_SIZE);
  /** Reads the tokens made into objects again (one lexer for all: a lexer per token was a fifth of what parsing allocated). */
  private readonly reader: Lexer;

  /** `capacity`: the tokens expected (a table built from another's, relex.ts, knows it). */
  constructor(
    private readonly text: string,
    capacity = 1024,
  ) {
    this.reader = new Lexer(text);
    if (capacity !== 1024) {
      this.kinds = new Uint8Array(capacity);
      this.starts = new Int32Array(capacity);
      this.ends = new Int32Array(capacity);
    }
  }

  get length(): number {
    return this.size;
  }

  /** How many tokens have a lexing problem: none in most texts, whose reparse then looks for none (Parser.loadLexed). */
  get failures(): number {
    return this.failedCount;
  }

  /** Adds a token (`failed`: the lexer found a problem in it); returns its index. */
  push(kind: TokenKind, start: number, end: number, failed = false): number {
    if (this.size === this.kinds.length) this.grow();
    const i = this.size++;
    this.kinds[i] = tokenCode(kind) | (failed ? FAILED : 0);
    if (failed) this.failedCount++;
    this.starts[i] = start;
    this.ends[i] = end;
    return i;
  }

  /**
   * Adds tokens `from` to `to` of another table (of a text that differs from this one only
   * before them, or of the same text), their spans moved by `delta`: typed-array copies, so a
   * megabyte's million tokens move in a few milliseconds.
   */
  append(source: TokenTable, from: number, to: number, delta: number): void {
    const n = to - from;
    if (n <= 0) return;
    while (this.size + n > this.kinds.length) this.grow();
    const at = this.size;
    this.kinds.set(source.kinds.subarray(from, to), at);
    this.starts.set(source.starts.subarray(from, to), at);
    this.ends.set(source.ends.subarray(from, to), at);
    if (source.failures > 0) for (let i = at; i < at + n; i++) if ((this.kinds[i] & FAILED) !== 0) this.failedCount++;
    if (delta !== 0) {
      const { starts, ends } = this;
      for (let i = at; i < at + n; i++) {
        starts[i] += delta;
        ends[i] += delta;
      }
    }
    this.size += n;
  }

  /** A table of this one's tokens from index `from` up to the first that starts at `limit` or after, then an end of the text there (what a lexer stopped at `limit` gives). */
  window(from: number, limit: number): TokenTable {
    const to = Math.min(this.indexAt(limit), this.size - 1);
    const out = new TokenTable(this.text, to - from + 1);
    out.append(this, from, to, 0);
    if ((this.kinds[to] & KIND_BITS) === CODE_EOF) out.append(this, to, to + 1, 0);
    else out.push('eof', this.starts[to], this.starts[to]);
    return out;
  }

  /** This table at its own length (kept between analyses, relex.ts): the slack of its doubling dropped. */
  trimmed(): TokenTable {
    if (this.size === this.kinds.length) return this;
    const out = new TokenTable(this.text, this.size);
    out.append(this, 0, this.size, 0);
    return out;
  }

  /** The index of the first token that starts at `offset` or after (the end of the text's token at worst). */
  indexAt(offset: number): number {
    return this.firstWhere(this.starts, offset);
  }

  /** The index of the first token that ends at `offset` or after. */
  indexEndingAt(offset: number): number {
    return this.firstWhere(this.ends, offset);
  }

  private firstWhere(positions: Int32Array, offset: number): number {
    return prefixLength(this.size, (i) => positions[i] < offset);
  }

  /**
   * Where the rest of an expression skipped as too deep or too long ends (the parser's
   * tooDeep): the first token from `from` that is the end of the text, a keyword `stops` says
   * ends it, or, outside brackets opened since `from`, a `}`, `,`, `;`, a closing bracket or
   * (unless `inBrackets`, where they are passed over) a line break. Over the typed arrays: the
   * rest of a megabyte of `[` is a million tokens.
   */
  expressionEnd(from: number, inBrackets: boolean, stops: (i: number) => boolean): number {
    const { kinds, starts, text } = this;
    let balance = 0;
    for (let i = from; ; i++) {
      const k = kinds[i] & KIND_BITS;
      if (k === CODE_NEWLINE) {
        if (inBrackets || balance > 0) continue;
        return i;
      }
      if (k === CODE_EOF || (k === CODE_KEYWORD && stops(i))) return i;
      if (k !== CODE_PUNCT) continue;
      // Brackets, `,` and `;` are one-character punctuation: their first character tells them.
      const c = text.charCodeAt(starts[i]);
      if (balance === 0 && (c === 125 /* } */ || c === 44 /* , */ || c === 59 /* ; */)) return i;
      if (c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */) balance++;
      else if (c === 41 /* ) */ || c === 93 /* ] */ || c === 125 /* } */) {
        if (balance === 0) return i;
        balance--;
      }
    }
  }

  kind(i: number): TokenKind {
    return codeKind(this.kinds[i] & KIND_BITS);
  }

  /** Whether the lexer found a problem in token `i` (its message: tokenError of token(i)). */
  failed(i: number): boolean {
    return (this.kinds[i] & FAILED) !== 0;
  }

  start(i: number): number {
    return this.starts[i];
  }

  end(i: number): number {
    return this.ends[i];
  }

  /** The first character of token `i` (tells one-character punctuation apart without its text). */
  firstChar(i: number): number {
    return this.text.charCodeAt(this.starts[i]);
  }

  /** Token `i` as an object, equal to the one the lexer produced. */
  token(i: number): Token {
    const slot = i & (CACHE_SIZE - 1);
    if (this.cacheAt[slot] === i) return this.cache[slot];
    const kind = this.kind(i);
    const start = this.starts[i];
    let t: Token;
    if (kind === 'eof') t = { kind, start, end: start, text: '' };
    else if (kind === 'newline') t = { kind, start, end: this.ends[i], text: '\n' };
    // Names and punctuation are their text alone (as the lexer makes them): no need to lex them again.
    else if (kind === 'ident' || kind === 'keyword' || kind === 'punct') t = { kind, start, end: this.ends[i], text: this.text.slice(start, this.ends[i]) };
    else if (kind === 'invalid') t = { kind, start, end: this.ends[i], text: this.text.slice(start, this.ends[i]), error: 'unexpected' };
    // A string without its value: only a string literal's node needs it (stringValue), and a
    // megabyte of escapes decoded for a token the parser only looks at was most of its parse.
    else if (kind === 'string') {
      t = { kind, start, end: this.ends[i], text: this.text.slice(start, this.ends[i]) };
      if (this.failed(i)) t.error = 'unterminated-string';
    } else t = this.reader.tokenAt(start);
    this.cacheAt[slot] = i;
    this.cache[slot] = t;
    return t;
  }

  private grow(): void {
    const used = this.kinds.length;
    this.kinds = grown(this.kinds, 2 * used, used);
    this.starts = grown(this.starts, 2 * used, used);
    this.ends = grown(this.ends, 2 * used, used);
  }
}
