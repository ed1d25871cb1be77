import * as vscode from 'vscode';
import { type Analysis, formatCount, modelAt, type ModelInfo } from '../../language';
import { analysisOf } from '../documentAnalysis';

// Which document and model a command acts on: the code lens's (uri, model) arguments, else the
// model under the cursor, else a quick pick of the file's models. The analysis is the
// extension's one (documentAnalysis.ts).

export interface Target {
  document: vscode.TextDocument;
  analysis: Analysis;
  model: ModelInfo;
}

export async function targetDocument(uriArg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg instanceof vscode.Uri ? uriArg : undefined;
  if (uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'seqmodel') return editor.document;
  // The active editor may be a panel: fall back to a visible .seqmodel editor.
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'seqmodel');
  if (visible) return visible.document;
  void vscode.window.showInformationMessage('SeqModel: open a .seqmodel file first.');
  return undefined;
}

export async function pickModel(models: readonly ModelInfo[], placeHolder: string): Promise<ModelInfo | undefined> {
  if (models.length === 0) return undefined;
  if (models.length === 1) return models[0];
  const pick = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.name, description: `${formatCount(m.params.total)} params`, model: m })),
    { placeHolder },
  );
  return pick?.model;
}

/**
 * The target of a command. `candidates` narrows the pick (e.g. models in a train block);
 * returns undefined after telling the user why there is none.
 */
export async function targetModel(
  uriArg: unknown,
  modelArg: unknown,
  options: { placeHolder: string; candidates?: (analysis: Analysis) => ModelInfo[]; none?: string },
): Promise<Target | undefined> {
  const document = await targetDocument(uriArg);
  if (!document) return undefined;
  const analysis = analysisOf(document);
  const candidates = options.candidates?.(analysis) ?? analysis.models;
  let model: ModelInfo | undefined;
  if (typeof modelArg === 'string') {
    model = analysis.models.find((m) => m.name === modelArg);
    if (!model) {
      void vscode.window.showErrorMessage(`SeqModel: ${vscode.workspace.asRelativePath(document.uri)} has no model named '${modelArg}'.`);
      return undefined;
    }
  } else {
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.toString() === document.uri.toString()) {
      const under = modelAt(analysis, document.offsetAt(editor.selection.active));
      if (under && candidates.includes(under)) model = under;
    }
    model ??= await pickModel(candidates, options.placeHolder);
    if (!model) {
      if (candidates.length === 0) void vscode.window.showInformationMessage(options.none ?? 'SeqModel: this file defines no model.');
      return undefined;
    }
  }
  return { document, analysis, model };
}
