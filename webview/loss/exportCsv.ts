// The loss panel's CSV: one row per run and epoch, one column per logged key (the union over
// all runs, in reading order), and the smoothed values next to them when smoothing is on, so the
// file reproduces exactly what the chart shows.
import { csvText, type CsvCell } from '../shared/csv';
import { compareKeys } from './metricKeys';
import type { RunStore } from './runStore';

export function runsCsv(store: RunStore): string {
  const keys = new Set<string>();
  for (const run of store.runs.values()) for (const key of run.columns.keys()) keys.add(key);
  const ordered = [...keys].sort(compareKeys);
  const smoothing = store.smoothingWeight > 0;
  const header = ['run', 'model', 'epoch', ...ordered];
  if (smoothing) header.push(...ordered.map((key) => `${key}_smoothed`));
  const rows: CsvCell[][] = [];
  for (const run of store.runs.values()) {
    for (let i = 0; i < run.epochCount; i++) {
      const raw: CsvCell[] = [];
      const smoothed: CsvCell[] = [];
      let any = false;
      for (const key of ordered) {
        const column = run.columns.get(key);
        const value = column && i < column.length ? column.values[i] : NaN;
        if (!Number.isNaN(value)) any = true;
        raw.push(value);
        smoothed.push(column && i < column.length ? column.smoothed[i] : NaN);
      }
      if (!any) continue;
      rows.push([run.label, run.model.name, i + 1, ...raw, ...(smoothing ? smoothed : [])]);
    }
  }
  return csvText(header, rows);
}
