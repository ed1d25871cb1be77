import { grown } from './grow';
import { prefixLength } from './search';

// Offsets are what the engine works in; editors and the CLI want lines and columns.
// A LineIndex converts between them in O(log lines) after one O(n) scan.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export class LineIndex {
  /**
   * Where each line starts, ascending, but for the lines from `shiftFrom` on, which start
   * `shift` later: exactly lineCount long (a view of a possibly longer buffer), and shared with
   * the versions before when an edit within one line only moved the lines after it (see edited).
   */
  private readonly starts: Int32Array;

  constructor(
    private readonly text: string,
    starts?: Int32Array,
    private readonly shiftFrom = 0,
    private readonly shift = 0,
  ) {
    if (starts) this.starts = starts;
    else {
      const out = new Starts(Math.max(16, text.length >> 5));
      out.push(0);
      scanLines(text, 0, text.length, out);
      this.starts = out.view();
    }
  }

  /**
   * The index of `text`, which is `previous`'s text with [from, oldTo) replaced by [from, newTo):
   * only the edited lines are scanned again, the line starts after them are copied and moved
   * (the server's documents after every keystroke, and the incremental analysis). The starts are
   * a typed array: copying and moving a million of them is a memory copy and one add each, 2-3
   * ms, where building an array of numbers by pushing took 20-100 ms.
   *
   * An edit within one line (no line break made or removed: most keystrokes) copies nothing: the
   * index shares the previous one's starts and notes that the lines after the edited one start
   * `newTo - oldTo` later, and the next keystroke on the same line adds to that. Each keystroke
   * on a megabyte of short lines copied 400-530 KB of starts, garbage outside V8's heap that
   * raised the server's peak memory by tens of megabytes while typing.
   */
  static edited(previous: LineIndex, text: string, from: number, oldTo: number, newTo: number): LineIndex {
    const line = withinLine(previous, text, from, oldTo, newTo);
    const delta = newTo - oldTo;
    if (line >= 0 && (delta === 0 || previous.shift === 0 || previous.shiftFrom === line + 1)) {
      return new LineIndex(text, previous.starts, delta === 0 ? previous.shiftFrom : line + 1, previous.shift + delta);
    }
    // A start at or before `lo` comes from a line break wholly before the edit; from `lo` on, the
    // text is scanned again until past the edit, and the old starts after that are moved.
    const lo = Math.max(0, from - 1);
    const kept = previous.firstAfter(lo);
    const out = new Starts(previous.lineCount + 16);
    previous.copyStarts(out, 0, kept, 0);
    const end = scanLines(text, lo, newTo + 1, out);
    previous.copyStarts(out, previous.firstAfter(end - delta), previous.lineCount, delta);
    return new LineIndex(text, out.view());
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    // The last line starting at or before the offset (a loop, not firstAfter's callback: hover and semantic tokens convert many).
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.startOf(mid) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.startOf(lo) };
  }

  /** An offset for a position; a character past the line's end means its end (before the line break), as the LSP specification says. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.startOf(position.line);
    return Math.max(start, Math.min(start + position.character, this.lineEnd(position.line)));
  }

  /** The offset of the line break that ends a line (the text's end for the last line). */
  lineEnd(line: number): number {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    if (l + 1 >= this.starts.length) return this.text.length;
    const next = this.startOf(l + 1);
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  lineStart(line: number): number {
    return this.startOf(Math.max(0, Math.min(line, this.starts.length - 1)));
  }

  /** Where line `i` (a line of the index) starts. */
  private startOf(i: number): number {
    return i >= this.shiftFrom ? this.starts[i] + this.shift : this.starts[i];
  }

  /** The index of the first line starting after `offset` (the first line starts at 0: at least 1). */
  private firstAfter(offset: number): number {
    return prefixLength(this.starts.length, (i) => this.startOf(i) <= offset);
  }

  /** Appends the starts of lines [from, to) to `out`, each moved by `delta`. */
  private copyStarts(out: Starts, from: number, to: number, delta: number): void {
    const cut = Math.max(from, Math.min(to, this.shiftFrom));
    out.append(this.starts.subarray(from, cut), delta);
    out.append(this.starts.subarray(cut, to), delta + this.shift);
  }
}

/**
 * The line `previous`'s text was edited on, when the edit (see LineIndex.edited) neither made
 * nor removed a line break: nothing replaced or inserted is a CR or LF, and the edit does not
 * follow a CR (which the text after it could join to a CR LF, or part from one). Else -1.
 */
function withinLine(previous: LineIndex, text: string, from: number, oldTo: number, newTo: number): number {
  if (from > 0 && text.charCodeAt(from - 1) === 13) return -1;
  if (hasLineBreak(text, from, newTo)) return -1;
  const line = previous.positionAt(from).line;
  // The replaced part lies in one line of the previous text when its end is on that line too.
  return oldTo === from || oldTo <= previous.lineEnd(line) ? line : -1;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/**
 * Adds the starts of the lines that begin after line breaks starting in [from, to) (a CR LF
 * that starts before `to` is read whole) to `starts`; returns where the scan stopped.
 */
function scanLines(text: string, from: number, to: number, starts: Starts): number {
  const end = Math.min(to, text.length);
  let i = from;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return i;
}

/** Line starts being gathered: a typed array grown by doubling. */
class Starts {
  private buffer: Int32Array;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = new Int32Array(capacity);
  }

  push(start: number): void {
    if (this.length === this.buffer.length) this.grow(this.length + 1);
    this.buffer[this.length++] = start;
  }

  /** Appends `starts`, each moved by `delta`. */
  append(starts: Int32Array, delta: number): void {
    const at = this.length;
    if (at + starts.length > this.buffer.length) this.grow(at + starts.length);
    const buffer = this.buffer;
    buffer.set(starts, at);
    this.length = at + starts.length;
    if (delta !== 0) for (let i = at; i < this.length; i++) buffer[i] += delta;
  }

  /** The starts gathered, without the buffer's spare room. */
  view(): Int32Array {
    return this.buffer.subarray(0, this.length);
  }

  private grow(needed: number): void {
    this.buffer = grown(this.buffer, Math.max(needed, 2 * this.buffer.length), this.length);
  }
}
