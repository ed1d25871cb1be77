import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsToPrune, DEFAULT_KEEP_PER_MODEL } from '../../training/runRetention';
import { loadRun, type SavedRun, scanRuns, setPinned } from '../../training/runStore';
import type { CommandHandler } from '../commands';
import { LossPanel } from '../panels/lossPanel';
import type { PanelHostDeps } from '../panels/panelHost';
import { PredictionPanel } from '../panels/predictionPanel';
import { runPredictions, showRunsInLossPanel } from '../training/openRunCommand';
import type { TrainingController } from '../training/trainingController';
import type { RunsNode } from './runsTree';
import { RUNS_VIEW_ID, RunsTreeProvider } from './runsView';

// The Runs view's commands (inline and context menu actions, package.json menus) and run
// retention. Viewing, opening, comparing, pinning and deleting runs read and remove files
// only, so they work in Restricted Mode; Predict goes through seqmodel.predict, which is
// disabled there.

interface RunsServices extends PanelHostDeps {
  provider: RunsTreeProvider;
  view: vscode.TreeView<RunsNode>;
}

let services: RunsServices | undefined;

export function activateRunsView(deps: PanelHostDeps, controller: TrainingController): RunsTreeProvider {
  const provider = new RunsTreeProvider(controller, deps.output);
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  services = { ...deps, provider, view };
  deps.context.subscriptions.push(provider, view, controller.onRunSaved(async (runPath) => void (await applyRetention(deps.output, runPath))), { dispose: () => (services = undefined) });
  return provider;
}

function need(): RunsServices {
  if (!services) throw new Error('The SeqModel Runs view is not initialised (activateRunsView was not called).');
  return services;
}

/**
 * The nodes a command acts on. VS Code passes (clicked node, every selected node) from a
 * menu, nothing from the palette or the view's title: then the view's selection.
 */
function targets(node: unknown, selected: unknown): RunsNode[] {
  if (Array.isArray(selected) && selected.length > 0) return selected as RunsNode[];
  if (node && typeof node === 'object' && 'kind' in node) return [node as RunsNode];
  return [...(services?.view.selection ?? [])];
}

/** The saved runs among the nodes, read afresh (a node may be older than its folder). */
async function savedRuns(nodes: readonly RunsNode[]): Promise<SavedRun[]> {
  const runs: SavedRun[] = [];
  for (const n of nodes) {
    if (n.kind !== 'run' || !n.runDir) continue;
    const run = await loadRun(n.runDir).catch(() => undefined);
    if (run) runs.push(run);
  }
  return runs;
}

async function openLoss(node: unknown, selected: unknown): Promise<number> {
  const nodes = targets(node, selected);
  const runs = await savedRuns(nodes);
  if (runs.length > 0) await showRunsInLossPanel(need(), runs);
  // The run in progress is drawn live in the loss panel already: bring it to the front.
  else if (nodes.some((n) => n.kind === 'run' && n.contextValue === 'run.running')) LossPanel.show(need());
  return runs.length;
}

async function compare(node: unknown, selected: unknown): Promise<number> {
  const runs = await savedRuns(targets(node, selected));
  if (runs.length < 2) {
    void vscode.window.showInformationMessage('SeqModel: select two or more saved runs in the Runs view (Ctrl/Cmd+click) to compare them in one loss chart.');
    if (runs.length === 0) return 0;
  }
  await showRunsInLossPanel(need(), runs);
  need().output.info(`Comparing ${runs.length} runs: ${runs.map((r) => r.path).join(', ')}`);
  return runs.length;
}

async function openPredictions(node: unknown): Promise<boolean> {
  const [run] = await savedRuns(targets(node, undefined));
  if (!run) return false;
  const message = await runPredictions(need(), run);
  if (!message) {
    void vscode.window.showInformationMessage(`SeqModel: run ${run.meta.model} ${run.id} has no predictions to show (none were made, or its data '${run.meta.data}' is in no .seqmodel file here).`);
    return false;
  }
  const panel = PredictionPanel.show(need());
  panel.reveal(false);
  panel.showPredictions(message);
  return true;
}

/** Predict with the run's own trained model, in the file it was trained from when it says. */
async function predictWithRun(node: unknown, _selected: unknown, args?: unknown): Promise<unknown> {
  const [run] = await savedRuns(targets(node, undefined));
  if (!run) return undefined;
  // <root>/.seqmodel/runs/<model>/<id>: the source is relative to <root>. A file moved or
  // deleted since (or not recorded) leaves the choice to Predict: the active .seqmodel editor.
  const root = path.resolve(run.path, '..', '..', '..', '..');
  const source = run.meta.source ? path.join(root, ...run.meta.source.split('/')) : undefined;
  const uri = source && existsSync(source) ? vscode.Uri.file(source).toString() : undefined;
  const extra = typeof args === 'object' && args !== null ? args : {};
  return vscode.commands.executeCommand('seqmodel.predict', uri, run.meta.model, { ...extra, runPath: run.path });
}

