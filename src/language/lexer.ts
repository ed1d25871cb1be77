import { quoteText } from './text';
import { KEYWORDS, type Token } from './tokens';

// Hand-written because the language is tiny and the parser needs every token's exact span,
// comments kept (for the formatter) and a lexer that never throws on any input.

const PUNCT2 = new Set(['**', '//', '==', '!=', '<=', '>=']);
/** First characters of two-character operators: only these need a second look. */
const PUNCT2_START = new Set([...PUNCT2].map((p) => p.charCodeAt(0)));
const PUNCT1 = '(){}[],=+-*/%;:.<>';

/** Whether two punctuation tokens written without a space would lex as something else (`*` `*` as `**`, `/` `/` as a comment). */
export function punctuationFuses(left: string, right: string): boolean {
  return PUNCT2.has(left[left.length - 1] + right[0]);
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
/** Whether a token, a space or a line break may start with this character: what ends a run of junk. */
function startsToken(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff || c === 10 || c === 13 || c === 35 || c === 34 || c === 39 || isIdentPart(c) || c === 46 || PUNCT1.includes(String.fromCharCode(c));
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
 * The tokens one at a time, for a reader that needs only a few at once (the formatter): on a
 * megabyte of code the million token objects then die young instead of all living to the end.
 */
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

export class Lexer {
  private i = 0;
  private prev: Token | null = null;

  constructor(private readonly text: string) {}

  /** The next token; `eof` at the end (and on every call after it). */
  next(): Token {
    this.prev = this.scan();
    return this.prev;
  }

  private scan(): Token {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= n) {
        this.i = n;
        return { kind: 'eof', start: n, end: n, text: '' };
      }
      if (c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff) {
        i++;
        continue;
      }
      const token = lexToken(text, c, i, isOperand(this.prev));
      this.i = token.end;
      return token;
    }
  }
}

/**
 * The token that starts with character `c` at `i`. `afterOperand`: whether the token before it
 * is an operand, which makes `//` floor division rather than a comment.
 */
function lexToken(text: string, c: number, i: number, afterOperand: boolean): Token {
  const n = text.length;
  const start = i;
  if (c === 10 || c === 13) {
    return { kind: 'newline', start, end: i + (c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1), text: '\n' };
  }
  if (c === 35 /* # */ || (c === 47 && text.charCodeAt(i + 1) === 47 && !afterOperand)) {
    while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    return { kind: 'comment', start, end: i, text: text.slice(start, i) };
  }
  if (isIdentStart(c)) {
    while (i < n && isIdentPart(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    return { kind: KEYWORDS.has(word) ? 'keyword' : 'ident', start, end: i, text: word };
  }
  if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) return lexNumber(text, i);
  if (c === 34 || c === 39) return lexString(text, i);
  const two = PUNCT2_START.has(c) ? text.slice(i, i + 2) : '';
  if (two && PUNCT2.has(two)) return { kind: 'punct', start, end: i + 2, text: two };
  if (PUNCT1.includes(text[i])) return { kind: 'punct', start, end: i + 1, text: text[i] };
  // One invalid token per run of unknown characters keeps diagnostics few and readable:
  // a pasted megabyte of junk is one problem, not a million.
  i++;
  while (i < n && !startsToken(text.charCodeAt(i))) i++;
  return { kind: 'invalid', start, end: i, text: text.slice(start, i), error: 'unexpected' };
}

/**
 * The token that starts at `start`, lexed again: a TokenTable keeps only kinds and spans. Only
 * tokens the lexer produced are asked for, never comments, so `//` there is floor division.
 */
export function tokenAt(text: string, start: number): Token {
  return lexToken(text, text.charCodeAt(start), start, true);
}

/** `//` is floor division after an operand and a comment elsewhere (start of a line, after `,`). */
function isOperand(prev: Token | null): boolean {
  if (!prev) return false;
  if (prev.kind === 'number' || prev.kind === 'ident' || prev.kind === 'string') return true;
  return prev.kind === 'punct' && (prev.text === ')' || prev.text === ']');
}

function lexNumber(text: string, start: number): Token {
  let i = start;
  const n = text.length;
  let isInt = true;
  const digits = () => {
    while (i < n && (isDigit(text.charCodeAt(i)) || (text[i] === '_' && isDigit(text.charCodeAt(i + 1))))) i++;
  };
  digits();
  if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
    isInt = false;
    i++;
    digits();
  } else if (text[i] === '.' && !isIdentStart(text.charCodeAt(i + 1))) {
    isInt = false;
    i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text.charCodeAt(i + 1)) || ((text[i + 1] === '-' || text[i + 1] === '+') && isDigit(text.charCodeAt(i + 2))))) {
    isInt = false;
    i += 2;
    digits();
  }
  const raw = text.slice(start, i);
  const token: Token = { kind: 'number', start, end: i, text: raw, value: Number(raw.includes('_') ? raw.replace(/_/g, '') : raw), isInt };
  // An identifier glued to a number ("3x") is one bad token, not two good ones.
  if (i < n && isIdentStart(text.charCodeAt(i))) {
    while (i < n && isIdentPart(text.charCodeAt(i))) i++;
    token.end = i;
    token.text = text.slice(start, i);
    token.error = 'not-a-number';
  }
  return token;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

function lexString(text: string, start: number): Token {
  const quote = text[start];
  let i = start + 1;
  let value = '';
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === quote) {
      return { kind: 'string', start, end: i + 1, text: text.slice(start, i + 1), value };
    }
    if (ch === '\n' || ch === '\r') break;
    // A backslash never escapes a line break, whichever the file uses (LF, CRLF or CR).
    if (ch === '\\' && i + 1 < n && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
      value += ESCAPES[text[i + 1]] ?? text[i + 1];
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return { kind: 'string', start, end: i, text: text.slice(start, i), value, error: 'unterminated-string' };
}
