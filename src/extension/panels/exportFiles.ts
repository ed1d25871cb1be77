import * as vscode from 'vscode';

// The panels' PNG and CSV exports: the page cannot write files, so it sends the content and the
// host asks where to save it. PNGs arrive as base64 data URLs (canvas.toDataURL).

/** The bytes of a `data:image/png;base64,...` URL; throws on anything else. */
export function pngBytes(dataUrl: string): Uint8Array {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!match) throw new Error('the panel sent an image that is not a base64 PNG data URL');
  return new Uint8Array(Buffer.from(match[1], 'base64'));
}

/** A file name the page suggested, reduced to a plain name (no folders, no odd characters). */
export function safeFileName(name: string, extension: 'csv' | 'png'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '').slice(0, 120);
  const stem = clean.replace(new RegExp(`\\.${extension}$`, 'i'), '') || 'export';
  return `${stem}.${extension}`;
}

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
