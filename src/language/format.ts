import { Lexer, punctuationFuses } from './lexer';
import type { Token } from './tokens';

// The one canonical layout of a .seqmodel file. It works on tokens, not the syntax tree, so
// it keeps every comment and every token of any input (half-typed or wrong) and only changes
// whitespace; formatting twice gives the same text. The layout:
// - two spaces of indentation per block level and per open bracket on continuation lines;
// - `=` spaced at statement level (`let x = 1`, `epochs = 10`), tight in calls (`units=50`);
// - one space after `,`, none inside brackets, spaces around binary operators;
// - a block's `{` ends its line and its `}` stands alone;
// - at most one blank line in a row, none at the start of the file or of a block or before
//   a `}`; no trailing spaces; one newline at the end;
// - a trailing comment keeps its gap when it is two or more spaces (aligned comments stay
//   aligned), otherwise gets two.

const OPENERS = new Set(['(', '[']);
const CLOSERS = new Set([')', ']']);

/**
 * How much longer than its input a layout may be: real code only grows by indentation and
 * spaces, never by this much. Past it (a paste of 20,000 `{`, each indented deeper than the
 * last) the text is left as it is, so formatting stays linear in time and memory.
 */
const MAX_GROWTH = 4;
const MIN_BUDGET = 64 * 1024;

/** The canonical layout of `text`, or null when it would grow past the budget (the text is then best left alone). */
export function format(text: string): string | null {
  const eol = lineEnding(text);
  const budget = Math.max(MIN_BUDGET, text.length * MAX_GROWTH);
  let written = 0;
  // Tokens one at a time (the formatter looks one back and one ahead), never all at once.
  const lexer = new Lexer(text);
  const lines: string[] = [];
  let cur = '';
  let prev: Token | null = null;
  /** The last code token (not a comment) of the line being written: whether it opens a block. */
  let lineLastCode: Token | null = null;
  let lastLineOpensBlock = false;
  let braces = 0;
  let brackets = 0;
  /** Newlines seen since the last token written (2 or more: a blank line was there). */
  let pendingNewlines = 0;
  /** The line just written opened a block: no blank line may follow. */
  let afterOpenBrace = false;
  /** The last two code tokens of the statement (a newline outside brackets resets them): unary minus. */
  let codeLast: Token | null = null;
  let codeBefore: Token | null = null;

  /** A line break the layout adds: ends the statement line as a newline token would. */
  const breakLine = () => {
    endLine();
    codeLast = codeBefore = null;
    pendingNewlines = 1;
  };
  const endLine = () => {
    // No trimming: separators only ever precede a token, and an unterminated string keeps its text.
    if (cur.length || prev) {
      lines.push(cur);
      written += cur.length + eol.length;
      lastLineOpensBlock = lineLastCode?.kind === 'punct' && lineLastCode.text === '{';
    }
    cur = '';
    prev = null;
    lineLastCode = null;
  };

  let next = lexer.next();
  for (let raw: Token | null = null, t: Token = next; ; raw = t) {
    t = next;
    if (t.kind === 'eof') break;
    next = lexer.next();
    if (t.kind === 'newline') {
      if (brackets === 0) codeLast = codeBefore = null;
      if (prev) {
        endLine();
        afterOpenBrace = lastLineOpensBlock && brackets === 0;
        if (written > budget) return null;
      }
      pendingNewlines++;
      continue;
    }

    const isCloseBrace = t.kind === 'punct' && t.text === '}' && brackets === 0;
    // A `}` stands on its own line.
    if (isCloseBrace && prev) breakLine();

    if (!prev) {
      // First token of a line: blank line handling, then indentation.
      if (pendingNewlines >= 2 && lines.length > 0 && !afterOpenBrace && !isCloseBrace && brackets === 0) lines.push('');
      pendingNewlines = 0;
      afterOpenBrace = false;
      let closes = 0;
      if (t.kind === 'punct' && CLOSERS.has(t.text)) closes = 1;
      if (isCloseBrace) braces = Math.max(0, braces - 1);
      const depth = braces + Math.max(0, brackets - closes);
      // Checked before the indentation is built: 20,000 open brackets would make it quadratic.
      if (written + 2 * depth > budget) return null;
      cur = '  '.repeat(depth);
      if (isCloseBrace) {
        cur += '}';
        prev = codeLast = lineLastCode = t;
        codeBefore = null;
        // Anything after `}` on the same line (but a comment) starts a new line.
        if (next.kind !== 'newline' && next.kind !== 'comment' && next.kind !== 'eof') breakLine();
        continue;
      }
    } else {
      cur += separator(prev, t, raw!, codeBefore, brackets);
    }

    cur += t.kind === 'comment' ? t.text.trimEnd() : t.text;
    if (t.kind === 'punct') {
      if (OPENERS.has(t.text)) brackets++;
      else if (CLOSERS.has(t.text)) brackets = Math.max(0, brackets - 1);
    }
    prev = t;
    if (t.kind !== 'comment') {
      codeBefore = codeLast;
      codeLast = lineLastCode = t;
    }

    if (t.kind === 'punct' && t.text === '{' && brackets === 0) {
      braces++;
      // A block's body starts on the next line (a comment may stay on the `{` line).
      if (next.kind !== 'newline' && next.kind !== 'comment' && next.kind !== 'eof') {
        breakLine();
        afterOpenBrace = true;
      }
    }
  }
  if (prev) endLine();
  if (written > budget) return null;
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? lines.join(eol) + eol : '';
}

/** The file's own line break, as its first line ends (CRLF, CR or LF); LF for a file of one line. */
function lineEnding(text: string): string {
  const i = text.search(/[\r\n]/);
  if (i < 0 || text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** The whitespace between two tokens on one line; `before` is the code token before `prev`. */
function separator(prev: Token, t: Token, raw: Token, before: Token | null, brackets: number): string {
  if (t.kind === 'comment') return ' '.repeat(Math.max(2, t.start - raw.end));
  const sep = spacing(prev, t, before, brackets);
  // Never glue two tokens into one (`=` `=` into `==`, `*` `*` into `**`). Only two
  // punctuation tokens can fuse: every other pair written without a space stays two tokens.
  if (sep === '' && prev.kind === 'punct' && t.kind === 'punct' && punctuationFuses(prev.text, t.text)) return ' ';
  return sep;
}

function isUnary(t: Token, before: Token | null): boolean {
  if (t.kind !== 'punct' || (t.text !== '-' && t.text !== '+')) return false;
  if (!before) return true;
  if (before.kind === 'keyword') return true;
  return before.kind === 'punct' && !CLOSERS.has(before.text) && before.text !== '}';
}

function spacing(prev: Token, t: Token, before: Token | null, brackets: number): string {
  if (t.kind === 'punct' && (t.text === ',' || t.text === ';' || CLOSERS.has(t.text))) return '';
  if (prev.kind === 'punct' && OPENERS.has(prev.text)) return '';
  if (prev.kind === 'punct' && (prev.text === ',' || prev.text === ';')) return ' ';
  if ((t.kind === 'punct' && t.text === '=') || (prev.kind === 'punct' && prev.text === '=')) return brackets > 0 ? '' : ' ';
  if (t.kind === 'punct' && t.text === '(') return prev.kind === 'ident' ? '' : ' ';
  if (isUnary(prev, before)) return '';
  return ' ';
}
