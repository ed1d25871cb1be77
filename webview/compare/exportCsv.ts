// The comparison table as CSV: the columns and rows as shown (in the current sort order), with
// full-precision numbers rather than the rounded ones on screen, and the settings all runs
// share repeated in every row, so the file stands on its own in a spreadsheet.
import { csvText, type CsvCell } from '../shared/csv';
import type { ComparisonRow, RunComparison } from './table';

export function comparisonCsv(comparison: RunComparison, rows: readonly ComparisonRow[]): string {
  const header = [...comparison.columns.map((c) => c.label), ...comparison.common.map((c) => c.label), 'folder'];
  const body = rows.map((row): CsvCell[] => [...comparison.columns.map((c) => row.cells[c.key]), ...comparison.common.map((c) => c.value), row.runPath]);
  return csvText(header, body);
}
