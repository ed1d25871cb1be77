import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { activateRunsView } from './runs/runsCommands';
import type { RunsTreeProvider } from './runs/runsView';
import { registerCommands } from './commands';
import { registerPastedKeras } from './importKeras/pastedKeras';
import { ModelStatusBar } from './statusBar';
import { SUMMARY_SCHEME, SummaryProvider } from './summary';
import { activateTraining } from './training/trainingCommands';
import type { TrainingController } from './training/trainingController';

// Activated by opening a .seqmodel file or running one of the extension's commands
// (package.json activationEvents). Activation only starts the language client and registers
// commands; the time it takes is logged so it can be watched.

let client: LanguageClient | undefined;

export interface SeqModelApi {
  client: LanguageClient;
  statusBar: ModelStatusBar;
  activationMs: number;
  training: TrainingController;
  runs: RunsTreeProvider;
}

export async function activate(context: vscode.ExtensionContext): Promise<SeqModelApi> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('SeqModel', { log: true });
  context.subscriptions.push(output);
  client = createClient(context);
  const training = activateTraining(context, output);
  const runs = activateRunsView({ context, output }, training);
  registerCommands({ context });
  context.subscriptions.push(registerPastedKeras());
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, new SummaryProvider()));
  const statusBar = new ModelStatusBar();
  context.subscriptions.push(statusBar);
  await client.start();
  statusBar.schedule();
  const activationMs = performance.now() - started;
  output.info(`SeqModel activated in ${activationMs.toFixed(0)} ms (language server started).`);
  return { client, statusBar, activationMs, training, runs };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
