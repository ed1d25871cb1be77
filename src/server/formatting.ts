import type { Position, TextEdit } from 'vscode-languageserver';
import { formatEdit, notText } from '../language';

// Whole-document formatting with the one canonical layout (src/language/format.ts), sent as
// one edit covering only the part that changes so the cursor and folds stay where they were.
// A text the layout would blow up (see MAX_GROWTH in format.ts) or the engine refuses as not
// text is left alone: no edit.
//
// It needs the text alone, never the analysis: formatting answers at once after an edit, while
// the new version is still being analysed (docs/editor.md, "Hostile input").

/** What converts an offset of the text to a position: the server's TextDocument, or the engine's LineIndex. */
export interface Positions {
  positionAt(offset: number): Position;
}

export function formatDocument(text: string, positions: Positions): TextEdit[] {
  if (notText(text)) return [];
  const edit = formatEdit(text);
  if (!edit) return [];
  return [{ range: { start: positions.positionAt(edit.start), end: positions.positionAt(edit.end) }, newText: edit.newText }];
}
