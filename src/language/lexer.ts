import { quoteText } from './text';
import { KEYWORDS, type Token, type TokenKind } from './tokens';

// Hand-written because the language is tiny and the parser needs every token's exact span,
// comments kept (for the formatter) and a lexer that never throws on any input.

const PUNCT2 = new Set(['**', '//', '==', '!=', '<=', '>=']);
const PUNCT1 = '(){}[],=+-*/%;:.<>';
/** By character code below 128: 1 for a one-character punctuation, 2 for the first character of a two-character one too. */
const PUNCT = new Uint8Array(128);
for (const p of PUNCT1) PUNCT[p.charCodeAt(0)] = 1;
for (const p of PUNCT2) PUNCT[p.charCodeAt(0)] |= 2;
/** The two-character operators as `first * 128 + second`. */
const PUNCT2_CODES = new Set([...PUNCT2].map((p) => p.charCodeAt(0) * 128 + p.charCodeAt(1)));

/**
 * Whether two punctuation tokens written without a space would lex as something else (`*` `*`
 * as `**`, `/` `/` as a comment), by the last character code of the left one and the first of
 * the right one.
 */
export function punctuationFuses(leftLast: number, rightFirst: number): boolean {
  return leftLast < 128 && rightFirst < 128 && PUNCT2_CODES.has(leftLast * 128 + rightFirst);
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isPunct(c: number): boolean {
  return c < 128 && (PUNCT[c] & 1) === 1;
}
/** Whether a token, a space or a line break may start with this character: what ends a run of junk. */
function startsToken(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff || c === 10 || c === 13 || c === 35 || c === 34 || c === 39 || isIdentPart(c) || c === 46 || isPunct(c);
}
/** Whether text[start, end) is a keyword, without slicing it. */
function isKeyword(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > 7) return false;
  for (const k of KEYWORDS) if (k.length === length && text.startsWith(k, start)) return true;
  return false;
}

export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.next();
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
  }
}

/**
 * The message of a token's lexing problem. Tokens carry only the kind of problem: the message
 * is built when the problem is listed, not for each of the 400,000 unterminated strings of a
 * hostile document (see DiagnosticCollector).
 */
export function tokenError(t: Token): string {
  switch (t.error) {
    case 'unexpected': {
      const run = t.text;
      const what = run.length === 1 || (run.length === 2 && run.codePointAt(0)! > 0xffff) ? 'character' : 'characters';
      return `Unexpected ${what} ${quoteText(run)}.`;
    }
    case 'not-a-number':
      return `'${t.text}' is not a number.`;
    case 'unterminated-string':
      return `Unterminated string: add the closing ${t.text[0]}.`;
    default:
      return '';
  }
}

/**
 * The token that starts at `start`, lexed again (for a reader that kept only kinds and spans).
 * Only a token the lexer produced is asked for, never a comment, so `//` there is floor division.
 */
export function tokenAt(text: string, start: number): Token {
  return new Lexer(text).tokenAt(start);
}

/**
 * The tokens of a text, one at a time. Two ways to read them: `next()` gives a Token object
 * (its text sliced, a number's or string's value decoded), for the parser; `advance()` only
 * moves to the next token and sets `kind`, `start`, `end` and `error`, building nothing, for a
 * reader that needs spans alone (the formatter: a megabyte of `1,` is a million tokens, and
 * their objects cost more than the formatting itself).
 */
export class Lexer {
  /** The current token (the one the last advance() or next() moved to). */
  kind: TokenKind = 'eof';
  start = 0;
  end = 0;
  error: Token['error'] = undefined;
  private i = 0;
  /** Whether the current token is an operand: a `//` after it is floor division, not a comment. */
  private operand = false;
  /** For a number: where its digits end (an identifier glued to them makes the token longer) and whether it is an integer. */
  private numberEnd = 0;
  private isInt = true;

  constructor(private readonly text: string) {}

  /**
   * The token that starts at `start` (see the function tokenAt), read by this lexer, which
   * then stands on it: a reader asking for many tokens keeps one lexer, not one per token.
   */
  tokenAt(start: number): Token {
    this.i = start;
    this.operand = true;
    return this.next();
  }

