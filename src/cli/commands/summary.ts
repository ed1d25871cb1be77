import { analyze, jsonReport, summaryTable } from '../../language';
import { EXIT_ERRORS, EXIT_OK, UsageError } from '../errors';
import { countErrors, formatDiagnostic } from '../format';
import { readSource, type Output } from '../io';

export interface SummaryOptions {
  file: string;
  model?: string;
  json: boolean;
}

/** Keras-style summary tables; diagnostics go to stderr so the table stays clean. */
export function summary(opts: SummaryOptions, io: Output): number {
  const analysis = analyze(readSource(opts.file));
  if (opts.model && !analysis.models.some((m) => m.name === opts.model)) {
    const names = analysis.models.map((m) => m.name).join(', ') || 'none';
    throw new UsageError(`${opts.file} has no model named '${opts.model}' (models: ${names}).`, 'model');
  }
  if (opts.json) {
    io.out(JSON.stringify(jsonReport(opts.file, analysis, opts.model), null, 2));
  } else {
    const models = analysis.models.filter((m) => !opts.model || m.name === opts.model);
    const tables = models.map((m) => summaryTable(m) + (m.valid ? '' : '\n(incomplete: this model has errors, see below)'));
    io.out(tables.join('\n\n'));
    for (const d of analysis.diagnostics) if (d.severity === 'error' || d.severity === 'warning') io.err(formatDiagnostic(opts.file, d, analysis));
  }
  return countErrors(analysis) > 0 ? EXIT_ERRORS : EXIT_OK;
}
