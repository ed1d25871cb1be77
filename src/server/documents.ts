import { ResponseError } from 'vscode-languageserver';
import { analysisSteps, type Analysis, type LineIndex } from '../language';
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
//
// The last finished analysis of a document is the base of the next version's: an edit inside a
// model's braces is then analysed incrementally (src/language/incremental.ts), which takes a
// model of 100,000 layers from half a second to a few milliseconds. A base serves once (its
// tree is moved to build the next), and only when its version is no longer answered from.

export interface VersionedText {
  uri: string;
  version: number;
  getText(): string;
  /** The text's line index, when kept (openDocuments.ts): the analysis takes it instead of scanning the text again. */
  lines?: LineIndex;
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
  /** Per document, the finished analysis of a version replaced since: what the next version's analysis builds on. */
  private readonly bases = new Map<string, Analysis>();

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

  /** A newer version arrived: stop analysing an older one now rather than when it is next asked for. */
  supersede(doc: VersionedText): void {
    const entry = this.entries.get(doc.uri);
    if (entry && entry.version !== doc.version) this.drop(doc.uri);
  }

  delete(uri: string): void {
    this.drop(uri);
    this.bases.delete(uri);
  }

  private drop(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) {
      entry.abandoned = true;
      if (entry.work.done && entry.work.value) this.bases.set(uri, entry.work.value);
    }
    this.entries.delete(uri);
  }

  private entry(doc: VersionedText): Entry {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    this.drop(doc.uri);
    // Taken whether or not this analysis finishes: a base is built on once.
    const base = this.bases.get(doc.uri);
    this.bases.delete(doc.uri);
    const work = new SlicedWork(analysisSteps(doc.getText(), base, doc.lines));
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
