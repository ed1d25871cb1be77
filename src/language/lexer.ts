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
/** 1 at `first * 128 + second` for each two-character operator: a table, not a Set, as the formatter asks for every pair of punctuation it writes. */
const PUNCT2_CODES = new Uint8Array(128 * 128);
for (const p of PUNCT2) PUNCT2_CODES[p.charCodeAt(0) * 128 + p.charCodeAt(1)] = 1;

/**
 * What a token that starts with an ASCII character is, by its code: one table look-up and a
 * switch instead of a chain of tests per token (a megabyte of `}` is a million tokens).
 * C_PUNCT2 starts a two-character operator too; `.` is C_OTHER (a number or punctuation).
 */
const C_OTHER = 0;
const C_SPACE = 1;
const C_NEWLINE = 2;
const C_HASH = 3;
const C_QUOTE = 4;
const C_PUNCT = 5;
const C_PUNCT2 = 6;
const C_DIGIT = 7;
/** Last: a name goes on while the class is C_IDENT or C_DIGIT. */
const C_IDENT = 8;
const CLASS = new Uint8Array(128);
CLASS[32] = CLASS[9] = CLASS[12] = C_SPACE;
CLASS[10] = CLASS[13] = C_NEWLINE;
CLASS[35] = C_HASH;
CLASS[34] = CLASS[39] = C_QUOTE;
for (let c = 0; c < 128; c++) {
  if (c === 46) continue;
  if ((PUNCT[c] & 2) !== 0) CLASS[c] = C_PUNCT2;
  else if (PUNCT[c] !== 0) CLASS[c] = C_PUNCT;
  else if (c >= 48 && c <= 57) CLASS[c] = C_DIGIT;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) CLASS[c] = C_IDENT;
}

/**
 * Whether two punctuation tokens written without a space would lex as something else (`*` `*`
 * as `**`, `/` `/` as a comment), by the last character code of the left one and the first of
 * the right one.
 */
export function punctuationFuses(leftLast: number, rightFirst: number): boolean {
  return leftLast < 128 && rightFirst < 128 && PUNCT2_CODES[leftLast * 128 + rightFirst] === 1;
}

/**
 * Whether the lexer, right after a token (of `kind`, starting with character `first`, `length`
 * long), reads a `//` as floor division: after an operand (a name, a number, a string, `)` or
 * `]`); after anything else it starts a comment. The one state the lexer carries from a token to
 * the next, so a re-lex can start after any token (relex.ts). advance() and rare() set it alike.
 */
export function leavesOperand(kind: TokenKind, first: number, length: number): boolean {
  return codeLeavesOperand(kind === 'punct' && length === 1 ? first : tokenCode(kind));
}

/**
 * The same for a token as its code (Lexer.batch): a name, a number, a string, `)` or `]`. A
 * reader of codes that starts the lexer again after a token (the formatter's relayout, format.ts)
 * gives it this.
 */
export function codeLeavesOperand(code: number): boolean {
  return code === CODE_IDENT || code === CODE_NUMBER || code === CODE_STRING || code === 41 || code === 93;
}

/**
 * How far past a token's end the lexer may read to end it: a number looks at the `.` and the
 * digit after it (`1.5`), a `e`, its sign and a digit (`1e+5`); a CR at the LF after it. A
 * token that ends this far before an edit was not changed by it (relex.ts, format.ts).
 */
