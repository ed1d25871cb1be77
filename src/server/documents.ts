import { analyze, type Analysis } from '../language';

// One analysis per document version. Every feature asks here, so a burst of requests after
// an edit (diagnostics, inlay hints, code lens, semantic tokens) analyses the text once.

export interface VersionedText {
  uri: string;
  version: number;
  getText(): string;
}

export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: Analysis }>();

  /** The analysis of exactly this version of the document. */
  get(doc: VersionedText): Analysis {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const analysis = analyze(doc.getText());
    this.entries.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  }

  /** Whether the analysis of this version is already known (no work to answer from it). */
  has(doc: VersionedText): boolean {
    return this.entries.get(doc.uri)?.version === doc.version;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
