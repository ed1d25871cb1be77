import * as vscode from 'vscode';
import type { CommandHandler } from '../commands';
import { registerPanelSerializers } from '../panels/serializers';
import type { PanelHostDeps } from '../panels/panelHost';
import { exportKerasCommand } from './exportKerasCommand';
import { PredictionPanel } from '../panels/predictionPanel';
import { compareRunsCommand } from './compareRunsCommand';
import { openRunCommand } from './openRunCommand';
import { predictCommand } from './predictCommand';
import { showSummaryPanelCommand } from './summaryPanelCommand';
import { stopTrainingCommand, trainAllCommand, trainModelCommand } from './trainCommands';
import { TrainingController } from './trainingController';

// The training commands' rows of the extension's command table (commands.ts), and what they
// share: the output channel, the one training controller and the panels' serializers, set up
// once by activateTraining() during activation.

interface TrainingServices extends PanelHostDeps {
  controller: TrainingController;
}

let services: TrainingServices | undefined;

export function activateTraining(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): TrainingController {
  const deps: PanelHostDeps = { context, output };
  const controller = new TrainingController(deps);
  services = { ...deps, controller };
  context.subscriptions.push(controller, { dispose: () => (services = undefined) });
  registerPanelSerializers(deps);
  void vscode.commands.executeCommand('setContext', 'seqmodel.trainingActive', false);
  return controller;
}

/** The latest run's (or Predict's) predictions in the prediction panel. */
function showPredictionsCommand(deps: PanelHostDeps): boolean {
  const shown = PredictionPanel.showLatest(deps);
  if (!shown) void vscode.window.showInformationMessage('SeqModel: no predictions yet. Train a model, or open a saved run.');
  return shown;
}

function need(): TrainingServices {
  if (!services) throw new Error('SeqModel training is not initialised (activateTraining was not called).');
  return services;
}

export const TRAINING_COMMANDS: Record<string, CommandHandler> = {
  'seqmodel.train': (_deps, uri, model, options) => trainModelCommand(need().controller, uri, model, options),
  'seqmodel.trainAll': (_deps, uri, options) => trainAllCommand(need().controller, uri, options),
  'seqmodel.stopTraining': () => stopTrainingCommand(need().controller),
  'seqmodel.predict': (_deps, uri, model, args) => predictCommand(need(), uri, model, args),
  'seqmodel.showSummaryPanel': (_deps, uri, model) => showSummaryPanelCommand(need(), uri, model),
  'seqmodel.exportKeras': (_deps, uri, model) => exportKerasCommand(uri, model),
  'seqmodel.openRun': (_deps, runPath) => openRunCommand(need(), runPath),
  'seqmodel.showPredictions': () => showPredictionsCommand(need()),
  'seqmodel.compareRunsTable': (_deps, ...args) => compareRunsCommand(need(), args),
};
