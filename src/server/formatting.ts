import type { TextEdit } from 'vscode-languageserver';
import { FormatMemory, formatEditSteps, LineIndex, notText, runSteps, type FormatEdit, type Steps } from '../language';
import type { VersionedText } from './documents';

// Whole-document formatting with the one canonical layout (src/language/format.ts), sent as
// the edits of the parts that change (merged when close, at most MAX_FORMAT_EDITS), so the
// cursor, folds and markers of the rest stay where they were. A text the layout would blow up
// (see MAX_GROWTH in format.ts) or the engine refuses as not text is left alone: no edit.
//
// It needs the text alone, never the analysis: formatting answers at once after an edit, while
// the new version is still being analysed (docs/editor.md, "Hostile input"). It runs in steps,
// so the server can answer a cancellation in the middle of a megabyte (startServer.ts). Each open
// document keeps its last layout (FormatMemories), so formatting it again after a keystroke lays
// out only the part around the edits since (src/language/layoutMemory.ts).

/** The formatting edits of `text`, all at once (tests, benchmarks). */
export function formatDocument(text: string): TextEdit[] {
  return runSteps(formatDocumentSteps(text, new LineIndex(text)));
}

/**
 * The formatting edits of `text` in steps (see src/language/steps.ts). Their positions come
 * from the document's line index (the server keeps one per version, openDocuments.ts): a binary
 * search for each of at most 2,000 offsets, where walking the text to the last of them cost
 * 30 ms on a megabyte of line breaks.
 */
export function* formatDocumentSteps(text: string, lines: LineIndex, memory?: FormatMemory): Steps<TextEdit[]> {
  if (notText(text)) return [];
  const edits: FormatEdit[] = yield* formatEditSteps(text, memory);
  return edits.map((e) => ({ range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText }));
}

/**
 * Per open document, its formatting memory (the last layout, and the parts changed since): made
 * by the first formatting, told every new version of the text after it, dropped when the
 * document closes. What it holds is about twice the document's layout in bytes (a megabyte of
 * `}`: 4 MB of code units), for documents that were formatted.
 */
export class FormatMemories {
  private readonly memories = new Map<string, FormatMemory>();

  /** The memory of a document, made on its first formatting. */
  of(uri: string): FormatMemory {
    let memory = this.memories.get(uri);
    if (!memory) this.memories.set(uri, (memory = new FormatMemory()));
    return memory;
  }

  /**
   * A document has a new version, edited from `previous`: its memory notes what changed, from the
   * version's change when known (openDocuments.ts). Nothing to do for one never formatted.
   */
  changed(doc: VersionedText, previous?: VersionedText): void {
    this.memories.get(doc.uri)?.update(doc.getText(), previous && doc.change ? { before: previous.getText(), change: doc.change } : undefined);
  }

  delete(uri: string): void {
    this.memories.delete(uri);
  }
}
