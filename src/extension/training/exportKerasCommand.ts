import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportKeras } from '../../language';
import { openUntitledBeside } from '../untitledBeside';
import { targetModel } from './targetModel';

// Export to Keras: the model's Python (data, Sequential model, compile, fit, predict) in a new
// unsaved Python document beside the file, for the user to save or run wherever TensorFlow is installed.

export async function exportKerasCommand(uriArg?: unknown, modelArg?: unknown): Promise<vscode.TextDocument | undefined> {
  const target = await targetModel(uriArg, modelArg, { placeHolder: 'Export which model to Keras?' });
  if (!target) return undefined;
  const code = exportKeras(target.analysis, target.model.name, { fileName: path.basename(target.document.uri.path) });
  // Unsaved, beside the .seqmodel file and named after it and the model (forecast_rnn.py).
  const stem = `${path.basename(target.document.uri.path).replace(/\.[^.]*$/, '')}_${target.model.name}`;
  const document = await openUntitledBeside(target.document.uri, stem, '.py', 'python', code);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  return document;
}
