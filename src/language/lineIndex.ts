// Offsets are what the engine works in; editors and the CLI want lines and columns.
// A LineIndex converts between them in O(log lines) after one O(n) scan.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(
    private readonly text: string,
    starts?: number[],
  ) {
    this.starts = starts ?? [0];
    if (!starts) scanLines(text, 0, text.length, this.starts);
  }

  /**
   * The index of `text`, which is `previous`'s text with [from, oldTo) replaced by [from, newTo):
   * only the edited lines are scanned again, the line starts after them are moved (a megabyte
   * of 100,000 lines after every keystroke, in the incremental analysis).
   */
  static edited(previous: LineIndex, text: string, from: number, oldTo: number, newTo: number): LineIndex {
    const old = previous.starts;
    // A start at or before `lo` comes from a line break wholly before the edit; from `lo` on, the
    // text is scanned again until past the edit, and the old starts after that are moved.
    const lo = Math.max(0, from - 1);
    const kept = firstAfter(old, lo);
    const starts = old.slice(0, kept);
    const end = scanLines(text, lo, newTo + 1, starts);
    const delta = newTo - oldTo;
    for (let j = firstAfter(old, end - delta); j < old.length; j++) starts.push(old[j] + delta);
    return new LineIndex(text, starts);
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

/**
 * The positions of ascending offsets, in one pass over the text up to the last of them: what a
 * LineIndex gives, without indexing every line first. Formatting converts at most a few
 * thousand offsets, while indexing a megabyte of line breaks (a million lines) cost more than
 * the formatting (an editor's document indexes its lines on first use, ~40 ms for a million).
 */
export function positionsAt(text: string, offsets: readonly number[]): Position[] {
  const positions: Position[] = [];
  let line = 0;
  let lineStart = 0;
  let i = 0;
  for (const at of offsets) {
    const offset = Math.max(0, Math.min(at, text.length));
    while (i < offset) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        // An offset between the CR and the LF is still on the CR's line.
        if (i + 1 >= offset) break;
        i++;
      }
      if (c === 10 || c === 13) {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
    positions.push({ line, character: offset - lineStart });
  }
  return positions;
}

/** The index of the first start after `offset` (starts are ascending). */
function firstAfter(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds the starts of the lines that begin after line breaks starting in [from, to) (a CR LF
 * that starts before `to` is read whole) to `starts`; returns where the scan stopped.
 */
function scanLines(text: string, from: number, to: number, starts: number[]): number {
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
