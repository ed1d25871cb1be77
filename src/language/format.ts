import { grown } from './grow';
import { FLAG_AFTER_OPEN_BRACE, FLAG_LINE_OPENS_BLOCK, FLAG_OPERAND, FLAG_WROTE_LINE, LayoutMarks, M_AHEAD_END, M_BRACES, M_BRACKETS, M_CODE_BEFORE, M_CODE_LAST, M_FLAGS, M_OUT, M_PENDING, M_PREV, M_RAW_END, M_SRC, type EditRegions, type FormatMemory, type LaidOut } from './layoutMemory';
import { CODE_COMMENT, CODE_EOF, CODE_IDENT, CODE_KEYWORD, CODE_NEWLINE, CODE_PUNCT, codeLeavesOperand, Lexer, LOOKAHEAD, punctuationFuses } from './lexer';
import { runSteps, STEP_SIZE, type Steps } from './steps';

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
// advance() gives each token's kind and span without building a token object, a batch at a
// time, and one loop (Formatter.some) lays the batch out into one growing buffer, so the work
// is a few operations per character, with no object or string per token.

/**
 * How much longer than its input a layout may be: real code only grows by indentation and
 * spaces, never by this much. Past it (a paste of 20,000 `{`, each indented deeper than the
 * last) the text is left as it is, so formatting stays linear in time and memory.
 */
const MAX_GROWTH = 4;
const MIN_BUDGET = 64 * 1024;

/** The characters the layout decides by, as character codes (a one-character punctuation's token code). */
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

/**
 * formatEdits in steps of a few thousand tokens (see steps.ts), so a server can let other
 * messages in between. With a document's `memory` (layoutMemory.ts) the layout kept from its
 * last formatting is laid out again only around the parts changed since, and this one's is
 * kept. `batch`: tokens laid out per step (and between two marks of the kept layout; tests make
 * it small to put many marks in a short text).
 */
