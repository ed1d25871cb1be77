import * as vscode from 'vscode';
import { summaryTable } from '../language';
import { analysisOf } from './documentAnalysis';
import { targetModel } from './training/targetModel';

// "Show Model Summary": the model's Keras summary table in a read-only virtual document beside
// the editor. The document is served by a content provider, so it cannot be edited or saved,
// and reopening it reads the model's current text again. The table is the engine's printer,
// the same as the CLI's `summary` and the summary panel's.

export const SUMMARY_SCHEME = 'seqmodel-summary';

export class SummaryProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { source, model } = JSON.parse(uri.query) as { source: string; model: string };
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(source));
    const info = analysisOf(document).models.find((m) => m.name === model);
    return info ? summaryTable(info) : `No model named '${model}' in ${source}.`;
  }
}

/** Command handler: arguments from a code lens or the status bar (uri, model), else the editor's cursor or a pick. */
export async function showSummary(uriArg?: unknown, modelArg?: unknown): Promise<void> {
  const target = await targetModel(uriArg, modelArg, { placeHolder: 'Summary of which model?', none: 'SeqModel: this file defines no model.' });
  if (!target) return;
  const source = target.document.uri.toString();
  const model = target.model.name;
  const uri = vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${model} summary.txt`, query: JSON.stringify({ source, model }) });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}
