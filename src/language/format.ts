import { Lexer, punctuationFuses } from './lexer';
import { runSteps, STEP_SIZE, type Steps } from './steps';
import type { TokenKind } from './tokens';

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
//
// It has to stay fast on a megabyte of anything (docs/editor.md, "Hostile input"): the lexer's
// advance() gives each token's kind and span without building a token object, and the layout
// is written character by character into one growing buffer (Layout), so the work is a few
// operations per character, with no object or string per token.

/**
 * How much longer than its input a layout may be: real code only grows by indentation and
 * spaces, never by this much. Past it (a paste of 20,000 `{`, each indented deeper than the
 * last) the text is left as it is, so formatting stays linear in time and memory.
 */
const MAX_GROWTH = 4;
const MIN_BUDGET = 64 * 1024;

/** The characters the layout decides by, as character codes (a token's `punct`). */
const [OPEN_PAREN, CLOSE_PAREN, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE, COMMA, SEMICOLON, EQUALS, PLUS, MINUS, SPACE] = [...'()[]{},;=+- '].map((c) => c.charCodeAt(0));

/** The canonical layout of `text`, or null when it would grow past the budget (the text is then best left alone). */
export function format(text: string): string | null {
  const out = runSteps(layoutSteps(text));
  return out && out.toString();
}

/** One replacement that turns part of a text into its layout: text[start, end) becomes `newText`. */
export interface FormatEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Edits closer than this (in characters of the text) become one: sending a few unchanged
 * characters again costs less than another edit (about 80 bytes of JSON), and a line of
 * `let a=1` is then one edit, not three.
 */
const MERGE_DISTANCE = 64;
/**
 * How long a stretch of close changes may grow before the rest of the text becomes one edit
 * (see Walk.toCommonEnd): longer than any screenful, short enough to cost nothing.
 */
const DENSE_CHANGE = 64 * 1024;
/**
 * The most edits one formatting sends: past it, edits are merged over longer unchanged
 * stretches (a megabyte of `}` changes after every character: one edit, not a million).
 */
export const MAX_FORMAT_EDITS = 1000;

/**
 * The edits that turn `text` into its canonical layout, in document order and apart: only the
 * parts that change, so an editor keeps the cursor, folds and markers of the rest. Empty when
 * the text is already laid out or its layout would grow past the budget. Edits never cut a
 * CRLF pair or a surrogate pair.
 */
export function formatEdits(text: string): FormatEdit[] {
  return runSteps(formatEditSteps(text));
}

/** formatEdits in steps of a few thousand tokens (see steps.ts), so a server can let other messages in between. */
export function* formatEditSteps(text: string): Steps<FormatEdit[]> {
  const out = yield* layoutSteps(text);
  if (!out) return [];
  const changes = yield* out.changesFrom(text);
  const edits: FormatEdit[] = [];
  for (let i = 0; i < changes.count; i++) {
    const [start, end, outStart, outEnd] = changes.at(i);
    edits.push({ start, end, newText: out.slice(outStart, outEnd) });
    if (i % STEP_SIZE === STEP_SIZE - 1) yield;
  }
  return edits;
}

/** The canonical layout of `text` as a buffer of UTF-16 code units (null past the budget), in steps. */
export function layoutSteps(text: string): Steps<Layout | null> {
  return new Formatter(text).steps();
}

/** Tokens laid out per step, and characters compared per step: a few milliseconds of work at most. */
const TOKENS_PER_STEP = 16 * STEP_SIZE;
const CHARS_PER_STEP = 1024 * STEP_SIZE;

/**
 * One formatting pass. A token is its kind, span and, for a one-character punctuation, that
 * character (`punct`, 0 otherwise); the formatter looks one token back (`prev*`, the last two
 * code tokens) and one ahead (the next token's kind), all kept as numbers and kinds in fields.
 */
