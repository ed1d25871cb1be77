import { grown } from './grow';
import { prefixLength } from './search';

// Where the parse of a text stood between statements, kept so that the analysis after an edit
// outside any model's braces (incremental.ts) parses again only around the edit. Between two
// statements the parse carries no state: it is at its loop over statements, skipping line
// breaks and `;`, until the next statement's first token. So wherever the new parse stands
// between statements at a place where the old one stood between statements too, with the same
// text after it, the rest of the old parse holds, moved. Statements alone did not say enough: a
// megabyte of `}` is a million junk lines and no statement, and a megabyte of line breaks no
// line at all; here each turn of the loop is one entry (8 bytes and a flag).
//
// Entry i: the turn's separators run from `runStart` to `loopStart`, where its first token
// (or the end of the text) is. `clean`: the turn before looked at no token past the run's first
// separator (a bracket left open makes a line look across line breaks), so the parse may also
// start again at any separator of the run; in a turn without separators, at none of its tokens
// (`let x =} 6`: the `let` looked at the `}` for a value and reported one expected there, the
// junk turn the `}` begins is not clean).

export class TopLevelMap {
  constructor(
    readonly runStarts: Int32Array,
    readonly loopStarts: Int32Array,
    readonly clean: Uint8Array,
    readonly length: number,
  ) {}

  /** The index of the last entry whose run starts at or before `at`, or -1. */
  entryAt(at: number): number {
    return prefixLength(this.length, (i) => this.runStarts[i] <= at) - 1;
  }

  /** Whether the parse stood between statements at `at` (a token's start: the caller checks it is not inside a comment). */
  between(at: number): boolean {
    const i = this.entryAt(at);
    return i >= 0 && at <= this.loopStarts[i];
  }

  /** The first place at or after `at` where the parse stood between statements, or `end` (the text's length) when there is none. */
  nextBetween(at: number, end: number): number {
    const i = this.entryAt(at);
    if (i >= 0 && at <= this.loopStarts[i]) return at;
    return i + 1 < this.length ? this.runStarts[i + 1] : end;
  }

  /** The map of the text after an edit inside a statement that ends before `from`: the entries from there on moved by `delta`. */
  movedFrom(from: number, delta: number): TopLevelMap {
    const out = new TopLevelRecorder();
    const k = this.entryAt(from - 1) + 1;
    out.append(this, 0, k, 0);
    out.append(this, k, this.length, delta);
    return out.finish();
  }

  /**
   * The map of the text after an edit: the old entries before `start`, those of the part parsed
   * again (`parsed`, its first entry beginning at `start`), then, when that parse stopped at
   * `boundary` of the old text (null: it reached the end), the old entries from there on moved
   * by `delta`. The entries on either side that `start` and `boundary` cut are joined.
   */
  merged(start: number, parsed: TopLevelMap, boundary: number | null, delta: number): TopLevelMap {
    const out = new TopLevelRecorder();
    const j = this.entryAt(start);
    // `start` in an old entry's run (or at its loop start): that run goes on in the first entry parsed.
    const joins = j >= 0 && start <= this.loopStarts[j];
    out.append(this, 0, joins ? j : j + 1, 0);
    const first = out.length;
    out.append(parsed, 0, parsed.length, 0);
    if (joins && parsed.length > 0) out.setRun(first, this.runStarts[j], this.clean[j] === 1);
    if (boundary !== null) {
      // The last entry parsed ends where the parse stopped, inside the old entry holding the boundary.
      const m = this.entryAt(boundary);
      if (parsed.length > 0) out.setLastLoopStart(this.loopStarts[m] + delta);
      out.append(this, m + 1, this.length, delta);
    }
    return out.finish();
  }
}

/** Collects the entries of a parse as it goes (see TopLevelMap). */
export class TopLevelRecorder {
  private runStarts = new Int32Array(64);
  private loopStarts = new Int32Array(64);
  private clean = new Uint8Array(64);
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(runStart: number, loopStart: number, clean: boolean): void {
    if (this.size === this.runStarts.length) this.grow(this.size + 1);
    this.runStarts[this.size] = runStart;
    this.loopStarts[this.size] = loopStart;
    this.clean[this.size] = clean ? 1 : 0;
    this.size++;
  }

  /** Appends entries [from, to) of `map`, moved by `delta`. */
  append(map: TopLevelMap, from: number, to: number, delta: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.size + n > this.runStarts.length) this.grow(this.size + n);
    this.runStarts.set(map.runStarts.subarray(from, to), this.size);
    this.loopStarts.set(map.loopStarts.subarray(from, to), this.size);
    this.clean.set(map.clean.subarray(from, to), this.size);
    if (delta !== 0) {
      for (let k = this.size; k < this.size + n; k++) {
        this.runStarts[k] += delta;
        this.loopStarts[k] += delta;
      }
    }
    this.size += n;
  }

  /** Entry `i` begins its run at `runStart` instead (see TopLevelMap.merged). */
  setRun(i: number, runStart: number, clean: boolean): void {
    this.runStarts[i] = runStart;
    this.clean[i] = clean ? 1 : 0;
  }

  setLastLoopStart(loopStart: number): void {
    this.loopStarts[this.size - 1] = loopStart;
  }

  finish(): TopLevelMap {
    const n = this.size;
    return new TopLevelMap(this.runStarts.slice(0, n), this.loopStarts.slice(0, n), this.clean.slice(0, n), n);
  }

  private grow(least: number): void {
    const n = Math.max(least, this.runStarts.length * 2);
    this.runStarts = grown(this.runStarts, n, this.size);
    this.loopStarts = grown(this.loopStarts, n, this.size);
    this.clean = grown(this.clean, n, this.size);
  }

}
