import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { Analysis, Severity } from '../language';
import { toRange } from './convert';

// The engine's diagnostics as LSP diagnostics: same codes, same messages; unused definitions
// are tagged so editors fade them.

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostics(analysis: Analysis): Diagnostic[] {
  return analysis.diagnostics.map((d) => {
    const out: Diagnostic = {
      range: toRange(analysis.lines, d.span),
      severity: SEVERITY[d.severity],
      code: d.code,
      source: 'seqmodel',
      message: d.message,
    };
    if (d.unnecessary) out.tags = [DiagnosticTag.Unnecessary];
    return out;
  });
}
