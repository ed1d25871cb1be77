import type { Position, TextEdit } from 'vscode-languageserver';
import { formatEditSteps, notText, runSteps, type FormatEdit, type Steps } from '../language';

// Whole-document formatting with the one canonical layout (src/language/format.ts), sent as
// the edits of the parts that change (merged when close, at most MAX_FORMAT_EDITS), so the
// cursor, folds and markers of the rest stay where they were. A text the layout would blow up
// (see MAX_GROWTH in format.ts) or the engine refuses as not text is left alone: no edit.
//
// It needs the text alone, never the analysis: formatting answers at once after an edit, while
// the new version is still being analysed (docs/editor.md, "Hostile input"). It runs in steps,
// so the server can answer a cancellation in the middle of a megabyte (startServer.ts).

/** What converts an offset of the text to a position: the server's TextDocument, or the engine's LineIndex. */
export interface Positions {
  positionAt(offset: number): Position;
}

/** The formatting edits of `text`, all at once (tests, benchmarks). */
export function formatDocument(text: string, positions: Positions): TextEdit[] {
  return runSteps(formatDocumentSteps(text, positions));
}

/** The formatting edits of `text` in steps (see src/language/steps.ts). */
export function* formatDocumentSteps(text: string, positions: Positions): Steps<TextEdit[]> {
  if (notText(text)) return [];
  const edits: FormatEdit[] = yield* formatEditSteps(text);
  return edits.map((e) => ({ range: { start: positions.positionAt(e.start), end: positions.positionAt(e.end) }, newText: e.newText }));
}
