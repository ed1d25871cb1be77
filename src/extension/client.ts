import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ENGINE_V8_FLAGS, engineEnv } from '../server/engineProcess';

// The language client: runs dist/server.js in a Node process over IPC. The client id
// `seqmodel` makes vscode-languageclient read the `seqmodel.trace.server` setting.

export function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...ENGINE_V8_FLAGS], env: engineEnv() } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...ENGINE_V8_FLAGS, '--nolazy', '--inspect=6019'], env: engineEnv() } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'seqmodel' },
      { scheme: 'untitled', language: 'seqmodel' },
      { scheme: 'vscode-remote', language: 'seqmodel' },
    ],
    // The server pulls the `seqmodel` section; this makes the client notify it of changes.
    synchronize: { configurationSection: 'seqmodel' },
    // VS Code colours the file with this extension's grammar and lays the semantic tokens over
    // it, so the server leaves out the tokens the grammar colours itself (keywords, numbers,
    // strings, comments): half the tokens of a realistic file (src/server/semanticTokens.ts).
    initializationOptions: { grammar: true },
  };
  return new LanguageClient('seqmodel', 'SeqModel Language Server', serverOptions, clientOptions);
}
