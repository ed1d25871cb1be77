import * as vscode from 'vscode';
import * as path from 'node:path';
import { analysisOf } from '../documentAnalysis';
import { openUntitledIn } from '../untitledBeside';
import { freeFileName, MODEL_TEMPLATES, modelTemplate, type ModelTemplate } from './templates';

// SeqModel: New Model File. A template (picked, or named by the caller: the walkthrough's
// buttons) becomes a .seqmodel file: in a workspace, a new file beside the active .seqmodel
// file or at the folder's top (never overwriting one), so it can be trained at once; with no
// folder open (or when asked), an unsaved document named after the template, in that folder
// when there is one. The cursor lands on the first error (the walkthrough's
// exercise) or the first layer, and the user is told if inlay hints are switched off.

export interface NewModelFileOptions {
  /** An untitled document even in a workspace. */
  untitled?: boolean;
}

export async function newModelFileCommand(templateArg?: unknown, optionsArg?: unknown): Promise<vscode.TextEditor | undefined> {
  const template = typeof templateArg === 'string' ? modelTemplate(templateArg) : await pickTemplate();
  if (typeof templateArg === 'string' && !template) {
    void vscode.window.showErrorMessage(`SeqModel: there is no model template '${templateArg}' (${MODEL_TEMPLATES.filter((t) => !t.hidden).map((t) => t.id).join(', ')}).`);
    return undefined;
  }
  if (!template) return undefined;
  const untitled = typeof optionsArg === 'object' && optionsArg !== null && (optionsArg as NewModelFileOptions).untitled === true;
  const folder = targetFolder();
  const document = folder && !untitled
    ? await createFile(folder, template)
    : await openUntitledIn(folder, template.fileStem, '.seqmodel', 'seqmodel', template.content);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  placeCursor(editor);
  void offerInlayHints();
  return editor;
}

async function pickTemplate(): Promise<ModelTemplate | undefined> {
  const picked = await vscode.window.showQuickPick(
    MODEL_TEMPLATES.filter((t) => !t.hidden).map((t) => ({ label: t.label, description: t.description, detail: t.detail, template: t })),
    { placeHolder: 'Start from which template?', matchOnDetail: true },
  );
  return picked?.template;
}

/** The folder of the active .seqmodel file when it is in the workspace, else the first workspace folder. */
function targetFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'seqmodel' && active.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active.uri)) {
    return vscode.Uri.file(path.dirname(active.uri.fsPath));
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function createFile(folder: vscode.Uri, template: ModelTemplate): Promise<vscode.TextDocument> {
  const entries = await vscode.workspace.fs.readDirectory(folder).then(
    (list) => list,
    () => [] as [string, vscode.FileType][],
  );
  const target = vscode.Uri.joinPath(folder, freeFileName(template.fileStem, new Set(entries.map(([name]) => name))));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(template.content));
  return vscode.workspace.openTextDocument(target);
}

function placeCursor(editor: vscode.TextEditor): void {
  const analysis = analysisOf(editor.document);
  const error = analysis.diagnostics.find((d) => d.severity === 'error');
  const offset = error?.span.start ?? analysis.models[0]?.layers[0]?.span.start;
  if (offset === undefined) return;
  const position = editor.document.positionAt(offset);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * The shapes and counts are inlay hints: a user who switched them off (editor-wide, or ours)
 * would see a bare file. Say so once per session, with a button that turns them on for
 * .seqmodel files only.
 */
let offered = false;
async function offerInlayHints(): Promise<void> {
  if (offered) return;
  const editor = vscode.workspace.getConfiguration('editor', { languageId: 'seqmodel' });
  const ours = vscode.workspace.getConfiguration('seqmodel.inlayHints');
  const enabled = editor.get<string>('inlayHints.enabled', 'on');
  const hidden = enabled === 'off' || enabled === 'offUnlessPressed' || !ours.get<boolean>('shapes', true) || !ours.get<boolean>('params', true);
  if (!hidden) return;
  offered = true;
  const turnOn = 'Show Them';
  const choice = await vscode.window.showInformationMessage('SeqModel: inlay hints are off, so the shapes and parameter counts after each layer are hidden (hover a layer to see them).', turnOn);
  if (choice !== turnOn) return;
  if (enabled === 'off' || enabled === 'offUnlessPressed') await editor.update('inlayHints.enabled', 'on', vscode.ConfigurationTarget.Global, true);
  await ours.update('shapes', true, vscode.ConfigurationTarget.Global);
  await ours.update('params', true, vscode.ConfigurationTarget.Global);
}

/** The walkthrough's "hover a layer": the hover of the first layer of the active .seqmodel file. */
export async function showLayerHoverCommand(): Promise<boolean> {
  let editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId !== 'seqmodel') editor = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'seqmodel');
  if (!editor) {
    void vscode.window.showInformationMessage('SeqModel: open a .seqmodel file first (SeqModel: New Model File).');
    return false;
  }
  editor = await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  const layer = analysisOf(editor.document).models.flatMap((m) => m.layers).find((l) => l.params.total > 0);
  if (!layer) {
    void vscode.window.showInformationMessage('SeqModel: this file has no layer to hover.');
    return false;
  }
  const position = editor.document.positionAt(layer.span.start);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
  return true;
}