class Formatter {
  private readonly out: Layout;
  private readonly eol: string;
  /** The token before the current one on the line being written (hasPrev false at the start of a line). */
  private hasPrev = false;
  private prevKind: TokenKind = 'eof';
  private prevPunct = 0;
  private prevEnd = 0;
  /** The last two code tokens of the statement (a newline outside brackets resets them): unary minus. */
  private codeLast: TokenKind | null = null;
  private codeLastPunct = 0;
  private codeBefore: TokenKind | null = null;
  private codeBeforePunct = 0;
  /** Whether the last code token (not a comment) of the line being written opens a block. */
  private lineOpensBlock = false;
  private lastLineOpensBlock = false;
  private braces = 0;
  private brackets = 0;
  /** Lines written so far (blank ones excluded): no blank line at the start of the file. */
  private linesWritten = 0;
  /** Newlines seen since the last token written (2 or more: a blank line was there). */
  private pendingNewlines = 0;
  /** The line just written opened a block: no blank line may follow. */
  private afterOpenBrace = false;
  private readonly lexer: Lexer;
  /** The token about to be written (the lexer is one token ahead of it). */
  private kind: TokenKind;
  /** Where the token before the current one ended, whatever it was: a trailing comment keeps that gap. */
  private rawEnd = 0;

  constructor(private readonly text: string) {
    this.eol = lineEnding(text);
    this.out = new Layout(text, Math.max(MIN_BUDGET, text.length * MAX_GROWTH));
    this.lexer = new Lexer(text);
    this.kind = this.lexer.advance();
  }

  *steps(): Steps<Layout | null> {
    for (;;) {
      const going = this.some(TOKENS_PER_STEP);
      if (going === null) return null;
      if (!going) break;
      yield;
    }
    if (this.hasPrev) this.endLine();
    return this.out.over() ? null : this.out;
  }

  /** Lays out up to `count` tokens: true while tokens remain, false at the end, null past the budget. */
  private some(count: number): boolean | null {
    const { text, out, lexer } = this;
    let kind = this.kind;
    let rawEnd = this.rawEnd;
    for (let n = 0; n < count && kind !== 'eof'; n++) {
      const start = lexer.start;
      const end = lexer.end;
      const punct = kind === 'punct' && end - start === 1 ? text.charCodeAt(start) : 0;
      const next = lexer.advance();
      if (out.over() || !this.token(kind, start, end, punct, next, rawEnd)) return null;
      rawEnd = end;
      kind = next;
    }
    this.kind = kind;
    this.rawEnd = rawEnd;
    return kind !== 'eof';
  }

  /** Writes one token; false when its indentation would outgrow the budget. */
  private token(kind: TokenKind, start: number, end: number, punct: number, next: TokenKind, rawEnd: number): boolean {
    const out = this.out;
    if (kind === 'newline') {
      if (this.brackets === 0) this.codeLast = this.codeBefore = null;
      if (this.hasPrev) {
        this.endLine();
        this.afterOpenBrace = this.lastLineOpensBlock && this.brackets === 0;
      }
      this.pendingNewlines++;
      return true;
    }

    const isCloseBrace = punct === CLOSE_BRACE && this.brackets === 0;
    // A `}` stands on its own line.
    if (isCloseBrace && this.hasPrev) this.breakLine();

    if (!this.hasPrev) {
      // First token of a line: blank line handling, then indentation.
      if (this.pendingNewlines >= 2 && this.linesWritten > 0 && !this.afterOpenBrace && !isCloseBrace && this.brackets === 0) out.eol(this.eol);
      this.pendingNewlines = 0;
      this.afterOpenBrace = false;
      const closes = punct === CLOSE_PAREN || punct === CLOSE_BRACKET ? 1 : 0;
      if (isCloseBrace) this.braces = Math.max(0, this.braces - 1);
      const depth = this.braces + Math.max(0, this.brackets - closes);
      // Checked before the indentation is written: 20,000 open brackets would make it quadratic.
      if (!out.fits(2 * depth)) return false;
      out.spaces(2 * depth);
      if (isCloseBrace) {
        out.copy(start, end);
        this.setPrev(kind, punct, end);
        this.codeLast = kind;
        this.codeLastPunct = punct;
        this.codeBefore = null;
        this.lineOpensBlock = false;
        // Anything after `}` on the same line (but a comment) starts a new line.
        if (opensLine(next)) this.breakLine();
        return true;
      }
    } else {
      out.spaces(this.separator(kind, start, punct, rawEnd));
    }

    out.copy(start, kind === 'comment' ? trimEnd(this.text, start, end) : end);
    if (punct === OPEN_PAREN || punct === OPEN_BRACKET) this.brackets++;
    else if (punct === CLOSE_PAREN || punct === CLOSE_BRACKET) this.brackets = Math.max(0, this.brackets - 1);
    this.setPrev(kind, punct, end);
    if (kind !== 'comment') {
      this.codeBefore = this.codeLast;
      this.codeBeforePunct = this.codeLastPunct;
      this.codeLast = kind;
      this.codeLastPunct = punct;
      this.lineOpensBlock = punct === OPEN_BRACE;
    }

    if (punct === OPEN_BRACE && this.brackets === 0) {
      this.braces++;
      // A block's body starts on the next line (a comment may stay on the `{` line).
      if (opensLine(next)) {
        this.breakLine();
        this.afterOpenBrace = true;
      }
    }
    return true;
  }

