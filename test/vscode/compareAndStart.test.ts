import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually, hasPanel } from './waiting';
import { saveRun, type RunMeta } from '../../src/training/runStore';
import { modelTemplate } from '../../src/extension/newModel/templates';

// Compare Runs in a Table, New Model File and the Getting Started walkthrough inside a real
// extension host: the table from a tree view's (clicked, selected) items and from paths, a
// folder that is not a run, a template's file with its diagnostics and inlay hints from the
// language server, and the walkthrough opening.

const EXTENSION_ID = 'seqmodel-studio.seqmodel-studio';

interface Compared {
  path: string;
  file: string | null;
  meta: { settings: { optimizer: { args: Record<string, number> } } };
}

describe('Compare Runs in a Table, New Model File and Getting Started in the extension host', function () {
  this.timeout(120_000);
  let folder: string;
  const runPaths: string[] = [];

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    folder = mkdtempSync(path.join(tmpdir(), 'seqmodel-compare-'));
    const text = modelTemplate('forecasting')!.content;
    writeFileSync(path.join(folder, 'forecasting.seqmodel'), text);
    // The file the runs came from is open, so the table can name it.
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'forecasting.seqmodel')));
    const runsDir = path.join(folder, '.seqmodel', 'runs');
    for (const [i, learningRate] of [0.01, 0.001].entries()) {
      const meta: RunMeta = {
        status: 'done',
        model: 'forecaster',
        data: 'wave',
        settings: { optimizer: { name: 'adam', args: { learning_rate: learningRate } }, loss: 'mse', metrics: ['mae'], epochs: 3, batchSize: 32, validationSplit: 0.2, shuffle: true, seed: 1 },
        backend: 'cpu',
        seconds: 1.5 + i,
        epochs: 3,
        samples: { train: 384, validation: 96 },
        params: 4385,
        startedAt: `2026-11-22T0${i}:00:00.000Z`,
        finishedAt: `2026-11-22T0${i}:00:02.000Z`,
        versions: {},
      };
      runPaths.push(await saveRun({ runsDir, record: { meta, history: { loss: [1, 0.5, 0.2 + i], val_loss: [1, 0.6, 0.3] }, predictions: [] }, date: new Date(meta.finishedAt) }));
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('compares the runs selected in a tree view (clicked item, selected items) in the table panel', async () => {
    const clicked = { runDir: runPaths[0], contextValue: 'run' };
    const selected = [clicked, { resourceUri: vscode.Uri.file(runPaths[1]), contextValue: 'run.pinned' }];
    const compared = await vscode.commands.executeCommand<Compared[]>('seqmodel.compareRunsTable', clicked, selected);
    assert.deepEqual(compared?.map((r) => r.path), runPaths);
    assert.deepEqual(compared.map((r) => r.meta.settings.optimizer.args.learning_rate), [0.01, 0.001]);
    assert.ok(compared.every((r) => r.file?.endsWith('forecasting.seqmodel')), `files: ${compared.map((r) => r.file)}`);
    await eventually(() => hasPanel('seqmodel.compare'), Boolean, 'the comparison panel tab');
  });

  it('takes paths too, and refuses a folder that is not a run without throwing', async () => {
    const one = await vscode.commands.executeCommand<Compared[]>('seqmodel.compareRunsTable', runPaths[1]);
    assert.deepEqual(one?.map((r) => r.path), [runPaths[1]]);
    assert.equal(await vscode.commands.executeCommand('seqmodel.compareRunsTable', folder), undefined);
  });

  it('creates a model file from a template that the language server finds clean, with inlay hints', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('seqmodel.newModelFile', 'classification', { untitled: true });
    assert.ok(editor, 'an editor');
    const document = editor.document;
    assert.equal(document.languageId, 'seqmodel');
    // A named unsaved document (never a reused "Untitled-N"), so Save proposes the template's name.
    assert.equal(document.isUntitled, true);
    assert.match(path.posix.basename(document.uri.path), /^classification(-\d+)?\.seqmodel$/);
    assert.equal(document.getText(), modelTemplate('classification')!.content);
    // The cursor is on the first layer, where a hover explains it.
    assert.match(document.lineAt(editor.selection.active.line).text, /^\s+GRU\(32\)/);
    const range = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await eventually(
      () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, range),
      (h) => (h ?? []).length > 0,
      'inlay hints',
    );
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(labels.some((l) => /4,224 params/.test(l)), `hints: ${labels.join(' | ')}`);
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('writes the file into the workspace folder under a free name, never over another', async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(workspace, 'the test workspace is a folder');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const created: string[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const editor = await vscode.commands.executeCommand<vscode.TextEditor>('seqmodel.newModelFile', 'text');
        created.push(editor.document.uri.fsPath);
        assert.equal(editor.document.isUntitled, false);
      }
      assert.deepEqual(created.map((f) => path.basename(f)), ['text.seqmodel', 'text-2.seqmodel']);
      assert.ok(created.every((f) => path.dirname(f) === workspace.fsPath && existsSync(f)));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of created) rmSync(f, { force: true });
    }
  });

  it('opens the Getting Started walkthrough', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('seqmodel.gettingStarted');
    const tab = await eventually(() => vscode.window.tabGroups.activeTabGroup.activeTab, (t) => t !== undefined, 'the walkthrough tab');
    assert.match(tab!.label, /Welcome|Walkthrough|SeqModel/i, `active tab: ${tab!.label}`);
  });
});
