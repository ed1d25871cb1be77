import { changeOf, type TextChange } from './commonText';
import { grown } from './grow';

// What a formatting keeps of its layout for the next formatting of the same document, so that
// after a keystroke only the part around the edit is laid out again (format.ts, Formatter
// .relayout). A megabyte of `}` is a million tokens: laying all of them out again after a space
// typed at the top took 30-40 ms of the 50-70 ms a formatting cost the server, for the same
// two megabytes of output but one line.
//
// Kept per document (the language server's, dropped when it closes): the last layout's code
// units, its marks (every few thousand tokens, where the layout stood: the formatter's whole
// state, small), and the parts of the text changed since, as the document's versions came in.

/**
 * Where a layout stood before a token, every few thousand tokens: enough to start it again
 * there (the token's place and the formatter's state), to tell whether a layout of an edited
 * text stands the same there (then the rest of the old layout is the new one's), and to know
 * which edits the standing depends on (the text from the last token's last character up to
 * a few characters past this token's end).
 */
export class LayoutMarks {
  /** Each mark is STRIDE numbers: the fields named by the constants below. */
  data = new Int32Array(16 * MARK_STRIDE);
  count = 0;

  /** Appends a mark (its fields in the order of the constants below); one at the same token as the last replaces it. */
  add(src: number, aheadEnd: number, out: number, rawEnd: number, prev: number, codeLast: number, codeBefore: number, flags: number, braces: number, brackets: number, pending: number): void {
    if (this.count > 0 && this.data[(this.count - 1) * MARK_STRIDE + M_SRC] === src) this.count--;
    if ((this.count + 1) * MARK_STRIDE > this.data.length) this.data = grown(this.data, this.data.length * 2, this.count * MARK_STRIDE);
    const d = this.data;
    const at = this.count++ * MARK_STRIDE;
    d[at + M_SRC] = src;
    d[at + M_AHEAD_END] = aheadEnd;
    d[at + M_OUT] = out;
    d[at + M_RAW_END] = rawEnd;
    d[at + M_PREV] = prev;
    d[at + M_CODE_LAST] = codeLast;
    d[at + M_CODE_BEFORE] = codeBefore;
    d[at + M_FLAGS] = flags;
    d[at + M_BRACES] = braces;
    d[at + M_BRACKETS] = brackets;
    d[at + M_PENDING] = pending;
  }

  /** Appends marks [first, last] of `from`, moved by `shift` in the text and `outShift` in the layout. */
  addMoved(from: LayoutMarks, first: number, last: number, shift: number, outShift: number): void {
    const s = from.data;
    for (let i = first; i <= last; i++) {
      const at = i * MARK_STRIDE;
      this.add(s[at + M_SRC] + shift, s[at + M_AHEAD_END] + shift, s[at + M_OUT] + outShift, s[at + M_RAW_END] + shift, s[at + M_PREV], s[at + M_CODE_LAST], s[at + M_CODE_BEFORE], s[at + M_FLAGS], s[at + M_BRACES], s[at + M_BRACKETS], s[at + M_PENDING]);
    }
  }

  /** Field `field` (M_*) of mark `i`. */
  get(i: number, field: number): number {
    return this.data[i * MARK_STRIDE + field];
  }
}

/** A mark's fields. */
const MARK_STRIDE = 11;
/** Where the token after the mark starts (the lexer starts again there), and where it ends. */
export const M_SRC = 0;
export const M_AHEAD_END = 1;
/** The layout's length at the mark. */
export const M_OUT = 2;
/** Where the token before the mark ended (the gap before the next starts there). */
export const M_RAW_END = 3;
/** The formatter's state (see the fields of Formatter in format.ts), its booleans as FLAG_* bits. */
export const M_PREV = 4;
export const M_CODE_LAST = 5;
export const M_CODE_BEFORE = 6;
export const M_FLAGS = 7;
export const M_BRACES = 8;
export const M_BRACKETS = 9;
export const M_PENDING = 10;
export const FLAG_LINE_OPENS_BLOCK = 1;
export const FLAG_WROTE_LINE = 2;
export const FLAG_AFTER_OPEN_BRACE = 4;
/** The lexer's one state after the token before the mark (see leavesOperand in lexer.ts). */
export const FLAG_OPERAND = 8;

/** A finished layout as kept: its code units, the text's line break it used, the text's length, and its marks. */
export interface LaidOut {
  buffer: Uint16Array;
  length: number;
  eol: string;
  textLength: number;
  marks: LayoutMarks;
}

