import * as vscode from 'vscode';
import { pngBytes, safeFileName } from './exportNames';

// The panels' PNG and CSV exports: the page cannot write files, so it sends the content and the
// host asks where to save it. PNGs arrive as base64 data URLs (canvas.toDataURL).

export async function saveExport(output: vscode.LogOutputChannel, suggestedName: string, kind: 'csv' | 'png', content: string): Promise<void> {
  try {
    const bytes = kind === 'png' ? pngBytes(content) : new TextEncoder().encode(content);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = safeFileName(suggestedName, kind);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: kind === 'png' ? { 'PNG image': ['png'] } : { 'CSV file': ['csv'] },
      title: kind === 'png' ? 'Export chart as PNG' : 'Export as CSV',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    output.info(`Exported ${target.fsPath}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.error(`Export failed: ${message}`);
    void vscode.window.showErrorMessage(`SeqModel: the export failed: ${message}`);
  }
}
