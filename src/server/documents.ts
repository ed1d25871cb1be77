import { analyze, type Analysis } from '../language';

// One analysis per document version. Every feature asks here, so a burst of requests after
// an edit (diagnostics, inlay hints, code lens, semantic tokens) analyses the text once. A
// version the engine fails on (it should not, but e.g. a pathologically deep nesting can
// overflow the stack) is remembered as failed too, so requests do not retry it again and again.

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

export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis?: Analysis; error?: AnalysisError }>();

  /** The analysis of exactly this version of the document; throws AnalysisError when the engine failed on it. */
  get(doc: VersionedText): Analysis {
    let hit = this.entries.get(doc.uri);
    if (!hit || hit.version !== doc.version) {
      try {
        hit = { version: doc.version, analysis: analyze(doc.getText()) };
      } catch (e) {
        hit = { version: doc.version, error: new AnalysisError(e) };
      }
      this.entries.set(doc.uri, hit);
    }
    if (hit.error) throw hit.error;
    return hit.analysis!;
  }

  /** Whether this version has been analysed (or failed) already: no work to answer from it. */
  has(doc: VersionedText): boolean {
    return this.entries.get(doc.uri)?.version === doc.version;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
