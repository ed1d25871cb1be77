import { ImportError, parseJson } from './json';
import type { SourceLocation } from './output';

// A Jupyter notebook's code cells, in order, as one Python script, with a map back from an
// offset in that script to (cell, line) for warnings. IPython's magics (%matplotlib inline,
// !pip install ...) are not Python: their lines are blanked, keeping the line numbers, and so
// is a whole cell run by another program (%%bash, %%writefile).

export interface NotebookScript {
  text: string;
  locate(offset: number): SourceLocation;
}

/** Cell magics whose cell is still Python. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun']);

interface CellSpan {
  cell: number;
  start: number;
  /** Offsets of each line start within the script. */
  lines: number[];
}

export function notebookScript(json: string, fileName: string): NotebookScript {
  const nb = parseJson(json, fileName) as { cells?: unknown; worksheets?: unknown };
  // nbformat 4 has cells; nbformat 3 had worksheets[].cells with `input` instead of `source`.
  const cells = Array.isArray(nb?.cells) ? nb.cells : Array.isArray(nb?.worksheets) ? (nb.worksheets as { cells?: unknown[] }[]).flatMap((w) => w.cells ?? []) : null;
  if (!cells) throw new ImportError(`${fileName} is not a Jupyter notebook: it has no "cells".`, { line: 1, column: 1 });
  let text = '';
  const spans: CellSpan[] = [];
  let index = 0;
  for (const cell of cells as { cell_type?: string; source?: unknown; input?: unknown }[]) {
    if (cell?.cell_type !== 'code') continue;
    index++;
    const raw = cell.source ?? cell.input ?? '';
    const source = Array.isArray(raw) ? raw.join('') : String(raw);
    // A cell magic other than timing (%%bash, %%writefile) makes the whole cell not Python.
    const cellMagic = /^%%(\w+)/.exec(source.trimStart())?.[1];
    const python = !cellMagic || PYTHON_CELL_MAGICS.has(cellMagic);
    const code = source
      .split('\n')
      .map((l) => (!python || /^\s*[%!?]/.test(l) ? '' : l))
      .join('\n');
    const start = text.length;
    const lines = [start];
    for (let i = 0; i < code.length; i++) if (code[i] === '\n') lines.push(start + i + 1);
    spans.push({ cell: index, start, lines });
    text += `${code}\n\n`;
  }
  return {
    text,
    locate(offset) {
      let span = spans[0];
      for (const s of spans) if (s.start <= offset) span = s;
      if (!span) return { line: 1, column: 1 };
      let line = 0;
      while (line + 1 < span.lines.length && span.lines[line + 1] <= offset) line++;
      return { cell: span.cell, line: line + 1, column: offset - span.lines[line] + 1 };
    },
  };
}

/** Line and column of an offset in plain text. */
export function textLocator(text: string): (offset: number) => SourceLocation {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}
