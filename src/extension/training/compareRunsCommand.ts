import * as vscode from 'vscode';
import { loadRun, type SavedRun } from '../../training/runStore';
import type { ComparedRun } from '../../../webview/protocol';
import { ComparePanel } from '../panels/comparePanel';
import type { PanelHostDeps } from '../panels/panelHost';
import { runPathsOf } from './runArguments';
import { findRunSources, runPickItem, workspaceRuns } from './savedRuns';

// Compare Runs in a Table: the runs given (a tree view's selection, Uris, paths) or, from the
// palette, picked from every saved run; shown one row each in the comparison panel. Reading
// the records runs nothing, so this works in untrusted workspaces too.

export async function compareRunsCommand(deps: PanelHostDeps, args: readonly unknown[]): Promise<ComparedRun[] | undefined> {
  const given = runPathsOf(args);
  const runs = given.length > 0 ? await loadGiven(deps, given) : await pickRuns(deps);
  if (!runs || runs.length === 0) return undefined;
  const sources = await findRunSources(runs.map((r) => ({ model: r.meta.model, data: r.meta.data })));
  const compared = runs.map(
    (run, i): ComparedRun => ({
      path: run.path,
      id: run.id,
      file: sources[i] ? vscode.workspace.asRelativePath(sources[i]!.uri, false) : null,
      status: run.status,
      meta: run.meta,
      history: run.history,
    }),
  );
  ComparePanel.show(deps).showRuns(compared);
  return compared;
}

/** The given folders' runs; folders that are not runs are named in one message, not thrown. */
async function loadGiven(deps: PanelHostDeps, paths: string[]): Promise<SavedRun[]> {
  const loaded = await Promise.all(paths.map((p) => loadRun(p).catch((e: Error) => e)));
  const runs = loaded.filter((r): r is SavedRun => !(r instanceof Error));
  const failed: string[] = [];
  loaded.forEach((result, i) => {
    if (!(result instanceof Error)) return;
    failed.push(paths[i]);
    deps.output.warn(`Compare Runs: ${paths[i]} is not a saved run (${result.message}).`);
  });
  if (failed.length > 0) {
    const names = failed.map((p) => vscode.workspace.asRelativePath(p, false)).join(', ');
    const message = runs.length > 0 ? `SeqModel: left out ${failed.length} folder(s) that are not saved runs: ${names}.` : `SeqModel: nothing to compare: ${names} ${failed.length === 1 ? 'is not a saved run' : 'are not saved runs'}.`;
    void vscode.window.showWarningMessage(message);
  }
  return runs;
}

async function pickRuns(deps: PanelHostDeps): Promise<SavedRun[] | undefined> {
  const all = await workspaceRuns(deps, 'Compare Runs');
  if (all.length === 0) {
    void vscode.window.showInformationMessage('SeqModel: no saved runs yet. Training saves each run under .seqmodel/runs/ in the workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(all.map(runPickItem), {
    placeHolder: 'Compare which runs? (select several)',
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.map((p) => p.run);
}