export const LOOKAHEAD = 3;

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
  return isBlank(c) || c === 10 || c === 13 || c === 35 || c === 34 || c === 39 || isIdentPart(c) || c === 46 || isPunct(c);
}
/** Whether a character is a blank between tokens (a space, tab, form feed, no-break space or byte-order mark; not a line break). */
export function isBlank(c: number): boolean {
  return c < 128 ? CLASS[c] === C_SPACE : c === 0xa0 || c === 0xfeff;
}
/** The keywords by length: a name is compared with the few of its length (a Set's iterator per name cost more than the lexing). */
const KEYWORDS_BY_LENGTH: string[][] = [];
for (const k of KEYWORDS) (KEYWORDS_BY_LENGTH[k.length] ??= []).push(k);
/** Whether text[start, end) is a keyword, without slicing it. */
function isKeyword(text: string, start: number, end: number): boolean {
  const candidates = KEYWORDS_BY_LENGTH[end - start];
  if (candidates === undefined) return false;
  for (let j = 0; j < candidates.length; j++) if (text.startsWith(candidates[j], start)) return true;
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

  /**
   * Makes the next token the one at `offset`, read as at the start of a line (after a line
   * break, `//` starts a comment): where an incremental parse starts (incremental.ts).
   */
  startAt(offset: number): this {
    return this.resumeAt(offset, false);
  }

  /** Makes the next token the one at `offset`, right after a token that leaves `operand` (see leavesOperand): where a re-lex after an edit starts (relex.ts). */
  resumeAt(offset: number, operand: boolean): this {
    this.i = offset;
    this.operand = operand;
    return this;
  }

  /** Moves to the next token (`eof` at the end, and on every call after it) and returns its kind. */
  advance(): TokenKind {
    const text = this.text;
    const n = text.length;
    let i = skipSpaces(text, this.i);
    this.error = undefined;
    this.start = i;
    if (i >= n) {
      this.end = this.i = n;
      this.operand = false;
      return (this.kind = 'eof');
    }
    const c = text.charCodeAt(i);
    let kind: TokenKind;
    let operand = false;
    switch (c < 128 ? CLASS[c] : C_OTHER) {
      case C_NEWLINE:
        kind = 'newline';
        i = newlineEnd(text, i, c);
        break;
      case C_PUNCT:
        kind = 'punct';
        i++;
        operand = c === 41 /* ) */ || c === 93 /* ] */;
        break;
      case C_IDENT: {
        const start = i;
        i = runEnd(text, i + 1, C_DIGIT, C_IDENT);
        // A keyword is no operand: `let //` starts a comment.
        operand = !isKeyword(text, start, i);
        kind = operand ? 'ident' : 'keyword';
        break;
      }
      case C_HASH:
        kind = 'comment';
        i = lineEnd(text, i);
        break;
      case C_DIGIT: {
        // A plain integer here (most numbers: `Dense(1, 1, ...)`); any other in scanNumber.
        const j = plainIntegerEnd(text, i);
        if (j < 0) return this.rare(c, i);
        kind = 'number';
        this.numberEnd = i = j;
        this.isInt = operand = true;
        break;
      }
      default:
        return this.rare(c, i);
    }
    this.kind = kind;
    this.end = this.i = i;
    this.operand = operand;
    return kind;
  }

  /**
   * Lexes tokens into typed arrays from index `from` up to `to` (exclusive), each as its code
   * (a one-character punctuation's character, else a CODE_* number); stops after writing the
   * end (`eof`). Returns the index after the last token written. The same tokens as advance()
   * one at a time, for a reader that keeps codes and spans alone (the formatter): one-character punctuation, line breaks, names and plain integers are
   * read here, in local variables; only the other tokens go through advance() and its fields.
   * A megabyte of `}` is a million tokens: through advance() and a kind string each, lexing was
   * about a third of formatting it.
   */
  batch(codes: Uint8Array, starts: Int32Array, ends: Int32Array, from: number, to: number): number {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    let operand = this.operand;
    let t = from;
    let integerEnd = 0;
    while (t < to) {
      i = skipSpaces(text, i);
      starts[t] = i;
      const c = i < n ? text.charCodeAt(i) : 0;
      const cls = i < n && c < 128 ? CLASS[c] : C_OTHER;
      if (cls === C_PUNCT) {
        codes[t] = c;
        i++;
        operand = c === 41 /* ) */ || c === 93; /* ] */
      } else if (cls === C_NEWLINE) {
        codes[t] = CODE_NEWLINE;
        i = newlineEnd(text, i, c);
        operand = false;
      } else if (cls === C_IDENT) {
        const start = i;
        i = runEnd(text, i + 1, C_DIGIT, C_IDENT);
        operand = !isKeyword(text, start, i);
        codes[t] = operand ? CODE_IDENT : CODE_KEYWORD;
      } else if (cls === C_DIGIT && (integerEnd = plainIntegerEnd(text, i)) >= 0) {
        codes[t] = CODE_NUMBER;
        i = integerEnd;
        operand = true;
      } else {
        this.i = i;
        this.operand = operand;
        const kind = this.advance();
        // `*`, `/`, `=`, `<`, `>` and `.` alone are read here too.
        codes[t] = kind === 'punct' && this.end - i === 1 ? c : tokenCode(kind);
        i = this.end;
        operand = this.operand;
        if (kind === 'eof') {
          ends[t] = i;
          return t + 1;
        }
      }
      ends[t++] = i;
    }
    this.i = i;
    this.operand = operand;
    return t;
  }

  /** advance() for a token that starts with `c` at `i` and is none of its common cases. */
  private rare(c: number, i: number): TokenKind {
    // Rarer starts (other numbers, strings, `/`, operators of two characters, junk), one at a time.
    this.scan(c, i);
    this.i = this.end;
    const kind = this.kind;
    this.operand = kind === 'number' || kind === 'string' || (kind === 'punct' && this.end - i === 1 && (c === 41 || c === 93));
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
      this.kind = 'comment';
      this.end = lineEnd(text, i);
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
      if ((PUNCT[c] & 2) !== 0 && text.charCodeAt(i + 1) < 128 && PUNCT2_CODES[c * 128 + text.charCodeAt(i + 1)] === 1) {
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

/** Where the spaces (not line breaks) that start at `i` end: the gap before a token. */
function skipSpaces(text: string, i: number): number {
  const n = text.length;
  // Read only below n: a character read past the end would make V8 drop the optimized code.
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isBlank(c)) break;
    i++;
  }
  return i;
}

/**
 * Where the plain integer (digits alone) that starts at `i` ends, or -1 when the number there
 * goes on with a fraction, an exponent, `_` or a name glued to it (each starts with `.` or a
 * name's character): scanNumber reads those.
 */
function plainIntegerEnd(text: string, i: number): number {
  const j = runEnd(text, i + 1, C_DIGIT, C_DIGIT);
  const d = j < text.length ? text.charCodeAt(j) : 0;
  return d < 128 && (d === 46 || CLASS[d] === C_IDENT) ? -1 : j;
}

/** Where the line break `c` at `i` ends: CRLF is one break. */
function newlineEnd(text: string, i: number, c: number): number {
  return c === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
}

/**
 * A token as one number: the engine's one encoding of token kinds. Lexer.batch writes a token
 * so, for readers that keep tokens in typed arrays and compare them many times (the formatter):
 * a one-character punctuation as its character's code (below 128: `}` is 125), so the reader
 * tells `{` from `,` without reading the text again; any other token as 128 + its kind. The
 * parser's token table (tokenTable.ts) keeps every token's kind as its kind's code (punctuation
 * as CODE_PUNCT), with a flag in a bit no code uses (16). Numbers, strings and invalid runs come
 * last (a layout treats them alike).
 */
export const CODE_EOF = 128;
/** Punctuation of two characters (`**`, `==`, ...); in the token table, all punctuation. */
export const CODE_PUNCT = 129;
export const CODE_NEWLINE = 130;
export const CODE_IDENT = 131;
export const CODE_KEYWORD = 132;
export const CODE_COMMENT = 133;
export const CODE_NUMBER = 134;
export const CODE_STRING = 135;
export const CODE_INVALID = 136;

/** The kinds in the order of their codes, from CODE_EOF. */
const KINDS_BY_CODE: readonly TokenKind[] = ['eof', 'punct', 'newline', 'ident', 'keyword', 'comment', 'number', 'string', 'invalid'];

/** A kind's code (CODE_*). */
export function tokenCode(kind: TokenKind): number {
  switch (kind) {
    case 'punct':
      return CODE_PUNCT;
    case 'newline':
      return CODE_NEWLINE;
    case 'ident':
      return CODE_IDENT;
    case 'keyword':
      return CODE_KEYWORD;
    case 'comment':
      return CODE_COMMENT;
    case 'number':
      return CODE_NUMBER;
    case 'string':
      return CODE_STRING;
    case 'invalid':
      return CODE_INVALID;
    default:
      return CODE_EOF;
  }
}

/** The kind of a code of 128 and more (CODE_*); one-character punctuation's codes are below. */
export function codeKind(code: number): TokenKind {
  return KINDS_BY_CODE[code - CODE_EOF];
}

/**
 * Where a run of ASCII characters of the classes `lowest` to `highest` that goes on at `i` ends
 * (a name's characters, a number's digits). A loop of its own, not in advance(): V8 optimizes a
 * small function almost at once, so a megabyte-long name is not read by the interpreter.
 */
function runEnd(text: string, i: number, lowest: number, highest: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128 || CLASS[c] < lowest || CLASS[c] > highest) break;
    i++;
  }
  return i;
}

