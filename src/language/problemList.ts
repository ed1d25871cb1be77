import type { Diagnostic, Severity } from './diagnostics';
import type { Span } from './model';
import { grown } from './grow';
import { arrayFor, giveBack } from './spareArrays';
import { shiftedDiagnostic } from './shift';
import { prefixLength } from './search';

// Every parse problem of a text, kept so that the analysis after an edit (incremental.ts) can
// build the new list from the old one even when the text has far more problems than are listed
// (a megabyte of `}` is a million): the position and severity of each in typed arrays (9 bytes
// a problem), and as diagnostics only the first few hundred, the ones a listing can show. An
// edit that removes problems brings later ones into the listing; while enough were built, the
// list still answers, else the next analysis is a fresh one (which builds them again).

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const EMPTY_POSITIONS = new Int32Array(0);
const EMPTY_SEVERITIES = new Uint8Array(0);
const SEVERITY_CODE: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Problems in position order (start, then end; equal spans in the order reported), the first `built.length` of them as diagnostics. */
export class ProblemList {
  /** Made by ProblemRecorder.finish, ProblemList.of and merged. */
  constructor(
    /** The first problems as diagnostics (a prefix of the list). */
    readonly built: Diagnostic[],
    private starts: Int32Array,
    private ends: Int32Array,
    private severities: Uint8Array,
    /** How many problems (its arrays may be longer: spareArrays.ts). */
    readonly length: number,
    /** How many of each severity (SEVERITIES order): reportTo counts the unlisted without a loop over a million. */
    private readonly counts = countSeverities(severities, 0, length),
  ) {}

  /** A list of diagnostics in position order, every one built. */
  static of(list: Diagnostic[]): ProblemList {
    const r = new ProblemRecorder();
    for (const d of list) r.add(d.severity, d.span);
    return r.finish(list);
  }

  /** The problems from index `from` to `to`: their diagnostics as far as they are built. */
  private part(from: number, to: number): Part {
    return { list: this, from, to, built: Math.max(from, Math.min(to, this.built.length)) };
  }

  /** The index of the first problem for which `before` does not hold (it holds for a prefix). */
  private firstNot(before: (start: number, end: number) => boolean): number {
    return prefixLength(this.length, (i) => before(this.starts[i], this.ends[i]));
  }

  /**
   * How many problems start before `at` or are empty at it: those of the text before `at` (an
   * empty one there, a `)` missing right before the token at `at`, is the text before's).
   */
  private countBefore(at: number): number {
    return this.firstNot((s, e) => s < at || (s === at && e === at));
  }

  /**
   * The problems of the text after an edit: those before `start`, then `parsed` (found again
   * from `start` up to the boundary), then the old ones from `boundary` on moved by `delta`.
   * Null when fewer than `needed` of the new list's first problems are built: the listing would
   * show one never built. `stale`: how many of the old problems on the token at the boundary the
   * old parse of the part parsed again reported (see reparseLayers): the first there, dropped.
   */
  merged(start: number, boundary: number, delta: number, parsed: ProblemList, needed: number, stale = 0): ProblemList | null {
    // An empty problem at `start` (a `=` missing at the end of the line before) is the old parse's, before it.
    const before = this.countBefore(start);
    // The old problems of the part parsed again end before the boundary, or are empty at it
    // (where the old parse found a `)` missing right before what it stopped at): found again.
    const after = this.countBefore(boundary) + stale;
    return this.joined([this.part(0, before), parsed.part(0, parsed.length), this.part(after, this.length)], boundary, delta, needed);
  }

  /**
   * The problems with those in each of `ranges` (in position order, apart) replaced by those of
   * `found` that lie in it; null when one of `found` lies in none of them, or when fewer than
   * `needed` of the new list's first problems are built. Where `merged` says which problems a
   * range holds: those that start in it, but for one empty at its start.
   */
  replaced(ranges: readonly { start: number; end: number }[], found: ProblemList, needed: number): ProblemList | null {
    const parts: Part[] = [];
    let kept = 0;
    let taken = 0;
    for (const { start, end } of ranges) {
      const before = this.countBefore(start);
      const after = this.countBefore(end);
      const first = found.firstNot((s) => s < start);
      const last = found.countBefore(end);
      if (first !== taken || found.ends.subarray(first, last).some((e) => e > end)) return null;
      parts.push(this.part(kept, before), found.part(first, last));
      kept = after;
      taken = last;
    }
    if (taken !== found.length) return null;
    parts.push(this.part(kept, this.length));
    return this.joined(parts, Infinity, 0, needed);
  }