  private setPrev(kind: TokenKind, punct: number, end: number): void {
    this.hasPrev = true;
    this.prevKind = kind;
    this.prevPunct = punct;
    this.prevEnd = end;
  }

  private endLine(): void {
    // No trimming: separators only ever precede a token, and an unterminated string keeps its text.
    if (this.hasPrev) {
      this.out.eol(this.eol);
      this.linesWritten++;
      this.lastLineOpensBlock = this.lineOpensBlock;
    }
    this.hasPrev = false;
    this.lineOpensBlock = false;
  }

  /** A line break the layout adds: ends the statement line as a newline token would. */
  private breakLine(): void {
    this.endLine();
    this.codeLast = this.codeBefore = null;
    this.pendingNewlines = 1;
  }

  /** How many spaces go between the previous token and this one on one line. */
  private separator(kind: TokenKind, start: number, punct: number, rawEnd: number): number {
    if (kind === 'comment') return Math.max(2, start - rawEnd);
    const sep = this.spacing(kind, punct);
    // Never glue two tokens into one (`=` `=` into `==`, `*` `*` into `**`). Only two
    // punctuation tokens can fuse: every other pair written without a space stays two tokens.
    if (sep === 0 && this.prevKind === 'punct' && kind === 'punct' && punctuationFuses(this.text.charCodeAt(this.prevEnd - 1), this.text.charCodeAt(start))) return 1;
    return sep;
  }

  private spacing(kind: TokenKind, punct: number): number {
    const prev = this.prevPunct;
    if (punct === COMMA || punct === SEMICOLON || punct === CLOSE_PAREN || punct === CLOSE_BRACKET) return 0;
    if (prev === OPEN_PAREN || prev === OPEN_BRACKET) return 0;
    if (prev === COMMA || prev === SEMICOLON) return 1;
    if (punct === EQUALS || prev === EQUALS) return this.brackets > 0 ? 0 : 1;
    if (punct === OPEN_PAREN) return this.prevKind === 'ident' ? 0 : 1;
    if (this.prevIsUnary()) return 0;
    return 1;
  }

  /** Whether the previous token is a sign (`-x`, `+1`): after an operator, a keyword or at the start of a statement. */
  private prevIsUnary(): boolean {
    if (this.prevPunct !== MINUS && this.prevPunct !== PLUS) return false;
    const before = this.codeBefore;
    if (before === null || before === 'keyword') return true;
    const p = this.codeBeforePunct;
    return before === 'punct' && p !== CLOSE_PAREN && p !== CLOSE_BRACKET && p !== CLOSE_BRACE;
  }
}

/** Whether a token after `}` or `{` must go on a line of its own: anything but a comment or the line's end. */
function opensLine(kind: TokenKind): boolean {
  return kind !== 'newline' && kind !== 'comment' && kind !== 'eof';
}

/**
 * The layout being written: UTF-16 code units in a buffer that doubles as it fills, so a
 * megabyte of output is a few copies, not a million string pieces. Past the budget it stops
 * growing (`over()`); the caller then gives up.
 */
export class Layout {
  private buffer: Uint16Array;
  length = 0;
  /**
   * Whether the text has a surrogate. All the layout adds is spaces and line breaks, so without
   * one in the text there is none in the layout (checked once, not per slice).
   */
  private readonly surrogates: boolean;

  constructor(
    private readonly text: string,
    private readonly budget: number,
  ) {
    this.buffer = new Uint16Array(Math.min(budget, text.length + (text.length >> 3) + 64));
    this.surrogates = /[\ud800-\udfff]/.test(text);
  }

  over(): boolean {
    return this.length > this.budget;
  }

  fits(count: number): boolean {
    return this.length + count <= this.budget;
  }

