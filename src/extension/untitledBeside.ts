import * as path from 'node:path';
import * as vscode from 'vscode';
import { numberedName } from './numberedName';

/**
 * Opens `text` as an unsaved document named `stem + extension` in the folder of `beside`
 * (`stem-2`, `stem-3`... when the name is taken by a file or an open document), so Save
 * proposes a meaningful name and folder. A named untitled URI also never meets the extension
 * host's reuse of a just-closed "Untitled-N" name, which can hand back another document.
 */
export function openUntitledBeside(beside: vscode.Uri, stem: string, extension: string, languageId: string, text: string): Promise<vscode.TextDocument> {
  return openUntitledIn(beside.with({ path: path.posix.dirname(beside.path) }), stem, extension, languageId, text);
}

/**
 * The same in a folder, or with no folder at all (no workspace open): then the document is
 * named only, and Save asks where.
 */
export async function openUntitledIn(folder: vscode.Uri | undefined, stem: string, extension: string, languageId: string, text: string): Promise<vscode.TextDocument> {
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  let target: vscode.Uri | undefined;
  for (let n = 1; !target; n++) {
    const name = numberedName(stem, extension, n);
    const file = folder ? path.posix.join(folder.path, name) : name;
    const untitled = vscode.Uri.from({ scheme: 'untitled', path: file });
    if (open.has(untitled.toString())) continue;
    if (!folder || !(await exists(folder.with({ path: file })))) target = untitled;
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
