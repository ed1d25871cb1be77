import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Analysis } from '../language';

// Folds: model and train blocks (keeping the `}` line visible), statements wrapped over
// several lines (a long data list), and runs of two or more comment lines.
//
// At most `limit` folds, the first by line: the client's `foldingRange.rangeLimit` when it
// sends one, else MAX_FOLDING_RANGES, VS Code's own default (`editor.foldingMaximumRegions`):
// 40,000 small models would otherwise be 1.7 MB of JSON the editor drops.

export const MAX_FOLDING_RANGES = 5000;

export function foldingRanges(analysis: Analysis, limit = MAX_FOLDING_RANGES): FoldingRange[] {
  const { lines } = analysis;
  const out: FoldingRange[] = [];
  for (const stmt of analysis.document.statements) {
    const first = lines.positionAt(stmt.span.start).line;
    if ((stmt.kind === 'model' || stmt.kind === 'train') && stmt.open) {
      const open = lines.positionAt(stmt.open.start).line;
      const close = stmt.close ? lines.positionAt(stmt.close.start).line : lines.positionAt(stmt.span.end).line + 1;
      if (close - 1 > open) out.push({ startLine: open, endLine: close - 1 });
      continue;
    }
    const last = lines.positionAt(stmt.span.end).line;
    if (last > first) out.push({ startLine: first, endLine: last });
  }
  // Comment runs: consecutive lines whose only content is a comment.
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = runEnd = -1;
  };
  for (const c of analysis.document.comments) {
    const line = lines.positionAt(c.span.start).line;
    const ownLine = analysis.text.slice(lines.lineStart(line), c.span.start).trim() === '';
    if (!ownLine) {
      flush();
      continue;
    }
    if (runStart >= 0 && line === runEnd + 1) runEnd = line;
    else {
      flush();
      runStart = runEnd = line;
    }
  }
  flush();
  out.sort((a, b) => a.startLine - b.startLine);
  return out.length > limit ? out.slice(0, Math.max(0, limit)) : out;
}
