import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

// What the extension-host suites share besides waiting (waiting.ts): where the repository is,
// and a copy of an example to train in (not a test file itself: bundled into each).

// Bundled to out/test/vscode/, three levels below the repository.
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const EXTENSION_ID = 'seqmodel-studio.seqmodel-studio';

/**
 * examples/forecast.seqmodel copied into a new folder outside the repository and opened, and
 * the activated extension's API: training saves runs beside the copy, never in the repository.
 */
export async function openForecastCopy<Api>(prefix: string): Promise<{ folder: string; doc: vscode.TextDocument; api: Api }> {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  copyFileSync(path.join(REPO_ROOT, 'examples/forecast.seqmodel'), path.join(folder, 'forecast.seqmodel'));
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'forecast.seqmodel')));
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, 'extension installed');
  return { folder, doc, api: await ext.activate() };
}
