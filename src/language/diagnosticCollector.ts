import { diagnostic, type Diagnostic, type Severity } from './diagnostics';
import type { Span } from './model';
import { ProblemRecorder, type ProblemList } from './problemList';
import { prefixLength } from './search';

/** Problems listed per document: past this, one diagnostic counts the rest (a paste of junk must not make a 190 MB message). */
export const MAX_DIAGNOSTICS = 500;
/**
 * Parse problems built as diagnostics, of all those found: twice as many as are listed, so that
 * an edit which removes some still finds the next ones built (see problemList.ts).
 */
export const PROBLEMS_BUILT = 2 * MAX_DIAGNOSTICS;

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

/** Where the lexer, parser and analysis report problems (DiagnosticCollector, or a view of one). */
export interface DiagnosticSink {
  /** Reports a diagnostic already built (analysis paths, a few per statement). */
  push(d: Diagnostic): void;
  /**
   * Reports a diagnostic built only if it will be listed: a megabyte of `}` is a million
   * problems, and building each message and range before dropping it was most of the
   * memory such a document took.
   */
  report(severity: Severity, span: Span, build: () => Diagnostic): void;
  /** Errors reported so far, listed or not: a model with any is not valid, whatever the cap shows. */
  readonly errors: number;
}

/**
 * The one place diagnostics of a document are collected. It holds at most MAX_DIAGNOSTICS of
 * them, the first by position (start, then end; equal spans in the order reported, as a stable
 * sort of every diagnostic would give), and only counts the rest: per severity, and where the
 * first of them starts, for the last diagnostic that counts them.
 */
export class DiagnosticCollector implements DiagnosticSink {
  /** Sorted by position; at most `cap` long. */
  private readonly kept: Diagnostic[] = [];
  /** Per severity (in SEVERITIES order), how many were dropped: counters, not a map (38,000 models without an input count 37,500). */
  private readonly dropped = [0, 0, 0, 0];
  private droppedTotal = 0;
  /** The position of the first dropped diagnostic (all of them lie after every kept one). */
  private firstDropped: Span | null = null;
  errors = 0;
  /** With `recordAll`, the position of every problem reported, listed or not (see problems()). */
  private readonly recorder?: ProblemRecorder;

  constructor(
    private readonly cap = MAX_DIAGNOSTICS,
    recordAll = false,
  ) {
    if (recordAll) this.recorder = new ProblemRecorder();
  }

  /** Whether a diagnostic at this span would be listed now (later reports can still push it out). */
  keeps(span: Span): boolean {
    const { kept } = this;
    return kept.length < this.cap || before(span, kept[kept.length - 1].span);
  }

  push(d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    this.recorder?.add(d.severity, d.span);
    const { kept } = this;
    if (!this.keeps(d.span)) return this.drop(d.severity, d.span);
    // After every kept diagnostic at the same or an earlier position: ties stay in report order.
    kept.splice(prefixLength(kept.length, (i) => !before(d.span, kept[i].span)), 0, d);
    if (kept.length > this.cap) {
      const last = kept.pop()!;
      this.drop(last.severity, last.span);
    }
  }

  report(severity: Severity, span: Span, build: () => Diagnostic): void {
    if (this.keeps(span)) this.push(build());
    else {
      if (severity === 'error') this.errors++;
      this.recorder?.add(severity, span);
      this.drop(severity, span);
    }
  }

  /** Counts `count` problems that lie after every one held (see ProblemList.reportTo), the first of them at `first`. */
  countMore(severity: Severity, count: number, first: Span): void {
    if (severity === 'error') this.errors += count;
    this.droppedTotal += count - 1;
    this.dropped[SEVERITIES.indexOf(severity)] += count - 1;
    this.drop(severity, first);
  }

  /** Every problem reported (the collector made with `recordAll`), the ones held built. */
  problems(): ProblemList {
    return this.recorder!.finish(this.kept.slice());
  }

  /** Whether every diagnostic reported so far is held (none was only counted). */
  get complete(): boolean {
    return this.droppedTotal === 0;
  }

  /** How many diagnostics are held (never more than the cap). */
  get size(): number {
    return this.kept.length;
  }

  /** The listed diagnostics in position order, then one that counts the rest, as severe as the worst of them. */
  list(): Diagnostic[] {
    const out = this.kept.slice();
    if (!this.droppedTotal) return out;
    const counts = SEVERITIES.map((s, k) => [s, this.dropped[k]] as const).filter(([, n]) => n > 0);
    const what = counts.map(([s, n]) => `${n.toLocaleString('en-US')} ${s}${n === 1 ? '' : 's'}`).join(', ');
    out.push(
      diagnostic('too-many-problems', counts[0][0], this.firstDropped!, `And ${this.droppedTotal.toLocaleString('en-US')} more problems from here on (${what}); fix the ones above first.`),
    );
    return out;
  }

  private drop(severity: Severity, span: Span): void {
    this.droppedTotal++;
    this.dropped[severity === 'error' ? 0 : severity === 'warning' ? 1 : severity === 'info' ? 2 : 3]++;
    if (!this.firstDropped || before(span, this.firstDropped)) this.firstDropped = { start: span.start, end: span.end };
  }
}

/** Strictly earlier by position: start, then end. */
function before(a: Span, b: Span): boolean {
  return a.start < b.start || (a.start === b.start && a.end < b.end);
}
