import * as vscode from 'vscode';
import { formatValues } from '../../language';
import { listRuns, loadRun, type SavedRun } from '../../training/runStore';
import { runPrediction } from '../../training/predictRunner';
import type { NestedNumbers } from '../../training/protocol';
import type { PanelHostDeps } from '../panels/panelHost';
import { PredictionPanel } from '../panels/predictionPanel';
import { shortTime } from './runRecords';
import { predictionsMessage } from './predictionsView';
import { runtimePaths } from './runtimePaths';
import { targetModel } from './targetModel';
import { runsDirOf } from '../../training/trainPlan';
import { trainingSettings } from './trainingSettings';
import { validateSequence } from './predictInput';
import { requireTrust } from './workspaceTrust';
import * as path from 'node:path';

// Predict: asks for one input sequence, checks it against the model's input shape as it is
// typed, and runs the trained model of the model's latest saved run in a short-lived process
// (training/predictWorker.ts): tfjs never loads in the extension host. The answer goes to the
// output channel, a notification and the prediction panel.

export interface PredictArgs {
  /** The sequence as the user would type it; skips the input box (tests, keybindings). */
  input?: string;
  /** Predict with this saved run (the Runs view's "Predict with This Run") rather than the model's latest. */
  runPath?: string;
}

export async function predictCommand(deps: PanelHostDeps, uriArg?: unknown, modelArg?: unknown, argsArg?: unknown): Promise<NestedNumbers | undefined> {
  if (!(await requireTrust('Predict'))) return undefined;
  const target = await targetModel(uriArg, modelArg, { placeHolder: 'Predict with which model?' });
  if (!target) return undefined;
  const { document, model, analysis } = target;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(document.uri.fsPath);
  const args = (typeof argsArg === 'object' && argsArg !== null ? argsArg : {}) as PredictArgs;
  const run =
    typeof args.runPath === 'string'
      ? await loadRun(args.runPath).catch(() => undefined)
      : (await listRuns(runsDirOf(folder), model.name).catch(() => [] as SavedRun[])).find((r) => r.hasModel);
  if (typeof args.runPath === 'string' && (!run?.hasModel || run.meta.model !== model.name)) {
    void vscode.window.showErrorMessage(`SeqModel: ${args.runPath} holds no trained model of '${model.name}' (a failed run, another model's, or not a run) to predict with.`);
    return undefined;
  }
  if (!run) {
    const train = 'Train Model';
    // Not awaited: the message settles only when dismissed, and the command should return.
    void vscode.window.showInformationMessage(`SeqModel: '${model.name}' has no trained run yet under .seqmodel/runs. Train it first.`, train).then((choice) => {
      if (choice === train) void vscode.commands.executeCommand('seqmodel.train', document.uri.toString(), model.name);
    });
    return undefined;
  }

  const example = analysis.predicts.find((p) => p.model === model.name)?.input;
  const text =
    args.input ??
    (await vscode.window.showInputBox({
      title: `Predict with ${model.name} (run of ${shortTime(run.meta.finishedAt)})`,
      prompt: `A sequence for input shape ${model.inputShape ? `(${model.inputShape.slice(1).map((d) => d ?? 'None').join(', ')})` : 'unknown'}: 70, 80, 90 for one value per step, [[1, 0], [0, 1]] for several.`,
      value: example ? JSON.stringify(example.every((r) => r.length === 1) ? example.map((r) => r[0]) : example) : '',
      validateInput: (value) => {
        const result = validateSequence(value, model);
        return result.ok ? null : result.message;
      },
    }));
  if (text === undefined) return undefined;
  const parsed = validateSequence(text, model);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`SeqModel: ${parsed.message}`);
    return undefined;
  }

  const reply = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `SeqModel: predicting with ${model.name}…` },
    () => runPrediction({ runPath: run.path, input: parsed.input, backend: trainingSettings(document.uri).backend }, { workerPath: runtimePaths(deps.context.extensionUri).predictWorker }),
  );
  if (reply.type === 'error') {
    deps.output.error(`predict ${model.name} ${JSON.stringify(parsed.input)}: ${reply.message}`);
    void vscode.window.showErrorMessage(`SeqModel: the prediction failed: ${reply.message}`);
    return undefined;
  }
  deps.output.info(`predict ${model.name} ${JSON.stringify(parsed.input)} → ${JSON.stringify(reply.output)} (run ${run.id}, ${reply.backend} backend)`);
  const data = analysis.data.find((d) => d.name === run.meta.data);
  if (data) {
    const message = predictionsMessage({ modelName: model.name, spec: data.spec, predictions: [{ input: parsed.input, output: reply.output }] });
    if (message) PredictionPanel.show(deps).showPredictions(message);
  }
  void vscode.window.showInformationMessage(`SeqModel: ${model.name} predicts ${formatOutput(reply.output)}`);
  return reply.output ?? undefined;
}

function formatOutput(output: NestedNumbers | null): string {
  return output === null ? 'nothing' : formatValues(output);
}
