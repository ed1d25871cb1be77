// CSV of the predictions shown, for the host to save.
import type { PredictionsMessage } from '../protocol';
import { csvText, type CsvCell } from '../shared/csv';
import { predictedClass } from './echoText';

export function predictionsCsv(message: PredictionsMessage): string {
  if (message.task === 'forecast') {
    const rows: CsvCell[][] = [];
    message.samples.forEach((sample, s) => {
      sample.input.forEach((step, i) => rows.push([s + 1, i + 1, 'input', step[Math.min(message.targetFeature, step.length - 1)], null, null]));
      sample.predicted.forEach((value, i) => rows.push([s + 1, sample.input.length + i + 1, 'forecast', null, sample.actual ? sample.actual[i] : null, value]));
    });
    return csvText(['sample', 'step', 'kind', 'input', 'actual', 'predicted'], rows);
  }
  const classes = Math.max(0, ...message.samples.map((s) => s.probabilities.length));
  const header = ['sample', 'sequence', 'expected', 'predicted', ...Array.from({ length: classes }, (_, c) => `p_${message.classNames?.[c] ?? c}`)];
  const rows = message.samples.map((sample, s): CsvCell[] => [s + 1, sample.sequence.join(' '), sample.expected, predictedClass(sample), ...sample.probabilities]);
  return csvText(header, rows);
}
