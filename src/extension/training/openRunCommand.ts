import * as vscode from 'vscode';
import { analyze, formatValue, type ModelInfo } from '../../language';
import * as path from 'node:path';
import { listRuns, loadRun, type SavedRun } from '../../training/runStore';
import { LossPanel } from '../panels/lossPanel';
import type { PanelHostDeps } from '../panels/panelHost';
import { PredictionPanel } from '../panels/predictionPanel';
import { readEvaluation } from './evaluationFile';
import { predictionsMessage } from './predictionsView';
import { savedRunRecord, shortTime } from './runRecords';
import { runsDirOf } from '../../training/trainPlan';

// Open run: a saved run under <workspace>/.seqmodel/runs/, picked from a list (newest first),
// shown in the loss panel (its history) and the prediction panel (its predictions). Reading
// JSON records runs nothing, so this works in untrusted workspaces too.

export async function openRunCommand(deps: PanelHostDeps, runPathArg?: unknown): Promise<SavedRun | undefined> {
  // A run named by the caller (tests, links) is opened directly.
  const direct = typeof runPathArg === 'string' ? await loadRun(runPathArg).catch(() => undefined) : undefined;
  const runs: SavedRun[] = direct ? [direct] : [];
  if (!direct) {
    // Workspace folders, and the folders of open .seqmodel files outside any (training saves
    // their runs beside them).
    const roots = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId === 'seqmodel' && d.uri.scheme === 'file' && !vscode.workspace.getWorkspaceFolder(d.uri)) roots.add(path.dirname(d.uri.fsPath));
    }
    const skipped = (folder: string, why: string) => deps.output.warn(`Open Run: skipped ${folder}: ${why}.`);
    for (const root of roots) runs.push(...(await listRuns(runsDirOf(root), undefined, skipped).catch(() => [])));
    runs.sort((a, b) => (a.meta.finishedAt < b.meta.finishedAt ? 1 : -1));
  }
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('SeqModel: no saved runs yet. Training saves each run under .seqmodel/runs/ in the workspace.');
    return undefined;
  }
  let run = direct;
  if (!run) {
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: `${r.meta.model}`,
        description: `${shortTime(r.meta.finishedAt)}${r.status === 'done' ? '' : ` · ${r.status}`}`,
        detail: `${r.status === 'failed' ? `failed (${r.meta.error?.kind ?? 'error'}), no model; ` : ''}${r.meta.epochs}/${r.meta.settings.epochs} epochs on ${r.meta.data}, ${r.meta.backend} backend, final loss ${last(r.history.loss)}${r.history.val_loss ? `, val_loss ${last(r.history.val_loss)}` : ''}`,
        run: r,
      })),
      { placeHolder: 'Open which run?', matchOnDescription: true },
    );
    run = pick?.run;
  }
  if (!run) return undefined;

  const found = await findModel(run.meta.model, run.meta.data);
  LossPanel.show(deps).loadRuns([savedRunRecord(run, found?.model)], true);
  const evaluation = await readEvaluation(run.path);
  const data = found?.data.find((d) => d.name === run.meta.data);
  if (data) {
    const message = predictionsMessage({ modelName: run.meta.model, runId: `${run.meta.model}/${run.id}`, spec: data.spec, predictions: run.predictions, evaluation });
    if (message && !PredictionPanel.offer(message)) {
      const show = 'Show Predictions';
      void vscode.window.showInformationMessage(`SeqModel: run ${run.meta.model} ${shortTime(run.meta.finishedAt)} is in the loss panel.`, show).then((choice) => {
        if (choice === show) PredictionPanel.showLatest(deps);
      });
    }
  } else if (run.predictions.length > 0 || evaluation) {
    deps.output.info(`Run ${run.path}: its data '${run.meta.data}' is not in an open .seqmodel document, so its predictions are not shown.`);
  }
  deps.output.info(`Opened run ${run.path}`);
  return run;
}

function last(values: number[] | undefined): string {
  const v = values?.[values.length - 1];
  return formatValue(v);
}

/**
 * The model (and the file's data) a run was trained from: looked up in the open .seqmodel
 * documents first, then in the workspace's .seqmodel files.
 */
async function findModel(name: string, dataName: string): Promise<{ model: ModelInfo; data: ReturnType<typeof analyze>['data'] } | undefined> {
  const open = vscode.workspace.textDocuments.filter((d) => d.languageId === 'seqmodel');
  const files = await vscode.workspace.findFiles('**/*.seqmodel', '**/node_modules/**', 50);
  const docs = [...open.map((d) => d.getText())];
  for (const uri of files) {
    if (open.some((d) => d.uri.toString() === uri.toString())) continue;
    docs.push(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  }
  // Several files may define a model of that name (lstm): prefer the one with the run's data.
  let fallback: { model: ModelInfo; data: ReturnType<typeof analyze>['data'] } | undefined;
  for (const text of docs) {
    const analysis = analyze(text);
    const model = analysis.models.find((m) => m.name === name);
    if (!model) continue;
    if (analysis.trains.some((t) => t.data === dataName && t.models.includes(name))) return { model, data: analysis.data };
    fallback ??= { model, data: analysis.data };
  }
  return fallback;
}
