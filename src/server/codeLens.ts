import type { CodeLens } from 'vscode-languageserver';
import { formatCount, type Analysis } from '../language';
import { toRange } from './convert';

// Above each model: its totals and the actions the extension serves. The commands receive
// the document URI and the model name, so they need no cursor or active editor.
//
// Those of the first MAX_CODE_LENS_MODELS models only: the request has no range, and a pasted
// megabyte of small models with distinct names (38,000) made 113,000 lenses, 26 MB of JSON and
// ~0.3 s of the server's time before the editor could even parse them.

export const TRAIN_COMMAND = 'seqmodel.train';
export const SUMMARY_COMMAND = 'seqmodel.showSummary';

/** The most models that get lenses (three each), the first in the file. */
export const MAX_CODE_LENS_MODELS = 1000;

export function codeLenses(analysis: Analysis, uri: string, maxModels = MAX_CODE_LENS_MODELS): CodeLens[] {
  const lenses: CodeLens[] = [];
  const count = Math.min(analysis.models.length, maxModels);
  for (let i = 0; i < count; i++) {
    const model = analysis.models[i];
    const range = toRange(analysis.lines, model.nameSpan);
    const p = model.params;
    const totals = model.valid
      ? `${formatCount(p.total)} params` + (p.nonTrainable ? ` (${formatCount(p.trainable)} trainable)` : '') + ` · ${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}`
      : `${formatCount(p.total)} params so far · has errors`;
    lenses.push({ range, command: { title: totals, command: SUMMARY_COMMAND, arguments: [uri, model.name] } });
    lenses.push({ range, command: { title: '▶ Train', command: TRAIN_COMMAND, arguments: [uri, model.name] } });
    lenses.push({ range, command: { title: 'Show summary', command: SUMMARY_COMMAND, arguments: [uri, model.name] } });
  }
  return lenses;
}
