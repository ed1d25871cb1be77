import { analyze, jsonReport } from '../../language';
import { EXIT_ERRORS, EXIT_OK, UsageError } from '../errors';
import { countErrors, formatDiagnostic } from '../format';
import { readSource, type Output } from '../io';

export interface CheckOptions {
  files: string[];
  json: boolean;
}

/** Prints every diagnostic of every file; exit 1 when any file has an error. */
export function check(opts: CheckOptions, io: Output): number {
  if (opts.files.length === 0) throw new UsageError('check needs at least one .seqmodel file.');
  let errors = 0;
  const reports = [];
  for (const file of opts.files) {
    const analysis = analyze(readSource(file));
    errors += countErrors(analysis);
    if (opts.json) reports.push(jsonReport(file, analysis));
    else for (const d of analysis.diagnostics) io.out(formatDiagnostic(file, d, analysis));
  }
  if (opts.json) io.out(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
  else if (errors === 0) io.err(`${opts.files.length === 1 ? opts.files[0] : `${opts.files.length} files`}: no errors.`);
  return errors > 0 ? EXIT_ERRORS : EXIT_OK;
}
