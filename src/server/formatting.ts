import type { TextEdit } from 'vscode-languageserver';
import { formatEditSteps, LineIndex, notText, runSteps, type FormatEdit, type Steps } from '../language';

// Whole-document formatting with the one canonical layout (src/language/format.ts), sent as
// the edits of the parts that change (merged when close, at most MAX_FORMAT_EDITS), so the
// cursor, folds and markers of the rest stay where they were. A text the layout would blow up
// (see MAX_GROWTH in format.ts) or the engine refuses as not text is left alone: no edit.
//
// It needs the text alone, never the analysis: formatting answers at once after an edit, while
// the new version is still being analysed (docs/editor.md, "Hostile input"). It runs in steps,
// so the server can answer a cancellation in the middle of a megabyte (startServer.ts).

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
export function* formatDocumentSteps(text: string, lines: LineIndex): Steps<TextEdit[]> {
  if (notText(text)) return [];
  const edits: FormatEdit[] = yield* formatEditSteps(text);
  return edits.map((e) => ({ range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText }));
}