export function* formatEditSteps(text: string, memory?: FormatMemory, batch = TOKENS_PER_STEP): Steps<FormatEdit[]> {
  const out = yield* layoutSteps(text, memory, batch);
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

/** The canonical layout of `text` as a buffer of UTF-16 code units (null past the budget), in steps (see formatEditSteps). */
export function layoutSteps(text: string, memory?: FormatMemory, batch = TOKENS_PER_STEP): Steps<Layout | null> {
  return new Formatter(text, batch).steps(memory);
}

/** Tokens laid out per step, and characters compared per step: a few milliseconds of work at most. */
const TOKENS_PER_STEP = 16 * STEP_SIZE;
const CHARS_PER_STEP = 1024 * STEP_SIZE;
/** What a batch may write beyond the text it spans (see Formatter.some): 8 code units a token. */
const BATCH_ROOM = 8 * (TOKENS_PER_STEP + 1);
/** How a layout ends (Formatter.layout, relayout): past the budget, at the text's end, or with the old layout's end copied. */
const PAST_BUDGET = 0;
const AT_END = 1;
const COPIED_END = 2;
/** The first batch's tokens: few enough to run through before V8 compiles the loops (see Formatter.lexBatch). */
const FIRST_BATCH = 64;

/**
 * One formatting pass. A token is its code (T_*: a one-character punctuation's character, or
 * 128 + its kind) and span; the formatter looks one token back (`prev`, and the last two code
 * tokens of the statement, `code*`) and one ahead (the next token's code).
 *
 * It works a batch of tokens at a time: the lexer's batch() fills small typed arrays with
 * their codes and spans, then one loop lays them out, its state in local variables (fields
 * between batches), writing straight into a Uint16Array. A megabyte of `}` is a million
 * tokens: as methods called per token and per decision (a lexer call in the middle of the
 * layout's state, a field write per decision, the buffer's room checked per write) it took
 * about 90 ns a token, several times the decisions' own cost.
 */
class Formatter {
  private buffer: Uint16Array = EMPTY;
  private length = 0;
  private readonly budget: number;
  /** The file's line break, and as one or two code units (eolB -1 for one). */
  private readonly eol: string;
  private readonly eolA: number;
  private readonly eolB: number;
  private readonly lexer: Lexer;
  /** The batch: codes (T_*, see Lexer.batch) and spans of up to `batch` tokens, and the one after them. */
  private readonly codes: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Where the layout stood before the token after each batch (layoutMemory.ts): what a kept layout is laid out again from. */
  private marks = new LayoutMarks();
  /** The lexer's state after the last token laid out (see codeLeavesOperand). */
  private operand = false;
  /** Where in the batch the token read ahead is (it starts the next batch); -1 before the first. */
  private ahead = -1;
  /**
   * The token before the current one on the line being written (T_NONE at the start of a
   * line), and the last two code tokens of the statement (a newline outside brackets resets
   * them to T_NONE): unary minus. Each as its code (T_*).
   */
  private prev = T_NONE;
  private codeLast = T_NONE;
  private codeBefore = T_NONE;
  /** Whether the last code token (not a comment) of the line being written opens a block. */
  private lineOpensBlock = false;
  private braces = 0;
  private brackets = 0;
  /** Whether a line was written (blank ones excluded): no blank line at the start of the file. */
  private wroteLine = false;
  /** Newlines seen since the last token written (2 or more: a blank line was there). */
  private pendingNewlines = 0;
  /** The line just written opened a block: no blank line may follow. */
  private afterOpenBrace = false;
  /** Where the last token laid out ended, whatever it was: a trailing comment keeps its gap. */
  private rawEnd = 0;

  constructor(
    private readonly text: string,
    private readonly batch: number,
  ) {
    const eol = (this.eol = lineEnding(text));
    this.eolA = eol.charCodeAt(0);
    this.eolB = eol.length > 1 ? eol.charCodeAt(1) : -1;
    this.budget = Math.max(MIN_BUDGET, text.length * MAX_GROWTH);
    this.lexer = new Lexer(text);
    this.codes = new Uint8Array(batch + 1);
    this.starts = new Int32Array(batch + 1);
    this.ends = new Int32Array(batch + 1);
  }

  *steps(memory?: FormatMemory): Steps<Layout | null> {
    const kept = memory?.kept(this.text);
    const ended = kept && kept.laidOut.eol === this.eol ? yield* this.relayout(kept.laidOut, kept.regions) : yield* this.layout();
    if (ended === AT_END && this.prev !== T_NONE) {
      if (this.length + 2 > this.buffer.length) this.grow(this.length, 2);
      this.buffer[this.length++] = this.eolA;
      if (this.eolB >= 0) this.buffer[this.length++] = this.eolB;
    }
    const fits = ended !== PAST_BUDGET && this.length <= this.budget;
    memory?.keep(this.text, fits ? this.laidOut() : undefined);
    return fits ? new Layout(this.text, this.buffer, this.length) : null;
  }

  /** The whole text laid out: AT_END, or PAST_BUDGET. */
  private *layout(): Steps<number> {
    const text = this.text;
    this.buffer = new Uint16Array(Math.min(this.budget, text.length + (text.length >> 3) + 64));
    this.mark(0, 0);
    for (;;) {
      const count = this.lexBatch();
      const going = this.some(0, count);
      if (going === null) return PAST_BUDGET;
      if (!going) return AT_END;
      this.mark(this.starts[count], this.ends[count]);
      yield;
    }
  }

  /**
   * The layout of this text from `old`, the kept layout of a text that became this one by the
   * changes `regions`: the old layout up to its last mark whose standing no change touched, then
   * this text laid out from there until it stands at one of the old marks after a change as the
   * old layout stood there (the same state before the same token, with the same text from the
   * last token's last character on), then the old layout from that mark up to the next change,
   * and so on; the old layout's end once no change is left. The same code units as a whole
   * layout (test/unit/format-memory.test.ts compares them over random chains of edits).
   *
   * Which standings a change touches: a layout's state at a mark follows from the text up to a
   * few characters (LOOKAHEAD) past the end of the token after the mark; what is laid out from a
   * mark on follows from that state and the text from the last character of the token before
   * the mark. So a mark stands unchanged between two changes when the one before it ends at or
   * before that character and the one after it starts LOOKAHEAD past that token's end.
   */
  private *relayout(old: LaidOut, regions: EditRegions): Steps<number> {
    const marks = old.marks;
    const n = marks.count;
    const r = regions.count;
    // Per mark, how many changes lie wholly before its standing, or -1 when a change touches it.
    const before = new Int32Array(n);
    for (let c = 1, j = 0; c < n; c++) {
      while (j < r && regions.end(j) <= marks.get(c, M_RAW_END) - 1) j++;
      before[c] = j === r || marks.get(c, M_AHEAD_END) + LOOKAHEAD <= regions.start(j) ? j : -1;
    }
    /** The last mark from `c` on that stands between the same changes as `c`. */
    const lastBetween = (c: number) => {
      while (c + 1 < n && before[c + 1] === before[c]) c++;
      return c;
    };
    this.buffer = new Uint16Array(Math.min(this.budget + BATCH_ROOM, Math.max(0, old.length + 2 * (this.text.length - old.textLength)) + (this.text.length >> 6) + BATCH_ROOM));
    // Mark 0 (the text's start) stands before every change.
    let c = lastBetween(0);
    this.copy(old, 0, marks.get(c, M_OUT));
    this.marks.addMoved(marks, 0, c, 0, 0);
    this.restore(marks, c, 0);
    // The next old mark where this layout may stand as the old one did.
    let target = c + 1;
    for (;;) {
      const { starts } = this;
      const count = this.lexBatch();
      let from = 0;
      let resumed = false;
      while (target < n) {
        if (before[target] < 0) {
          target++;
          continue;
        }
        const shift = regions.shiftAfter(before[target] - 1);
        const at = marks.get(target, M_SRC) + shift;
        if (at > starts[count]) break;
        if (at < starts[from]) {
          target++;
          continue;
        }
        const m = firstAtOrAfter(starts, from, count, at);
        if (starts[m] !== at) {
          target++;
          continue;
        }
        if (m > from && this.some(from, m) === null) return PAST_BUDGET;
        from = m;
        if (!this.standsAt(marks, target, shift)) {
          target++;
          continue;
        }
        // In step again: the old layout from here to the next change is this one's.
        const last = lastBetween(target);
        const outShift = this.length - marks.get(target, M_OUT);
        if (before[target] === r) {
          if (this.length + old.length - marks.get(target, M_OUT) > this.budget) return PAST_BUDGET;
          this.copy(old, marks.get(target, M_OUT), old.length);
          this.marks.addMoved(marks, target, n - 1, shift, outShift);
          return COPIED_END;
        }
        this.copy(old, marks.get(target, M_OUT), marks.get(last, M_OUT));
        this.marks.addMoved(marks, target, last, shift, outShift);
        this.restore(marks, last, shift);
        if (this.length > this.budget) return PAST_BUDGET;
        target = last + 1;
        resumed = true;
        break;
      }
      if (resumed) continue;
      const going = this.some(from, count);
      if (going === null) return PAST_BUDGET;
      if (!going) return AT_END;
      this.mark(starts[count], this.ends[count]);
      yield;
    }
  }

  /** Appends old[start, end) to the layout. */
  private copy(old: LaidOut, start: number, end: number): void {
    const count = end - start;
    if (this.length + count > this.buffer.length) this.grow(this.length, count);
    this.buffer.set(old.buffer.subarray(start, end), this.length);
    this.length += count;
  }

  /** Marks where the layout stands now: before the token at `src` (ending at `aheadEnd`). */
  private mark(src: number, aheadEnd: number): void {
    this.marks.add(src, aheadEnd, this.length, this.rawEnd, this.prev, this.codeLast, this.codeBefore, this.flags(), this.braces, this.brackets, this.pendingNewlines);
  }

  /** Whether the layout stands now as it stood at mark `c` (moved by `shift` in the text). */
  private standsAt(marks: LayoutMarks, c: number, shift: number): boolean {
    return (
      marks.get(c, M_RAW_END) + shift === this.rawEnd &&
      marks.get(c, M_FLAGS) === this.flags() &&
      marks.get(c, M_PREV) === this.prev &&
      marks.get(c, M_CODE_LAST) === this.codeLast &&
      marks.get(c, M_CODE_BEFORE) === this.codeBefore &&
      marks.get(c, M_BRACES) === this.braces &&
      marks.get(c, M_BRACKETS) === this.brackets &&
      marks.get(c, M_PENDING) === this.pendingNewlines
    );
  }

  /** The formatter's booleans as a mark keeps them (FLAG_* bits; restore reads them back). */
  private flags(): number {
    return (this.lineOpensBlock ? FLAG_LINE_OPENS_BLOCK : 0) | (this.wroteLine ? FLAG_WROTE_LINE : 0) | (this.afterOpenBrace ? FLAG_AFTER_OPEN_BRACE : 0) | (this.operand ? FLAG_OPERAND : 0);
  }

  /** Stands the layout where it stood at mark `c` (moved by `shift` in the text): the lexer starts again at its token. */
  private restore(marks: LayoutMarks, c: number, shift: number): void {
    const flags = marks.get(c, M_FLAGS);
    this.rawEnd = marks.get(c, M_RAW_END) + shift;
    this.prev = marks.get(c, M_PREV);
    this.codeLast = marks.get(c, M_CODE_LAST);
    this.codeBefore = marks.get(c, M_CODE_BEFORE);
    this.lineOpensBlock = (flags & FLAG_LINE_OPENS_BLOCK) !== 0;
    this.wroteLine = (flags & FLAG_WROTE_LINE) !== 0;
    this.afterOpenBrace = (flags & FLAG_AFTER_OPEN_BRACE) !== 0;
    this.operand = (flags & FLAG_OPERAND) !== 0;
    this.braces = marks.get(c, M_BRACES);
    this.brackets = marks.get(c, M_BRACKETS);
    this.pendingNewlines = marks.get(c, M_PENDING);
    this.lexer.resumeAt(marks.get(c, M_SRC) + shift, this.operand);
    this.ahead = -1;
  }

  /** The layout as kept for the next formatting (a buffer of twice its length or more is cut to size first). */
  private laidOut(): LaidOut {
    const buffer = this.buffer.length > 2 * this.length + 1024 ? this.buffer.slice(0, this.length) : this.buffer;
    return { buffer, length: this.length, eol: this.eol, textLength: this.text.length, marks: this.marks };
  }

  /**
   * Reads up to TOKENS_PER_STEP tokens into the batch, and the token after them, which the
   * layout looks at but leaves for the next batch (it becomes that batch's first); returns how
   * many there are to lay out.
   *
   * The first batch is short (FIRST_BATCH): V8 compiles a hot loop while it runs (on-stack
   * replacement), and the code after the loop (where batch() and some() write their state back)
   * has then never run when the whole function is compiled; that compiled code was dropped at
   * the end of many later batches (the lexer's batch(): over 200 times in a megabyte of `}`). A
   * first batch that ends before its loop gets hot runs all of it once.
   */
  private lexBatch(): number {
    const { codes, starts, ends } = this;
    const ahead = this.ahead;
    if (ahead < 0) return (this.ahead = this.lexer.batch(codes, starts, ends, 0, Math.min(FIRST_BATCH, this.batch) + 1) - 1);
    codes[0] = codes[ahead];
    starts[0] = starts[ahead];
    ends[0] = ends[ahead];
    return (this.ahead = this.lexer.batch(codes, starts, ends, 1, this.batch + 1) - 1);
  }

  /**
   * Lays out the batch's tokens `from` to `count` (exclusive): true while tokens remain, false
   * at the end, null past the budget. Where the layout ends a line (after a block's `{`, around
   * a `}`) it does what a newline token does: writes the line break and starts the next line as
   * a new statement.
   */
  private some(from: number, count: number): boolean | null {
    const { text, budget, eolA, eolB, codes, starts, ends } = this;
    let length = this.length;
    let rawEnd = this.rawEnd;
    // Room for all the batch may write but indentation, reserved once: each token writes at
    // most its gap and itself, a space or a comment's two, and two line breaks (a blank line
    // kept before it, a break after it), so 8 units a token more than the text it spans.
    const reserve = ends[count] - rawEnd + 8 * (count - from);
    let buffer = length + reserve > this.buffer.length ? this.grow(length, reserve) : this.buffer;
    let prev = this.prev;
    let codeLast = this.codeLast;
    let codeBefore = this.codeBefore;
    let lineOpensBlock = this.lineOpensBlock;
    let braces = this.braces;
    let brackets = this.brackets;
    let wroteLine = this.wroteLine;
    let pendingNewlines = this.pendingNewlines;
    let afterOpenBrace = this.afterOpenBrace;
    for (let t = from; t < count; t++) {
      const tok = codes[t];
      const start = starts[t];
      const end = ends[t];
      const gapStart = rawEnd;
      rawEnd = end;

      if (tok === T_NEWLINE) {
        if (brackets === 0) codeLast = codeBefore = T_NONE;
        if (prev !== T_NONE) {
          buffer[length++] = eolA;
          if (eolB >= 0) buffer[length++] = eolB;
          wroteLine = true;
          afterOpenBrace = lineOpensBlock && brackets === 0;
          prev = T_NONE;
          lineOpensBlock = false;
        }
        pendingNewlines++;
        continue;
      }

      // A `}` of a block: the line before it has ended (see below), it stands alone on its line.
      const closesBlock = tok === CLOSE_BRACE && brackets === 0;
      if (prev === T_NONE) {
        // First token of a line: blank line handling, then indentation.
        if (pendingNewlines >= 2 && wroteLine && !afterOpenBrace && !closesBlock && brackets === 0) {
          buffer[length++] = eolA;
          if (eolB >= 0) buffer[length++] = eolB;
        }
        pendingNewlines = 0;
        afterOpenBrace = false;
        if (closesBlock && braces > 0) braces--;
        const closes = tok === CLOSE_PAREN || tok === CLOSE_BRACKET;
        const indent = 2 * (braces + (closes && brackets > 0 ? brackets - 1 : brackets));
        if (indent > 0) {
          // Checked before the indentation is written: 20,000 open brackets would make it quadratic.
          if (length + indent > budget) return null;
          const rest = ends[count] - gapStart + 8 * (count - t);
          if (length + indent + rest > buffer.length) buffer = this.grow(length, indent + rest);
          // A loop for the usual few spaces: a native fill costs more than it saves there.
          if (indent > 64) buffer.fill(SPACE, length, length + indent);
          else for (let i = 0; i < indent; i++) buffer[length + i] = SPACE;
          length += indent;
        }
      } else if (tok === T_COMMENT) {
        // A trailing comment keeps its gap when it is two or more spaces (aligned comments stay aligned).
        const gap = Math.max(2, start - gapStart);
        buffer.fill(SPACE, length, length + gap);
        length += gap;
      } else if (spaced(tok, prev, brackets, codeBefore)) {
        buffer[length++] = SPACE;
      } else if (isPunctuation(prev) && isPunctuation(tok) && punctuationFuses(prev < 128 ? prev : text.charCodeAt(gapStart - 1), tok < 128 ? tok : text.charCodeAt(start))) {
        // Never glue two tokens into one (`=` `=` into `==`, `*` `*` into `**`). Only two
        // punctuation tokens can fuse: every other pair written without a space stays two
        // tokens. (The previous token on the line is the last one laid out: it ends at gapStart.)
        buffer[length++] = SPACE;
      }

      if (tok < 128) {
        buffer[length++] = tok;
        if (tok === OPEN_PAREN || tok === OPEN_BRACKET) brackets++;
        else if ((tok === CLOSE_PAREN || tok === CLOSE_BRACKET) && brackets > 0) brackets--;
      } else {
        const stop = tok === T_COMMENT ? trimEnd(text, start, end) : end;
        if (stop - start <= LONG_TOKEN) for (let i = start; i < stop; i++) buffer[length++] = text.charCodeAt(i);
        else length = copy(buffer, length, text, start, stop);
      }
      prev = tok;
      if (tok !== T_COMMENT) {
        codeBefore = codeLast;
        codeLast = tok;
        lineOpensBlock = tok === OPEN_BRACE;
      }
      const opensBlock = tok === OPEN_BRACE && brackets === 0;
      if (opensBlock) braces++;

      // The line ends here when a block's body starts on the next line, when this `}` stands
      // alone, or when a `}` follows: anything but a comment or the line's end after `{` or `}`.
      const next = codes[t + 1];
      const nextOnLine = next !== T_NEWLINE && next !== T_COMMENT && next !== T_EOF;
      if (((opensBlock || closesBlock) && nextOnLine) || (next === CLOSE_BRACE && brackets === 0)) {
        buffer[length++] = eolA;
        if (eolB >= 0) buffer[length++] = eolB;
        wroteLine = true;
        prev = codeLast = codeBefore = T_NONE;
        lineOpensBlock = false;
        pendingNewlines = 1;
        afterOpenBrace = opensBlock;
      }
    }
    this.buffer = buffer;
    this.length = length;
    this.rawEnd = rawEnd;
    this.prev = prev;
    this.codeLast = codeLast;
    this.codeBefore = codeBefore;
    this.lineOpensBlock = lineOpensBlock;
    this.braces = braces;
    this.brackets = brackets;
    this.wroteLine = wroteLine;
    this.pendingNewlines = pendingNewlines;
    this.afterOpenBrace = afterOpenBrace;
    if (count > from) this.operand = codeLeavesOperand(codes[count - 1]);
    if (length > budget) return null;
    return codes[count] !== T_EOF;
  }

  /**
   * Room for `count` more code units after `length`: the buffer doubles, up to the budget and
   * the room one batch reserves past it (BATCH_ROOM), or to what is asked when that is more.
   * Capped at the budget alone, a layout indented close to it (20,000 `{`, each a level deeper)
   * asked for the batch's room again at each line and was copied whole each time.
   */
  private grow(length: number, count: number): Uint16Array {
    const need = length + count;
    return (this.buffer = grown(this.buffer, Math.max(need, Math.min(this.budget + BATCH_ROOM, this.buffer.length * 2)), length));
  }
}

/** The buffer of a formatter that has not started. */
const EMPTY = new Uint16Array(0);

/** The first index from `from` to `to` whose start is at `at` or after (`to` when none before it is): starts are in order. */
function firstAtOrAfter(starts: Int32Array, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Tokens longer than this are copied by copy(), not in the layout loop: a token of a megabyte
 * (a string of spaces, a run of junk) is one iteration of the big loop, and until V8 has
 * optimized that loop (milliseconds, it is large) its inner copy would run in the interpreter;
 * a small function is optimized almost at once. The usual short token stays in the loop.
 */
const LONG_TOKEN = 64;

/** Copies text[start, stop) into buffer at `length`; returns the new length. */
function copy(buffer: Uint16Array, length: number, text: string, start: number, stop: number): number {
  for (let i = start; i < stop; i++) buffer[length++] = text.charCodeAt(i);
  return length;
}

/**
 * A token as the layout compares it: its code from the lexer (Lexer.batch), a one-character
 * punctuation's character (below 128) or 128 + its kind; T_NONE for no token.
 */
const T_NONE = 0;
const T_EOF = CODE_EOF;
const T_PUNCT = CODE_PUNCT;
const T_NEWLINE = CODE_NEWLINE;
const T_IDENT = CODE_IDENT;
const T_KEYWORD = CODE_KEYWORD;
const T_COMMENT = CODE_COMMENT;

/** Whether a token code is punctuation (one character or two: `**`, `==`, ...). */
function isPunctuation(tok: number): boolean {
  return (tok !== T_NONE && tok < 128) || tok === T_PUNCT;
}

/**
 * Whether one space goes between the previous token and this code token (not a comment) on a
 * line, by their token codes: none before `,` `;` `)` `]` or after `(` `[`, one after `,` `;`;
 * `=` spaced outside brackets only; `f(` tight after a name; a sign (`-x`, `+1`) tight to what
 * it signs (`before`: the code token before the sign).
 */
function spaced(tok: number, prev: number, brackets: number, before: number): boolean {
  if (tok === COMMA || tok === SEMICOLON || tok === CLOSE_PAREN || tok === CLOSE_BRACKET) return false;
  if (prev === OPEN_PAREN || prev === OPEN_BRACKET) return false;
  if (prev === COMMA || prev === SEMICOLON) return true;
  if (tok === EQUALS || prev === EQUALS) return brackets === 0;
  if (tok === OPEN_PAREN) return prev !== T_IDENT;
  // The previous token is a sign after an operator, a keyword or at the start of a statement.
  if (prev === MINUS || prev === PLUS) return !(before === T_NONE || before === T_KEYWORD || (isPunctuation(before) && before !== CLOSE_PAREN && before !== CLOSE_BRACKET && before !== CLOSE_BRACE));
  return true;
}

/**
 * A finished layout: UTF-16 code units in a buffer (written by Formatter, which grows it by
 * doubling, so a megabyte of output is a few copies, not a million string pieces).
 */
export class Layout {
  /** Whether the text is all ASCII: then so is the layout, which only adds spaces and line breaks (checked once, when a slice is first made). */
  private ascii?: boolean;
  /** Whether the text has a surrogate (without one in the text there is none in the layout). */
  private surrogates?: boolean;

  constructor(
    private readonly text: string,
    private readonly buffer: Uint16Array,
    readonly length: number,
  ) {}

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

  /** The layout's code units from `start` to `end` as a string. */
  slice(start = 0, end = this.length): string {
    const units = this.buffer.subarray(start, end);
    this.ascii ??= !/[^\x00-\x7f]/.test(this.text);
    if (this.ascii) {
      // As bytes through the UTF-8 decoder: twice as fast as the UTF-16 one, and the string
      // comes out one byte a character, which the server's JSON.stringify and UTF-8 encoding
      // of the answer then go through several times faster (2 MB of `}` lines: ~13 ms less).
      const bytes = new Uint8Array(units.length);
      bytes.set(units);
      return UTF8.decode(bytes);
    }
    this.surrogates ??= /[\ud800-\udfff]/.test(this.text);
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
    if (4 * this.count === l.length) this.list = grown(l, 2 * l.length, l.length);
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
// ignoreBOM: a slice that starts with U+FEFF keeps it (by default a decoder drops it).
declare const TextDecoder: new (encoding: string, options: { ignoreBOM: boolean }) => { decode(units: Uint16Array | Uint8Array): string };
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The second half of a pair that must not be cut: `\n` after `\r`, or a low surrogate. */
function isTrail(c: number): boolean {
  return c === 10 || (c >= 0xdc00 && c <= 0xdfff);
}

/**
 * The file's own line break, as its first line ends (CRLF, CR or LF); LF for a file of one line.
 * By indexOf, a native scan: a regular expression over a megabyte without a line break took
 * 0.7 ms, and 5 ms the first time in a fresh server (not yet compiled), on every formatting.
 */
function lineEnding(text: string): string {
  const lf = text.indexOf('\n');
  const cr = (lf < 0 ? text : text.slice(0, lf)).indexOf('\r');
  if (cr < 0) return '\n';
  return text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
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