/** Where the line that `i` is on ends (its line break, or the end of the text). */
function lineEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** Where a run of digits (with single `_` between them: `1_000`) that starts at `i` ends. */
function digitsEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && (isDigit(text.charCodeAt(i)) || (text.charCodeAt(i) === 95 /* _ */ && isDigit(text.charCodeAt(i + 1))))) i++;
  return i;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

/** The value of a string token (Token.value; the token table's string tokens leave it out): its characters with escapes decoded. */
export function stringValue(text: string, t: Token): string {
  return decodeString(text, t.start + 1, t.error ? t.end : t.end - 1);
}

/** Characters decoded before they are joined: a megabyte of escapes made one string at a time was a million concatenations. */
const DECODE_CHUNK = 8192;

/** A string's value: its characters from `start` to `end` (the quotes excluded) with escapes decoded. */
function decodeString(text: string, start: number, end: number): string {
  // Look for a backslash within the string only: indexOf would search on to the end of the
  // text for each string, quadratic on a file of strings without escapes.
  let plain = true;
  for (let i = start; i < end && plain; i++) plain = text.charCodeAt(i) !== 92;
  if (plain) return text.slice(start, end);
  const chunks: string[] = [];
  const parts: string[] = [];
  let run = start;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== 92 || i + 1 === end) continue;
    // The plain run before the escape, then the escape, in chunks of at most DECODE_CHUNK parts.
    if (i > run) parts.push(text.slice(run, i));
    parts.push(ESCAPES[text[i + 1]] ?? text[i + 1]);
    i++;
    run = i + 1;
    if (parts.length >= DECODE_CHUNK) {
      chunks.push(parts.join(''));
      parts.length = 0;
    }
  }
  if (end > run) parts.push(text.slice(run, end));
  chunks.push(parts.join(''));
  return chunks.join('');
}
