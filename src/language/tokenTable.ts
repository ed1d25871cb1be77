import { grown } from './grow';
import { Lexer } from './lexer';
import type { Token, TokenKind } from './tokens';

// The parser looks back and ahead over the whole token list, so it keeps every token of the
// document until the tree is built. As objects (with their text) a megabyte of code was a
// million of them, 60-80 MB alive at once next to the tree; here a token is 9 bytes (its kind
// and span in typed arrays) and the parser gets objects only for the few tokens it is looking
// at, lexed again from their start (cheap: a token is a few characters).

const KINDS: readonly TokenKind[] = ['ident', 'keyword', 'number', 'string', 'punct', 'newline', 'invalid', 'eof', 'comment'];
const CODE = new Map(KINDS.map((k, i) => [k, i]));

/** Tokens made into objects at once: the parser's lookahead is a few tokens, its look-back one. */
const CACHE_SIZE = 64;

export class TokenTable {
  private kinds = new Uint8Array(1024);
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private size = 0;
  private readonly cacheAt = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cache: Token[] = new Array<Token>(CACHE_SIZE);
  /** Reads the tokens made into objects again (one lexer for all: a lexer per token was a fifth of what parsing allocated). */
  private readonly reader: Lexer;

  constructor(private readonly text: string) {
    this.reader = new Lexer(text);
  }

  get length(): number {
    return this.size;
  }

  /** Adds a token; returns its index. */
  push(kind: TokenKind, start: number, end: number): number {
    if (this.size === this.kinds.length) this.grow();
    const i = this.size++;
    this.kinds[i] = CODE.get(kind)!;
    this.starts[i] = start;
    this.ends[i] = end;
    return i;
  }

  kind(i: number): TokenKind {
    return KINDS[this.kinds[i]];
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
    else t = this.reader.tokenAt(start);
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
