import * as path from 'node:path';
import * as vscode from 'vscode';
import { numberedName } from './numberedName';

/**
 * Opens `text` as an unsaved document named `stem + extension` in the folder of `beside`
 * (`stem-2`, `stem-3`... when the name is taken by a file or an open document), so Save
 * proposes a meaningful name and folder. A named untitled URI also never meets the extension
 * host's reuse of a just-closed "Untitled-N" name, which can hand back another document.
 */
export async function openUntitledBeside(beside: vscode.Uri, stem: string, extension: string, languageId: string, text: string): Promise<vscode.TextDocument> {
  const dir = path.posix.dirname(beside.path);
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  let target: vscode.Uri | undefined;
  for (let n = 1; !target; n++) {
    const file = path.posix.join(dir, numberedName(stem, extension, n));
    const untitled = vscode.Uri.file(file).with({ scheme: 'untitled' });
    if (!open.has(untitled.toString()) && !(await exists(beside.with({ path: file })))) target = untitled;
  }
  let document = await vscode.workspace.openTextDocument(target);
  if (document.languageId !== languageId) document = await vscode.languages.setTextDocumentLanguage(document, languageId);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(target, new vscode.Position(0, 0), text);
  await vscode.workspace.applyEdit(edit);
  return document;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
