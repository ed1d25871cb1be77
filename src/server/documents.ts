import { ResponseError } from 'vscode-languageserver';
import { analysisSteps, type Analysis } from '../language';
import { contentModified, SlicedWork } from './slices';

// One analysis per document version. Every feature asks here, so a burst of requests after
// an edit (diagnostics, inlay hints, code lens, semantic tokens) analyses the text once. A
// version the engine fails on (it should not, but e.g. a pathologically deep nesting can
// overflow the stack) is remembered as failed too, so requests do not retry it again and again.
//
// The analysis runs in slices of a few milliseconds (the engine yields between bounded steps,
// src/language/steps.ts; slices.ts runs them) with the event loop in between, so while a megabyte-long file is
// analysed the server still reads messages: a $/cancelRequest answers at once, and an edit
// abandons the analysis of the version it replaces instead of queueing behind it.

export interface VersionedText {
  uri: string;
  version: number;
  getText(): string;
}

export class AnalysisError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

interface Entry {
  version: number;
  work: SlicedWork<Analysis>;
  /** The promise every waiter shares: the analysis, AnalysisError, or ContentModified once abandoned. */
  pending: Promise<Analysis>;
  /** Set when a newer version (or closing the document) replaced this one. */
  abandoned?: boolean;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * The analysis of exactly this version, computed in slices. Rejects with AnalysisError when
   * the engine failed on it, and with ContentModified when a newer version replaced it first.
   */
  analysis(doc: VersionedText): Promise<Analysis> {
    return this.entry(doc).pending;
  }

  /** The analysis of exactly this version, now: finishes a running analysis at once. Throws AnalysisError when the engine failed on it. */
  get(doc: VersionedText): Analysis {
    const { work } = this.entry(doc);
    work.advance(Infinity);
    if (work.failure) throw new AnalysisError(work.failure.error);
    return work.value!;
  }

  /** Whether this version has been analysed, failed or is being analysed: no new work to answer from it. */
  has(doc: VersionedText): boolean {
    return this.entries.get(doc.uri)?.version === doc.version;
  }

  /** A newer version arrived: stop analysing an older one now rather than when it is next asked for. */
  supersede(doc: VersionedText): void {
    const entry = this.entries.get(doc.uri);
    if (entry && entry.version !== doc.version) this.drop(doc.uri);
  }

  delete(uri: string): void {
    this.drop(uri);
  }

  private drop(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.abandoned = true;
    this.entries.delete(uri);
  }

  private entry(doc: VersionedText): Entry {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    this.drop(doc.uri);
    const work = new SlicedWork(analysisSteps(doc.getText()));
    const entry: Entry = { version: doc.version, work, pending: undefined as unknown as Promise<Analysis> };
    entry.pending = work.run(() => (entry.abandoned ? contentModified() : undefined)).catch((e) => {
      throw e instanceof ResponseError ? e : new AnalysisError(e);
    });
    // Waiters handle the rejection; an entry nobody waits for must not count as unhandled.
    entry.pending.catch(() => undefined);
    this.entries.set(doc.uri, entry);
    return entry;
  }
}