  /**
   * Where the layout differs from `text`, walking both at once: formatting only changes white
   * space (what the lexer skips, line breaks, a comment's trailing spaces), so the two are the
   * same once white space is left out. Where they differ, the runs of white space there are
   * skipped in both, which brings both to the same next character; the runs, without their
   * common end, are a change. No change starts or ends between the halves of a CRLF or
   * surrogate pair. In steps of CHARS_PER_STEP characters of the text.
   */
  *changesFrom(text: string): Steps<Changes> {
    const walk = new Walk(text, this.buffer, this.length);
    while (!walk.run(CHARS_PER_STEP)) yield;
    return walk.changes;
  }

  copy(start: number, end: number): void {
    this.reserve(end - start);
    const { buffer, text } = this;
    let at = this.length;
    for (let i = start; i < end; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  spaces(count: number): void {
    if (count <= 0) return;
    this.reserve(count);
    const { buffer } = this;
    // A loop for the usual one or two spaces: a native fill costs more than it saves there.
    if (count > 64) buffer.fill(SPACE, this.length, this.length + count);
    else for (let i = this.length, end = i + count; i < end; i++) buffer[i] = SPACE;
    this.length += count;
  }

  eol(eol: string): void {
    this.reserve(2);
    for (let i = 0; i < eol.length; i++) this.buffer[this.length++] = eol.charCodeAt(i);
  }

  /** The layout's code units from `start` to `end` as a string. */
  slice(start = 0, end = this.length): string {
    const units = this.buffer.subarray(start, end);
    // The native decoder is many times faster than building the string from code units, but it
    // would replace a lone surrogate (junk a file may hold) with U+FFFD: only without any.
    if (!this.surrogates) return UTF16.decode(units);
    // In pieces: String.fromCharCode takes its arguments on the stack.
    const CHUNK = 8192;
    const parts: string[] = [];
    for (let i = 0; i < units.length; i += CHUNK) parts.push(String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]));
    return parts.join('');
  }

  toString(): string {
    return this.slice();
  }

