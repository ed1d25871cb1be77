import type { Analysis, Diagnostic } from '../language';

/** `file:line:col: severity code: message`, the form compilers print and editors link. */
export function formatDiagnostic(file: string, d: Diagnostic, analysis: Analysis): string {
  const p = analysis.lines.positionAt(d.span.start);
  return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

export function countErrors(analysis: Analysis): number {
  return analysis.diagnostics.filter((d) => d.severity === 'error').length;
}
