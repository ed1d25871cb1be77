import type { TextEdit } from 'vscode-languageserver';
import { formatEditSteps, notText, positionsAt, runSteps, type FormatEdit, type Steps } from '../language';

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
  return runSteps(formatDocumentSteps(text));
}

/**
 * The formatting edits of `text` in steps (see src/language/steps.ts). The edits' offsets are
 * in order, so their positions come from one pass over the text (positionsAt), not from the
 * editor's document, which would first index every line of it.
 */
export function* formatDocumentSteps(text: string): Steps<TextEdit[]> {
  if (notText(text)) return [];
  const edits: FormatEdit[] = yield* formatEditSteps(text);
  const positions = positionsAt(text, edits.flatMap((e) => [e.start, e.end]));
  return edits.map((e, i) => ({ range: { start: positions[2 * i], end: positions[2 * i + 1] }, newText: e.newText }));
}