  /** The list of `parts` in order, each of this list's from `boundary` on moved by `delta`. */
  private joined(parts: Part[], boundary: number, delta: number, needed: number): ProblemList | null {
    const moved = (p: Part) => p.list === this && delta !== 0 && p.from < p.to && this.starts[p.from] >= boundary;
    let length = 0;
    for (const p of parts) length += p.to - p.from;
    const built: Diagnostic[] = [];
    for (const p of parts) {
      const shift = moved(p);
      for (let k = p.from; k < p.built; k++) built.push(shift ? shiftedDiagnostic(p.list.built[k], boundary, delta) : p.list.built[k]);
      if (p.built < p.to) break;
    }
    if (built.length < Math.min(needed, length)) return null;
    const starts = arrayFor(Int32Array, length);
    const ends = arrayFor(Int32Array, length);
    const severities = arrayFor(Uint8Array, length);
    // The counts from this list's, without a loop over the problems kept (a megabyte of `}` is a million).
    const counts = this.counts.slice();
    let n = 0;
    let covered = 0;
    for (const p of parts) {
      const shift = moved(p) ? delta : 0;
      starts.set(p.list.starts.subarray(p.from, p.to), n);
      ends.set(p.list.ends.subarray(p.from, p.to), n);
      severities.set(p.list.severities.subarray(p.from, p.to), n);
      if (shift !== 0) {
        for (let k = n; k < n + p.to - p.from; k++) {
          starts[k] += shift;
          ends[k] += shift;
        }
      }
      if (p.list === this) {
        subtract(counts, countSeverities(this.severities, covered, p.from));
        covered = p.to;
      } else {
        const c = p.from === 0 && p.to === p.list.length ? p.list.counts : countSeverities(p.list.severities, p.from, p.to);
        for (let k = 0; k < counts.length; k++) counts[k] += c[k];
      }
      n += p.to - p.from;
    }
    subtract(counts, countSeverities(this.severities, covered, this.length));
    return new ProblemList(built, starts, ends, severities, length, counts);
  }

  /**
   * Gives this list's arrays to the next list made (spareArrays.ts): called once nothing reads
   * the list again (the analysis that kept it is spent, or it was a step to another list). It
   * then answers as a list of no problems; the unit suite compares every analysis after an edit
   * with a fresh one, and would see a list read after this.
   */
  release(): void {
    giveBack(this.starts);
    giveBack(this.ends);
    giveBack(this.severities);
    this.starts = this.ends = EMPTY_POSITIONS;
    this.severities = EMPTY_SEVERITIES;
    (this as { length: number }).length = 0;
    (this as { built: Diagnostic[] }).built = [];
  }

  /** How many problems start at `at` and are not empty (on the token there). */
  countOn(at: number): number {
    return this.firstNot((s) => s <= at) - this.countBefore(at);
  }

  /** Whether every problem lies within [lo, hi]. */
  inside(lo: number, hi: number): boolean {
    for (let k = 0; k < this.length; k++) if (this.starts[k] < lo || this.ends[k] > hi) return false;
    return true;
  }

  /** The problems for which `kept` holds (a prefix). */
  upTo(kept: (start: number, end: number) => boolean): ProblemList {
    const n = this.firstNot(kept);
    return new ProblemList(this.built.slice(0, Math.min(n, this.built.length)), this.starts.slice(0, n), this.ends.slice(0, n), this.severities.slice(0, n), n);
  }

  /**
   * Reports every problem to `out`: the built ones as they are, and those past `listed` (which
   * `out` lists none of) only counted.
   */
  reportTo(out: { push(d: Diagnostic): void; countMore(severity: Severity, count: number, first: Span): void }, listed: number): void {
    const shown = Math.min(this.built.length, listed);
    for (let k = 0; k < shown; k++) out.push(this.built[k]);
    if (shown === this.length) return;
    const pushed = countSeverities(this.severities, 0, shown);
    const counts = this.counts.map((n, k) => n - pushed[k]);
    const first = { start: this.starts[shown], end: this.ends[shown] };
    for (let s = 0; s < SEVERITIES.length; s++) if (counts[s] > 0) out.countMore(SEVERITIES[s], counts[s], first);
  }
}

/** How many problems of each severity lie in [from, to). */
function countSeverities(severities: Uint8Array, from: number, to: number): number[] {
  const counts = [0, 0, 0, 0];
  for (let k = from; k < to; k++) counts[severities[k]]++;
  return counts;
}

function subtract(counts: number[], removed: number[]): void {
  for (let k = 0; k < counts.length; k++) counts[k] -= removed[k];
}

interface Part {
  list: ProblemList;
  from: number;
  to: number;
  /** Problems from `from` to here are built. */
  built: number;
}

/** Collects the positions of problems as they are reported (in any order); finish() puts them in position order. */
export class ProblemRecorder {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private severities = new Uint8Array(64);
  private size = 0;
  private sorted = true;

  add(severity: Severity, span: Span): void {
    const n = this.size;
    if (n === this.starts.length) this.grow();
    if (n > 0 && (span.start < this.starts[n - 1] || (span.start === this.starts[n - 1] && span.end < this.ends[n - 1]))) this.sorted = false;
    this.starts[n] = span.start;
    this.ends[n] = span.end;
    this.severities[n] = SEVERITY_CODE[severity];
    this.size++;
  }

  /** The list, with `built` (the first problems by position, as diagnostics) as its built prefix. */
  finish(built: Diagnostic[]): ProblemList {
    const n = this.size;
    let { starts, ends, severities } = this;
    if (!this.sorted) {
      // Reported out of order (a block's missing `}` is reported at its `{` after its lines):
      // a stable sort, as the collector orders them.
      const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => starts[a] - starts[b] || ends[a] - ends[b] || a - b);
      starts = Int32Array.from(order, (k) => this.starts[k]);
      ends = Int32Array.from(order, (k) => this.ends[k]);
      severities = Uint8Array.from(order, (k) => this.severities[k]);
    }
    return new ProblemList(built, starts.slice(0, n), ends.slice(0, n), severities.slice(0, n), n);
  }

  private grow(): void {
    const n = this.starts.length * 2;
    this.starts = grown(this.starts, n, this.size);
    this.ends = grown(this.ends, n, this.size);
    this.severities = grown(this.severities, n, this.size);
  }
}
