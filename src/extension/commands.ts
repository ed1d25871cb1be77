import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { showSummary } from './summary';

// Every command of the extension is registered here, in one table: add a command by adding
// a line (its id must also be listed in package.json's contributes.commands). Handlers take
// the arguments code lenses pass: the document URI (a string) and the model name.

export interface CommandDeps {
  context: vscode.ExtensionContext;
  client: LanguageClient;
}

export type CommandHandler = (deps: CommandDeps, ...args: unknown[]) => unknown;

export const COMMANDS: Record<string, CommandHandler> = {
  'seqmodel.showSummary': ({ client }, uri, model) => showSummary(client, uri, model),
  // Replaced by the training panel's command (src/extension/training/) when it lands.
  // Not awaited: the message's promise settles only when the user dismisses it.
  'seqmodel.train': (_deps, _uri, model) => {
    void vscode.window.showInformationMessage(`Training${typeof model === 'string' ? ` ${model}` : ''} comes with the training panel, which is not part of this build yet.`);
  },
};

export function registerCommands(deps: CommandDeps): void {
  for (const [id, handler] of Object.entries(COMMANDS)) {
    deps.context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(deps, ...args)));
  }
}