/**
 * The parts of a text changed since a kept layout was made of it, in order and apart: part i
 * was `start(i)` to `end(i)` in the layout's text and is `newStart(i)` to `newEnd(i)` in the
 * text now. Between them the two texts are the same, moved by the changes before.
 */
export class EditRegions {
  /** Quadruples: start, end, newStart, newEnd. */
  private list: number[] = [];

  get count(): number {
    return this.list.length >> 2;
  }
  start(i: number): number {
    return this.list[4 * i];
  }
  end(i: number): number {
    return this.list[4 * i + 1];
  }
  newStart(i: number): number {
    return this.list[4 * i + 2];
  }
  newEnd(i: number): number {
    return this.list[4 * i + 3];
  }
  /** How far the text after part i (and before the next) moved: 0 before the first. */
  shiftAfter(i: number): number {
    return i < 0 ? 0 : this.newEnd(i) - this.end(i);
  }

  /**
   * The text now had `newText[p, oldEnd)` replaced so that it ends at `newEnd`, in the
   * coordinates of the text now: merged with the parts it touches or overlaps, the parts after
   * it moved. Past MAX_REGIONS parts, all become one (from the first to the last).
   */
  edit(p: number, oldEnd: number, newEnd: number): void {
    const l = this.list;
    const n = this.count;
    // The parts wholly before the edit, and the first after it (those between touch it).
    let first = 0;
    while (first < n && l[4 * first + 3] < p) first++;
    let after = first;
    while (after < n && l[4 * after + 2] <= oldEnd) after++;
    const before = this.shiftAfter(first - 1);
    let start = p - before;
    let newStart = p;
    let end: number;
    if (after > first) {
      // Merged with parts first..after-1: from the earlier start to the later end.
      start = Math.min(start, l[4 * first]);
      newStart = Math.min(newStart, l[4 * first + 2]);
      const lastShift = this.shiftAfter(after - 1);
      end = Math.max(l[4 * (after - 1) + 1], oldEnd - lastShift);
    } else {
      end = oldEnd - before;
    }
    const grow = newEnd - oldEnd;
    const lastNewEnd = after > first ? Math.max(l[4 * (after - 1) + 3], oldEnd) : oldEnd;
    const merged = [start, end, newStart, lastNewEnd + grow];
    for (let i = after; i < n; i++) {
      l[4 * i + 2] += grow;
      l[4 * i + 3] += grow;
    }
    l.splice(4 * first, 4 * (after - first), ...merged);
    if (this.count > MAX_REGIONS) this.list = [l[0], l[l.length - 3], l[2], l[l.length - 1]];
  }
}

/** The most changed parts kept apart (see EditRegions.edit): typing at a few places between two formattings. */
const MAX_REGIONS = 64;

/**
 * One document's formatting memory: the last layout made (when it fit the budget) and the
 * parts of the text changed since. `update` is told each new version of the text (the server
 * calls it on every edit, so two edits far apart stay two small parts, not one from the first
 * to the last); the formatting of a text takes the kept layout (`kept`) and keeps its own
 * (`keep`). Either may be skipped: a version not told is found as one change at formatting.
 */
export class FormatMemory {
  private laidOut?: LaidOut;
  /** The text the regions lead to: the latest version seen. */
  private text = '';
  private regions = new EditRegions();

  /**
   * The document's text is now `text`: notes what changed since the version seen before. `edit`,
   * when the caller knows it (the server, from the edit's ranges), is the text it changed and
   * how; it is taken only when that text is the version seen, else the two are compared.
   */
  update(text: string, edit?: { before: string; change: TextChange }): void {
    if (text === this.text) return;
    if (this.laidOut) {
      const old = this.text;
      const { start, oldEnd, newEnd } = changeOf(old, text, edit?.before === old ? edit.change : undefined);
      this.regions.edit(start, oldEnd, newEnd);
    }
    this.text = text;
  }

  /** The layout kept and the parts changed since, for a formatting of `text`; undefined when none is kept. */
  kept(text: string): { laidOut: LaidOut; regions: EditRegions } | undefined {
    this.update(text);
    return this.laidOut && { laidOut: this.laidOut, regions: this.regions };
  }

  /** Keeps the layout of `text` just made (undefined: none fit the budget), unless a newer text was seen meanwhile. */
  keep(text: string, laidOut: LaidOut | undefined): void {
    if (text !== this.text && this.laidOut) return;
    this.text = text;
    this.laidOut = laidOut;
    this.regions = new EditRegions();
  }

  /** The bytes kept (the layout's code units and marks): a document's share of the server's memory. */
  get bytes(): number {
    const l = this.laidOut;
    return l ? l.buffer.byteLength + l.marks.data.byteLength : 0;
  }
}
