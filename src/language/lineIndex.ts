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
  /** Where each line starts, ascending; exactly lineCount long (a view of a possibly longer buffer). */
  private readonly starts: Int32Array;

  constructor(
    private readonly text: string,
    starts?: Int32Array,
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
   */
  static edited(previous: LineIndex, text: string, from: number, oldTo: number, newTo: number): LineIndex {
    const old = previous.starts;
    // A start at or before `lo` comes from a line break wholly before the edit; from `lo` on, the
    // text is scanned again until past the edit, and the old starts after that are moved.
    const lo = Math.max(0, from - 1);
    const kept = firstAfter(old, lo);
    const out = new Starts(old.length + 16);
    out.append(old.subarray(0, kept), 0);
    const end = scanLines(text, lo, newTo + 1, out);
    const delta = newTo - oldTo;
    out.append(old.subarray(firstAfter(old, end - delta)), delta);
    return new LineIndex(text, out.view());
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  /** An offset for a position; a character past the line's end means its end (before the line break), as the LSP specification says. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    return Math.max(start, Math.min(start + position.character, this.lineEnd(position.line)));
  }

  /** The offset of the line break that ends a line (the text's end for the last line). */
  lineEnd(line: number): number {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    if (l + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[l + 1];
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
}

/** The index of the first start after `offset` (starts are ascending). */
function firstAfter(starts: Int32Array, offset: number): number {
  return prefixLength(starts.length, (i) => starts[i] <= offset);
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
