// Sorting the comparison table by one column. Empty cells (a metric one run did not log, an
// optimizer argument another optimizer lacks) go last in either direction: they are not
// smaller or larger than anything, and a reader looks for the values first.
import type { CellValue, ComparisonColumn, ComparisonRow } from './table';

export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  key: string;
  direction: SortDirection;
}

function compareCells(a: CellValue, b: CellValue, type: ComparisonColumn['type']): number {
  if (type === 'number' && typeof a === 'number' && typeof b === 'number') return a - b;
  // Natural order for text ("run 2" before "run 10"); numbers mixed into text columns compare as text.
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/** The rows in the given order, stable for equal cells (they keep the host's newest-first order). */
export function sortRows(rows: readonly ComparisonRow[], column: ComparisonColumn, direction: SortDirection): ComparisonRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((x, y) => {
      const a = x.row.cells[column.key] ?? null;
      const b = y.row.cells[column.key] ?? null;
      if (a === null || b === null) return a === b ? x.index - y.index : a === null ? 1 : -1;
      return sign * compareCells(a, b, column.type) || x.index - y.index;
    })
    .map(({ row }) => row);
}

/** A header click: the same column flips its direction, another column starts ascending. */
export function nextSort(current: SortOrder | null, key: string): SortOrder {
  if (current?.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: 'ascending' };
}
