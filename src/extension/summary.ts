import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MODEL_AT_REQUEST, SUMMARY_REQUEST, type ModelAtParams, type ModelAtResult, type SummaryParams, type SummaryResult } from '../server/protocol';

// "Show summary": the model's Keras summary table in a read-only virtual document beside the
// editor. The document is served by a content provider, so it cannot be edited or saved, and
// reopening it asks the server again (it reflects the current text of the model).

export const SUMMARY_SCHEME = 'seqmodel-summary';

export class SummaryProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { source, model } = JSON.parse(uri.query) as { source: string; model: string };
    const params: SummaryParams = { textDocument: { uri: source }, model };
    const result = await this.client.sendRequest<SummaryResult | null>(SUMMARY_REQUEST, params);
    return result?.text ?? `No model named '${model}' in ${source}.`;
  }
}

/** Command handler: arguments from a code lens (uri, model), else the editor's cursor or a pick. */
export async function showSummary(client: LanguageClient, uriArg?: unknown, modelArg?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const source = typeof uriArg === 'string' ? uriArg : uriArg instanceof vscode.Uri ? uriArg.toString() : editor?.document.uri.toString();
  if (!source) {
    void vscode.window.showInformationMessage('Open a .seqmodel file to show a model summary.');
    return;
  }
  let model = typeof modelArg === 'string' ? modelArg : undefined;
  if (!model && editor && editor.document.uri.toString() === source) model = await modelUnderCursor(client, editor);
  if (!model) model = await pickModel(client, source);
  if (!model) return;
  const uri = vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${model} summary.txt`, query: JSON.stringify({ source, model }) });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}

export async function modelUnderCursor(client: LanguageClient, editor: vscode.TextEditor): Promise<string | undefined> {
  const params: ModelAtParams = { textDocument: { uri: editor.document.uri.toString() }, position: editor.selection.active };
  const result = await client.sendRequest<ModelAtResult | null>(MODEL_AT_REQUEST, params);
  return result?.name;
}

async function pickModel(client: LanguageClient, source: string): Promise<string | undefined> {
  const symbols = await client.sendRequest<{ name: string; kind: number; detail?: string }[] | null>('textDocument/documentSymbol', { textDocument: { uri: source } });
  const models = (symbols ?? []).filter((s) => s.kind === 5 /* SymbolKind.Class */);
  if (models.length === 0) {
    void vscode.window.showInformationMessage('This file defines no model.');
    return undefined;
  }
  if (models.length === 1) return models[0].name;
  const pick = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.name, description: m.detail })),
    { placeHolder: 'Which model?' },
  );
  return pick?.label;
}
