import * as vscode from 'vscode';
import { loadRun, type SavedRun } from '../../training/runStore';
import { LossPanel } from '../panels/lossPanel';
import type { PanelHostDeps } from '../panels/panelHost';
import { PredictionPanel } from '../panels/predictionPanel';
import { readEvaluation } from './evaluationFile';
import { predictionsMessage } from './predictionsView';
import { savedRunRecord, shortTime } from './runRecords';
import { findRunSource, findRunSources, runPickItem, workspaceRuns } from './savedRuns';
import type { PredictionsMessage } from '../../../webview/protocol';

// Open run: a saved run under <workspace>/.seqmodel/runs/, picked from a list (newest first),
// shown in the loss panel (its history) and the prediction panel (its predictions). Reading
// JSON records runs nothing, so this works in untrusted workspaces too.

export async function openRunCommand(deps: PanelHostDeps, runPathArg?: unknown): Promise<SavedRun | undefined> {
  // A run named by the caller (tests, links, the Runs view) is opened directly.
  const direct = typeof runPathArg === 'string' ? await loadRun(runPathArg).catch(() => undefined) : undefined;
  const runs: SavedRun[] = direct ? [direct] : await workspaceRuns(deps, 'Open Run');
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('SeqModel: no saved runs yet. Training saves each run under .seqmodel/runs/ in the workspace.');
    return undefined;
  }
  let run = direct;
  if (!run) {
    const pick = await vscode.window.showQuickPick(
      runs.map(runPickItem),
      { placeHolder: 'Open which run?', matchOnDescription: true },
    );
    run = pick?.run;
  }
  if (!run) return undefined;

  await showRunsInLossPanel(deps, [run]);
  const message = await runPredictions(deps, run);
  if (message && !PredictionPanel.offer(message)) {
    const show = 'Show Predictions';
    void vscode.window.showInformationMessage(`SeqModel: run ${run.meta.model} ${shortTime(run.meta.finishedAt)} is in the loss panel.`, show).then((choice) => {
      if (choice === show) PredictionPanel.showLatest(deps);
    });
  }
  deps.output.info(`Opened run ${run.path}`);
  return run;
}

/** Saved runs in the loss panel, replacing what it showed: one run, or several overlaid to compare. */
export async function showRunsInLossPanel(deps: PanelHostDeps, runs: readonly SavedRun[]): Promise<void> {
  const sources = await findRunSources(runs.map((r) => ({ model: r.meta.model, data: r.meta.data })));
  LossPanel.show(deps).loadRuns(
    runs.map((run, i) => savedRunRecord(run, sources[i]?.model)),
    true,
  );
}

/**
 * A saved run's predictions as the prediction panel shows them, or undefined when it has none
 * or its data is in no .seqmodel file at hand (the panel needs the data's description).
 */
export async function runPredictions(deps: PanelHostDeps, run: SavedRun): Promise<PredictionsMessage | undefined> {
  const found = await findRunSource(run.meta.model, run.meta.data);
  const evaluation = await readEvaluation(run.path);
  const data = found?.data.find((d) => d.name === run.meta.data);
  if (!data) {
    if (run.predictions.length > 0 || evaluation) deps.output.info(`Run ${run.path}: its data '${run.meta.data}' is not in an open .seqmodel document, so its predictions are not shown.`);
    return undefined;
  }
  return predictionsMessage({ modelName: run.meta.model, runId: `${run.meta.model}/${run.id}`, spec: data.spec, predictions: run.predictions, evaluation }) ?? undefined;
}
