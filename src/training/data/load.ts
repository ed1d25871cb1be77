// A DataSpec (the analysed `data` statement) turned into training arrays.

import type { DataSpec, SeriesSpec } from '../../language';
import { type CsvSpec, type LabelColumn, readCsvSeries } from './csv';
import { type Dataset, sampleCount } from './dataset';
import { echoData } from './echo';
import { labelledWindows } from './labelledWindows';
import { DataError } from './errors';
import type { FileAccess } from './fileAccess';
import { sentimentData } from './sentiment';
import { type Series, seriesFromValues } from './series';
import { sineSeries } from './sine';
import { window } from './window';

/** Reads a `csv(...)` series: from disk by default; the playground reads files the user gave it. */
export type CsvReader = (spec: CsvSpec, access: FileAccess, labels?: LabelColumn) => Promise<Series>;

export async function loadSeries(spec: SeriesSpec, access: FileAccess, readCsv: CsvReader = readCsvSeries): Promise<Series> {
  switch (spec.kind) {
    case 'literal':
      return seriesFromValues(spec.values);
    case 'csv':
      return readCsv(spec, access);
    case 'sine':
      return sineSeries(spec);
  }
}

export async function loadData(spec: DataSpec, access: FileAccess, readCsv?: CsvReader): Promise<Dataset> {
  let data: Dataset;
  switch (spec.kind) {
    case 'window': {
      const series = await loadSeries(spec.series, access, readCsv);
      data = window(series, spec.steps, spec.horizon);
      if (sampleCount(data.x) === 0) {
        throw new DataError(
          `The series has ${series.length} step(s): too short for one window of ${spec.steps} step(s) ` +
            `followed by ${spec.horizon} to forecast (at least ${spec.steps + spec.horizon} are needed).`,
        );
      }
      break;
    }
    case 'labelledWindows': {
      const series = await (readCsv ?? readCsvSeries)(spec.series, access, { column: spec.label, classNames: spec.classNames });
      data = labelledWindows(series, { steps: spec.steps, stride: spec.stride, mixed: spec.mixed, source: spec.series.path });
      break;
    }
    case 'echo':
      data = echoData(spec);
      break;
    case 'sentiment':
      data = sentimentData(spec);
      break;
  }
  return data;
}