  /** Moves to the next token (`eof` at the end, and on every call after it) and returns its kind. */
  advance(): TokenKind {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff) c = text.charCodeAt(++i);
    this.error = undefined;
    if (i >= n) {
      this.kind = 'eof';
      this.start = this.end = this.i = n;
      this.operand = false;
      return 'eof';
    }
    this.start = i;
    this.scan(c, i);
    this.i = this.end;
    const kind = this.kind;
    this.operand = kind === 'number' || kind === 'ident' || kind === 'string' || (kind === 'punct' && this.end - this.start === 1 && (c === 41 /* ) */ || c === 93)) /* ] */;
    return kind;
  }

  /** The next token as an object; `eof` at the end (and on every call after it). */
  next(): Token {
    const kind = this.advance();
    const { start, end, text } = this;
    switch (kind) {
      case 'eof':
        return { kind, start, end, text: '' };
      case 'newline':
        return { kind, start, end, text: '\n' };
      case 'number': {
        const digits = text.slice(start, this.numberEnd);
        const token: Token = { kind, start, end, text: end === this.numberEnd ? digits : text.slice(start, end), value: Number(digits.includes('_') ? digits.replace(/_/g, '') : digits), isInt: this.isInt };
        if (this.error) token.error = this.error;
        return token;
      }
      case 'string': {
        const token: Token = { kind, start, end, text: text.slice(start, end), value: decodeString(text, start + 1, this.error ? end : end - 1) };
        if (this.error) token.error = this.error;
        return token;
      }
      case 'invalid':
        return { kind, start, end, text: text.slice(start, end), error: 'unexpected' };
      default:
        return { kind, start, end, text: text.slice(start, end) };
    }
  }

  /** Sets the kind and end of the token that starts with character `c` at `i`. */
  private scan(c: number, i: number): void {
    const text = this.text;
    const n = text.length;
    if (c === 10 || c === 13) {
      this.kind = 'newline';
      this.end = i + (c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1);
      return;
    }
    if (c === 35 /* # */ || (c === 47 && text.charCodeAt(i + 1) === 47 && !this.operand)) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      this.kind = 'comment';
      this.end = i;
      return;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      this.kind = isKeyword(text, start, i) ? 'keyword' : 'ident';
      this.end = i;
      return;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      this.kind = 'number';
      this.scanNumber(i);
      return;
    }
    if (c === 34 || c === 39) {
      this.kind = 'string';
      this.scanString(i);
      return;
    }
    if (c < 128 && PUNCT[c] !== 0) {
      this.kind = 'punct';
      if ((PUNCT[c] & 2) !== 0 && text.charCodeAt(i + 1) < 128 && PUNCT2_CODES.has(c * 128 + text.charCodeAt(i + 1))) {
        this.end = i + 2;
        return;
      }
      if ((PUNCT[c] & 1) !== 0) {
        this.end = i + 1;
        return;
      }
    }
    // One invalid token per run of unknown characters keeps diagnostics few and readable:
    // a pasted megabyte of junk is one problem, not a million.
    i++;
    while (i < n && !startsToken(text.charCodeAt(i))) i++;
    this.kind = 'invalid';
    this.end = i;
    this.error = 'unexpected';
  }

  private scanNumber(start: number): void {
    const text = this.text;
    const n = text.length;
    let i = start;
    let isInt = true;
    i = digitsEnd(text, i);
    if (text.charCodeAt(i) === 46 /* . */ && isDigit(text.charCodeAt(i + 1))) {
      isInt = false;
      i = digitsEnd(text, i + 1);
    } else if (text.charCodeAt(i) === 46 && !isIdentStart(text.charCodeAt(i + 1))) {
      isInt = false;
      i++;
    }
    const e = text.charCodeAt(i);
    if ((e === 101 || e === 69) /* e E */) {
      const sign = text.charCodeAt(i + 1);
      if (isDigit(sign) || ((sign === 45 || sign === 43) /* - + */ && isDigit(text.charCodeAt(i + 2)))) {
        isInt = false;
        i = digitsEnd(text, i + 2);
      }
    }
    this.numberEnd = i;
    this.isInt = isInt;
    // An identifier glued to a number ("3x") is one bad token, not two good ones.
    if (i < n && isIdentStart(text.charCodeAt(i))) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      this.error = 'not-a-number';
    }
    this.end = i;
  }

  private scanString(start: number): void {
    const text = this.text;
    const quote = text.charCodeAt(start);
    const n = text.length;
    let i = start + 1;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === quote) {
        this.end = i + 1;
        return;
      }
      if (ch === 10 || ch === 13) break;
      // A backslash never escapes a line break, whichever the file uses (LF, CRLF or CR).
      if (ch === 92 /* \\ */ && i + 1 < n && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) {
        i += 2;
        continue;
      }
      i++;
    }
    this.end = i;
    this.error = 'unterminated-string';
  }
}

/** Where a run of digits (with single `_` between them: `1_000`) that starts at `i` ends. */
function digitsEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && (isDigit(text.charCodeAt(i)) || (text.charCodeAt(i) === 95 /* _ */ && isDigit(text.charCodeAt(i + 1))))) i++;
  return i;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

/** A string's value: its characters from `start` to `end` (the quotes excluded) with escapes decoded. */
function decodeString(text: string, start: number, end: number): string {
  // Look for a backslash within the string only: indexOf would search on to the end of the
  // text for each string, quadratic on a file of strings without escapes.
  let plain = true;
  for (let i = start; i < end && plain; i++) plain = text.charCodeAt(i) !== 92;
  if (plain) return text.slice(start, end);
  let value = '';
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < end) {
      value += ESCAPES[text[i + 1]] ?? text[i + 1];
      i++;
    } else value += ch;
  }
  return value;
}
