import * as path from 'node:path';
import * as vscode from 'vscode';
import { ImportError, importKeras, where } from '../../import';
import { openUntitledBeside } from '../untitledBeside';

// "SeqModel: Import from Keras...": pick a Python file, a notebook, a model.to_json() file or
// a .keras file; its import opens as a new .seqmodel document to review and save. What could
// not be imported is in the document as comments that name the source line, and counted in a
// message.

const FILTERS = { 'Keras code and models': ['py', 'ipynb', 'json', 'keras'] };

export async function importKerasCommand(uriArg?: unknown): Promise<vscode.TextDocument | undefined> {
  let uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg instanceof vscode.Uri ? uriArg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: FILTERS, openLabel: 'Import', title: 'Import a Keras model' });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const name = path.basename(uri.path);
  let result;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    result = importKeras({ fileName: name, content: bytes });
  } catch (e) {
    const at = e instanceof ImportError ? ` (${where(e.at)})` : '';
    void vscode.window.showErrorMessage(`SeqModel: cannot import ${name}${at}: ${(e as Error).message}`);
    return undefined;
  }
  // Unsaved, named after its source and beside it (stacked.py → stacked.seqmodel).
  const document = await openUntitledBeside(uri, name.replace(/\.[^.]*$/, '') || 'imported', '.seqmodel', 'seqmodel', result.text);
  await vscode.window.showTextDocument(document, { preview: false });
  const models = `${result.models} model${result.models === 1 ? '' : 's'}`;
  if (result.warnings.length) {
    const first = result.warnings[0];
    void vscode.window.showWarningMessage(`SeqModel: imported ${models} from ${name}; ${result.warnings.length} thing(s) could not be imported, e.g. ${where(first)}: ${first.message}`);
  } else {
    void vscode.window.showInformationMessage(`SeqModel: imported ${models} from ${name}.`);
  }
  return document;
}

