import type { CodeLens } from 'vscode-languageserver';
import { formatCount, type Analysis } from '../language';
import { toRange } from './convert';

// Above each model: its totals and the actions the extension serves. The commands receive
// the document URI and the model name, so they need no cursor or active editor.

export const TRAIN_COMMAND = 'seqmodel.train';
export const SUMMARY_COMMAND = 'seqmodel.showSummary';

export function codeLenses(analysis: Analysis, uri: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const model of analysis.models) {
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
