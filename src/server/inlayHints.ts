import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { formatCount, formatShapes, type Analysis, type Span } from '../language';
import { firstEndingAtOrAfter } from './convert';
import type { ServerSettings } from './settings';

// After each layer: `→ (None, 50) · 10,400 params`. The shape and the count are separate
// settings (as rust-analyzer switches each hint kind), so either part may be shown alone.
//
// Editors ask for the hints of the visible lines. A model of 100,000 layers written on one line
// makes that line the screen: at most MAX_INLAY_HINTS hints are answered per request (the first
// in the range), and models and layers are entered by binary search at the range's start, so
// the work is that of a screenful whatever the file (docs/editor.md, "Hostile input").

export const MAX_INLAY_HINTS = 2000;

export function inlayHints(analysis: Analysis, range: Span, settings: ServerSettings['inlayHints'], max = MAX_INLAY_HINTS): InlayHint[] {
  if (!settings.shapes && !settings.params) return [];
  const hints: InlayHint[] = [];
  const { models } = analysis;
  for (let m = firstEndingAtOrAfter(models, range.start); m < models.length && models[m].span.start <= range.end; m++) {
    const { layers } = models[m];
    for (let i = firstEndingAtOrAfter(layers, range.start); i < layers.length; i++) {
      const layer = layers[i];
      if (layer.span.end > range.end) break;
      if (hints.length >= max) return hints;
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
