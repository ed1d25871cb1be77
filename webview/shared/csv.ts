// RFC 4180 CSV text: fields with a comma, quote or line break are quoted, quotes doubled; lines
// end with CRLF so spreadsheet programs on every platform read it alike.

export type CsvCell = string | number | null | undefined;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // NaN/Infinity are not numbers a spreadsheet reads back; an empty cell is the honest value.
    return Number.isFinite(value) ? String(value) : '';
  }
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvText(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
