import { writeFileSync } from 'node:fs';
import { ImportError, importKeras, where, type ImportWarning } from '../../import';
import { analyze } from '../../language';
import { EXIT_ERRORS, EXIT_OK, UsageError } from '../errors';
import { countErrors, formatDiagnostic } from '../format';
import { readBytes, type Output } from '../io';

export interface ImportOptions {
  file: string;
  /** Write the .seqmodel file here instead of printing it. */
  output?: string;
}

/** `file:line:col: warning: ...`; a notebook's place is its cell and the line in it. */
function formatWarning(file: string, w: ImportWarning): string {
  return w.cell ? `${file}:${where(w)}: warning: ${w.message}` : `${file}:${w.line}:${w.column}: warning: ${w.message}`;
}

/**
 * seqmodel import FILE [-o OUT]: a .seqmodel file from Python, a notebook, model.to_json()
 * or a .keras file. Warnings name the source line; the result is analysed at once, so an
 * import whose shapes do not work out says so (exit 1) rather than leaving it to a later run.
 */
export function importCommand(opts: ImportOptions, io: Output): number {
  const bytes = readBytes(opts.file);
  let result;
  try {
    result = importKeras({ fileName: opts.file, content: bytes });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    io.err(`${opts.file}:${e.at.line}:${e.at.column}: error: ${e.message}`);
    return EXIT_ERRORS;
  }
  for (const w of result.warnings) io.err(formatWarning(opts.file, w));
  if (opts.output) {
    try {
      writeFileSync(opts.output, result.text);
    } catch (e) {
      throw new UsageError(`${opts.output}: cannot write it (${(e as Error).message}).`);
    }
    io.err(`Wrote ${opts.output}: ${result.models} model(s), ${result.warnings.length} warning(s).`);
  } else {
    io.out(result.text.trimEnd());
  }
  const analysis = analyze(result.text);
  const name = opts.output ?? 'imported.seqmodel';
  for (const d of analysis.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(name, d, analysis));
  return countErrors(analysis) > 0 ? EXIT_ERRORS : EXIT_OK;
}
