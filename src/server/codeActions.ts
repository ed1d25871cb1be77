import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Analysis, Span } from '../language';
import { overlaps, toRange } from './convert';
import { toLspDiagnostics } from './diagnostics';

// Quick fixes are the engine's: every diagnostic carries its fixes as data (edits on spans),
// so the server only turns those in the requested range into code actions.

export function codeActions(analysis: Analysis, uri: string, range: Span, only?: string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === CodeActionKind.Empty)) return [];
  const actions: CodeAction[] = [];
  let lsp: LspDiagnostic[] | undefined;
  analysis.diagnostics.forEach((d, i) => {
    if (!d.fixes?.length || !overlaps(d.span, range)) return;
    lsp ??= toLspDiagnostics(analysis);
    for (const fix of d.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp[i]],
        isPreferred: fix.preferred ?? false,
        edit: { changes: { [uri]: fix.edits.map((e) => ({ range: toRange(analysis.lines, e.span), newText: e.newText })) } },
      });
    }
  });
  return actions;
}
