import { ResponseError } from 'vscode-languageserver';
import { analysisSteps, buildsOn, changeOf, joined, type Analysis, type LineIndex, type TextChange } from '../language';
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
// Where the text changed since the base is joined from each version's change as the edits come
// (openDocuments.ts finds it from the edit's ranges), so the analysis need not compare the two
// megabytes to find it; a version the cache was not told of is compared.

export interface VersionedText {
  uri: string;
  version: number;
  getText(): string;
  /** The text's line index, when kept (openDocuments.ts): the analysis takes it instead of scanning the text again. */
  lines?: LineIndex;
  /** Where the text differs from the version it was edited from, when known (openDocuments.ts). */
  change?: TextChange;
}

export class AnalysisError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** A finished analysis the next version's builds on, and where the versions since changed its text. */
interface Base {
  analysis: Analysis;
  /** The latest version's text told since (the analysis's own at first). */
  text: string;
  /** How the analysis's text became `text`: undefined while they are the same, null once a version came whose change is not known. */
  change: TextChange | undefined | null;
}

interface Entry {
  version: number;
  work: SlicedWork<Analysis>;
  /** The promise every waiter shares: the analysis, AnalysisError, or ContentModified once abandoned. */
  pending: Promise<Analysis>;
  /** Set when a newer version (or closing the document) replaced this one. */
  abandoned?: boolean;
}

/**
 * From this length on, a text whose analysis starts afresh (it replaced most of the previous
 * one, see buildsOn) is analysed after one full collection. Its previous analysis (60-80 MB for
 * a megabyte) is garbage then and little else is alive, so the collection takes 0-20 ms; left to
 * V8, the collection came during the new analysis, whose marking kept the previous one alive
 * beside it: a megabyte replaced by another again and again peaked at 247-341 MB, with it at
 * 172-193, and the analyses and the requests after them were faster too (docs/benchmarks.md,
 * "One analysis at a time"). A shorter text's analysis is a few megabytes: not worth a pause.
 */
export const COLLECT_FROM_CHARS = 256 * 1024;

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  /** Per document, the finished analysis of a version replaced since: what the next version's analysis builds on. */
  private readonly bases = new Map<string, Base>();

  /** `collect`: a full collection (V8's gc, where Node exposes it), see COLLECT_FROM_CHARS. */
  constructor(private readonly collect?: () => void) {}

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

  /**
   * A newer version arrived, edited from `previous`: stop analysing an older one now rather than
   * when it is next asked for, and note where the text changed since the base.
   */
  supersede(doc: VersionedText, previous?: VersionedText): void {
    const entry = this.entries.get(doc.uri);
    if (entry && entry.version !== doc.version) this.drop(doc.uri);
    const base = this.bases.get(doc.uri);
    if (!base || base.text === doc.getText()) return;
    base.change = doc.change && previous?.getText() === base.text && base.change !== null ? (base.change ? joined(base.change, doc.change) : doc.change) : null;
    base.text = doc.getText();
  }

  delete(uri: string): void {
    this.drop(uri);
    this.bases.delete(uri);
  }

  private drop(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) {
      entry.abandoned = true;
      if (entry.work.done && entry.work.value) this.bases.set(uri, { analysis: entry.work.value, text: entry.work.value.text, change: undefined });
    }
    this.entries.delete(uri);
  }

  /**
   * What this version's analysis builds on: the document's base, taken whether or not the
   * analysis finishes (a base is built on once), and where the text changed since it; no
   * previous analysis when the change replaced most of the text (buildsOn), the change then
   * saying so. In a method of its own so that nothing of the base is left on the caller's stack
   * when it collects.
   */
  private basis(doc: VersionedText): { previous?: Analysis; change?: TextChange } {
    const base = this.bases.get(doc.uri);
    this.bases.delete(doc.uri);
    if (!base) return {};
    const text = doc.getText();
    if (text === base.analysis.text) return { previous: base.analysis };
    // The change since the base, when every version since was told (supersede) and led to this one; else found by comparing.
    const change = changeOf(base.analysis.text, text, base.change !== null && base.text === text ? base.change : undefined);
    return buildsOn(change, text.length) ? { previous: base.analysis, change } : { change };
  }

  private entry(doc: VersionedText): Entry {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    this.drop(doc.uri);
    const { previous, change } = this.basis(doc);
    if (!previous && change && doc.getText().length >= COLLECT_FROM_CHARS) this.collect?.();
    const work = new SlicedWork(analysisSteps(doc.getText(), previous, doc.lines, change));
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