  /** Room for `count` more code units. The caller checks the budget between tokens, so the buffer ends at most a token past it. */
  private reserve(count: number): void {
    const need = this.length + count;
    if (need <= this.buffer.length) return;
    const grown = new Uint16Array(Math.max(need, Math.min(this.budget + 2, this.buffer.length * 2)));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** The walk of Layout.changesFrom, a method that runs a stretch at a time (a generator's loop is optimized less). */
class Walk {
  readonly changes = new Changes();
  private i = 0;
  private j = 0;

  constructor(
    private readonly text: string,
    private readonly buffer: Uint16Array,
    private readonly length: number,
  ) {}

  /**
   * The change being gathered: from (a, c) to the end of its last difference, whose white-space
   * runs began at (lastA, lastC) and ended at (lastI, lastJ). A difference that begins less than
   * `changes.distance` after it joins it without any more work: a megabyte in which every
   * character changes is walked, not a million changes recorded.
   */
  private open = false;
  private a = 0;
  private c = 0;
  private lastA = 0;
  private lastC = 0;
  private lastI = 0;
  private lastJ = 0;

  /** Walks about `count` more characters of the text; true at the end. */
  run(count: number): boolean {
    const { text, buffer, length } = this;
    const n = text.length;
    let i = this.i;
    let j = this.j;
    const stop = i + count;
    for (;;) {
      while (i < n && j < length && buffer[j] === text.charCodeAt(i)) i++, j++;
      if (i === n && j === length) break;
      const a = i;
      const c = j;
      while (i < n && isJsWhiteSpace(text.charCodeAt(i))) i++;
      while (j < length && isJsWhiteSpace(buffer[j])) j++;
      // No white space where they differ: the layout is not the text's (a bug). One change over
      // the rest keeps the result exact, and the walk always ends.
      if (i === a && j === c) {
        this.close();
        this.changes.add(a, n, c, length);
        return true;
      }
      if (!this.open || a - this.lastI >= this.changes.distance) {
        this.close();
        this.open = true;
        this.a = a;
        this.c = c;
      } else if (a - this.a > DENSE_CHANGE) {
        this.toCommonEnd();
        return true;
      }
      this.lastA = a;
      this.lastC = c;
      this.lastI = i;
      this.lastJ = j;
      if (i >= stop) {
        this.i = i;
        this.j = j;
        return false;
      }
    }
    this.close();
    return true;
  }

  /**
   * Ends the walk with one change from the start of the one being gathered to where the text
   * and the layout end alike (compared from their ends): past DENSE_CHANGE characters of
   * differences close together, the rest is one edit anyway (a megabyte of `}` differs after
   * every character), and finding its end from there costs one comparison a character.
   */
  private toCommonEnd(): void {
    this.record(this.text.length, this.length, this.lastI, this.lastJ);
  }

  /** Records the change being gathered: its last difference without the end both have in common, widened to whole pairs. */
  private close(): void {
    if (this.open) this.record(this.lastI, this.lastJ, this.lastA, this.lastC);
  }

  /**
   * Records the change being gathered as ending at text[b] and layout[d], less the end both have
   * in common back to (floorB, floorD), widened so that it cuts no pair (CRLF, surrogates).
   */
  private record(b: number, d: number, floorB: number, floorD: number): void {
    const { text, buffer } = this;
    const n = text.length;
    let a = this.a;
    let c = this.c;
    while (b > floorB && d > floorD && buffer[d - 1] === text.charCodeAt(b - 1)) b--, d--;
    while (a > 0 && c > 0 && isTrail(text.charCodeAt(a))) a--, c--;
    while (b < n && d < this.length && isTrail(text.charCodeAt(b))) b++, d++;
    this.open = false;
    this.changes.add(a, b, c, d);
  }
}

/**
 * The changed parts of a text as [start, end, outStart, outEnd] quadruples in order: text[start,
 * end) becomes layout[outStart, outEnd). A change within MERGE_DISTANCE of the last one extends
 * it (what lies between is the same in both); at MAX_FORMAT_EDITS the list is merged again over
 * longer distances, so it stays short however much changes.
 */
class Changes {
  private list = new Int32Array(64);
  count = 0;
  /** How far apart two changes must be to stay two (grows past MAX_FORMAT_EDITS). */
  distance = MERGE_DISTANCE;

  at(i: number): [number, number, number, number] {
    const l = this.list;
    return [l[4 * i], l[4 * i + 1], l[4 * i + 2], l[4 * i + 3]];
  }

  add(start: number, end: number, outStart: number, outEnd: number): void {
    const l = this.list;
    const last = 4 * (this.count - 1);
    if (this.count > 0 && start - l[last + 1] < this.distance) {
      l[last + 1] = end;
      l[last + 3] = outEnd;
      return;
    }
    if (this.count === MAX_FORMAT_EDITS) {
      this.merge();
      return this.add(start, end, outStart, outEnd);
    }
    if (4 * this.count === l.length) {
      this.list = new Int32Array(2 * l.length);
      this.list.set(l);
    }
    this.list.set([start, end, outStart, outEnd], 4 * this.count++);
  }

  /**
   * Merges the changes again over the shorter half of the unchanged stretches between them, and
   * keeps that distance for the changes to come: the list halves at least, and the edits stay
   * the smallest they can be within the cap.
   */
  private merge(): void {
    const l = this.list;
    const gaps = new Float64Array(this.count - 1);
    for (let i = 1; i < this.count; i++) gaps[i - 1] = l[4 * i] - l[4 * i - 3];
    gaps.sort();
    this.distance = Math.max(this.distance, gaps[gaps.length >> 1] + 1);
    let kept = 1;
    for (let i = 1; i < this.count; i++) {
      const last = 4 * (kept - 1);
      if (l[4 * i] - l[last + 1] < this.distance) {
        l[last + 1] = l[4 * i + 1];
        l[last + 3] = l[4 * i + 3];
      } else {
        l.copyWithin(4 * kept++, 4 * i, 4 * i + 4);
      }
    }
    this.count = kept;
  }
}

// TextDecoder is in every host the engine runs in (Node, browsers, Web Workers) but not in the
// ECMAScript library this pure engine compiles against: declared here with what is used.
declare const TextDecoder: new (encoding: string) => { decode(units: Uint16Array): string };
const UTF16 = new TextDecoder('utf-16le');

/** The second half of a pair that must not be cut: `\n` after `\r`, or a low surrogate. */
function isTrail(c: number): boolean {
  return c === 10 || (c >= 0xdc00 && c <= 0xdfff);
}

/** The file's own line break, as its first line ends (CRLF, CR or LF); LF for a file of one line. */
function lineEnding(text: string): string {
  const i = text.search(/[\r\n]/);
  if (i < 0 || text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** Where text[start, end) ends without its trailing white space, as String.prototype.trimEnd counts it. */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isJsWhiteSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** ECMAScript's WhiteSpace and LineTerminator: what trimEnd removes. */
function isJsWhiteSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
