import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportKeras } from '../../language';
import { targetModel } from './targetModel';

// Export to Keras: the model's Python (data, Sequential model, compile, fit, predict) in a new
// untitled Python document, for the user to save or run wherever TensorFlow is installed.

export async function exportKerasCommand(uriArg?: unknown, modelArg?: unknown): Promise<vscode.TextDocument | undefined> {
  const target = await targetModel(uriArg, modelArg, { placeHolder: 'Export which model to Keras?' });
  if (!target) return undefined;
  const code = exportKeras(target.analysis, target.model.name, { fileName: path.basename(target.document.uri.path) });
  const document = await vscode.workspace.openTextDocument({ language: 'python', content: code });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  return document;
}