async function reveal(node: unknown): Promise<void> {
  const [target] = targets(node, undefined);
  const folder = target?.kind === 'run' ? target.runDir : target?.kind === 'problem' ? target.folder : undefined;
  if (!folder) return;
  const uri = vscode.Uri.file(folder);
  // The Explorer shows only workspace folders; a run beside a file opened alone is shown by the OS.
  await vscode.commands.executeCommand(vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
}

async function pin(node: unknown, selected: unknown, pinned: boolean): Promise<number> {
  const runs = await savedRuns(targets(node, selected));
  for (const run of runs) await setPinned(run.path, pinned);
  await need().provider.rescan();
  return runs.length;
}

export interface DeleteOptions {
  /** The caller asked already (tests, other extensions): no confirmation, and no second question when the trash is unavailable. */
  confirmed?: boolean;
}

/** Deletes the selected runs (and broken run folders) after asking; to the trash where the platform has one. */
async function deleteRuns(node: unknown, selected: unknown, optionsArg?: unknown): Promise<number> {
  const options = (typeof optionsArg === 'object' && optionsArg !== null ? optionsArg : {}) as DeleteOptions;
  const folders = targets(node, selected).flatMap((n) => (n.kind === 'run' && n.runDir ? [n.runDir] : n.kind === 'problem' && n.contextValue === 'run.broken' ? [n.folder] : []));
  if (folders.length === 0) return 0;
  if (!options.confirmed) {
    const what = folders.length === 1 ? `the run ${path.basename(path.dirname(folders[0]))}/${path.basename(folders[0])}` : `${folders.length} runs`;
    const choice = await vscode.window.showWarningMessage(`Delete ${what}?`, { modal: true, detail: `Its history, predictions and trained model go to the trash where the platform has one.\n\n${folders.join('\n')}` }, 'Delete');
    if (choice !== 'Delete') return 0;
  }
  let permanent = false;
  let deleted = 0;
  for (const folder of folders) {
    const uri = vscode.Uri.file(folder);
    try {
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: !permanent });
    } catch (err) {
      if (permanent) throw err;
      need().output.warn(`Moving ${folder} to the trash failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!options.confirmed) {
        const choice = await vscode.window.showWarningMessage('The trash is not available here. Delete permanently?', { modal: true }, 'Delete Permanently');
        if (choice !== 'Delete Permanently') break;
      }
      permanent = true;
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
    }
    deleted++;
    need().output.info(`Deleted run ${folder}${permanent ? '' : ' (to the trash)'}`);
  }
  await need().provider.rescan();
  return deleted;
}

/**
 * After a run is saved: prunes the model's oldest unpinned runs beyond seqmodel.runs.keepPerModel
 * (0 keeps every run). Pruned runs are deleted outright, not trashed: the setting asks for
 * them to go, and a trash filling with every run would defeat it.
 */
export async function applyRetention(output: vscode.LogOutputChannel, runPath: string): Promise<string[]> {
  const keep = vscode.workspace.getConfiguration('seqmodel', vscode.Uri.file(runPath)).get<number>('runs.keepPerModel', DEFAULT_KEEP_PER_MODEL);
  const modelDir = path.dirname(runPath);
  const { runs } = await scanRuns(path.dirname(modelDir), path.basename(modelDir));
  const pruned: string[] = [];
  for (const run of runsToPrune(runs, keep)) {
    await vscode.workspace.fs.delete(vscode.Uri.file(run.path), { recursive: true, useTrash: false });
    pruned.push(run.path);
  }
  if (pruned.length > 0) output.info(`Retention (seqmodel.runs.keepPerModel = ${keep}): removed ${pruned.length} older run${pruned.length === 1 ? '' : 's'} of ${path.basename(modelDir)}: ${pruned.join(', ')}`);
  return pruned;
}

export const RUNS_COMMANDS: Record<string, CommandHandler> = {
  'seqmodel.runs.refresh': () => need().provider.rescan(),
  'seqmodel.runs.openLoss': (_deps, node, selected) => openLoss(node, selected),
  'seqmodel.runs.compare': (_deps, node, selected) => compare(node, selected),
  'seqmodel.runs.openPredictions': (_deps, node) => openPredictions(node),
  'seqmodel.runs.predict': (_deps, node, selected, args) => predictWithRun(node, selected, args),
  'seqmodel.runs.reveal': (_deps, node) => reveal(node),
  'seqmodel.runs.pin': (_deps, node, selected) => pin(node, selected, true),
  'seqmodel.runs.unpin': (_deps, node, selected) => pin(node, selected, false),
  'seqmodel.runs.delete': (_deps, node, selected, options) => deleteRuns(node, selected, options),
};
