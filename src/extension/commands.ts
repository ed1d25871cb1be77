import * as vscode from 'vscode';
import { importKerasCommand } from './importKeras/importCommand';
import { newModelFileCommand, showLayerHoverCommand } from './newModel/newModelFileCommand';
import { WALKTHROUGH_ID } from './newModel/walkthroughId';
import { RUNS_COMMANDS } from './runs/runsCommands';
import { showSummary } from './summary';
import { TRAINING_COMMANDS } from './training/trainingCommands';

// Every command of the extension is registered here, in one table: add a command by adding
// a line (its id must also be listed in package.json's contributes.commands). Handlers take
// the arguments code lenses pass: the document URI (a string) and the model name.

export interface CommandDeps {
  context: vscode.ExtensionContext;
}

export type CommandHandler = (deps: CommandDeps, ...args: unknown[]) => unknown;

export const COMMANDS: Record<string, CommandHandler> = {
  'seqmodel.showSummary': (_deps, uri, model) => showSummary(uri, model),
  'seqmodel.importKeras': (_deps, uri) => importKerasCommand(uri),
  'seqmodel.newModelFile': (_deps, template, options) => newModelFileCommand(template, options),
  'seqmodel.showLayerHover': () => showLayerHoverCommand(),
  'seqmodel.gettingStarted': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
  // Train, Train all, Stop, Predict, Summary panel, Export to Keras, Open run.
  ...TRAINING_COMMANDS,
  // The Runs view's actions.
  ...RUNS_COMMANDS,
};

export function registerCommands(deps: CommandDeps): void {
  for (const [id, handler] of Object.entries(COMMANDS)) {
    deps.context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(deps, ...args)));
  }
}
