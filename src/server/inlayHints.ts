import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { formatCount, formatShapes, type Analysis, type Span } from '../language';
import type { ServerSettings } from './settings';

// After each layer: `→ (None, 50) · 10,400 params`. The shape and the count are separate
// settings (as rust-analyzer switches each hint kind), so either part may be shown alone.

export function inlayHints(analysis: Analysis, range: Span, settings: ServerSettings['inlayHints']): InlayHint[] {
  if (!settings.shapes && !settings.params) return [];
  const hints: InlayHint[] = [];
  for (const model of analysis.models) {
    if (model.span.end < range.start || model.span.start > range.end) continue;
    for (const layer of model.layers) {
      if (layer.span.end < range.start || layer.span.end > range.end) continue;
      const parts: string[] = [];
      if (settings.shapes) parts.push(`→ ${formatShapes(layer.outputShapes)}`);
      if (settings.params) parts.push(`${formatCount(layer.params.total)} params`);
      hints.push({
        position: analysis.lines.positionAt(layer.span.end),
        label: parts.join(' · '),
        kind: settings.shapes ? InlayHintKind.Type : InlayHintKind.Parameter,
        paddingLeft: true,
        tooltip: layer.formula ? `${layer.name}: ${layer.formula}` : layer.name,
      });
    }
  }
  return hints;
}
