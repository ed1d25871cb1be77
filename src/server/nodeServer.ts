import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { logError } from './safe';
import { waitForAnswers } from './slices';
import { listen } from './startServer';

// The language server in a Node process: the extension's (IPC) or any LSP editor's (stdio).

export type Transport = 'stdio' | 'ipc';

export function startServer(transport: Transport): Connection {
  const connection =
    transport === 'ipc'
      ? createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process))
      : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // Node writes to a stdout pipe asynchronously: what it has not taken yet is still an answer
  // being written. (The IPC channel offers no such count; over IPC background work does not wait.)
  if (transport === 'stdio') waitForAnswers(() => process.stdout.writableLength > 0);
  // A bug anywhere must not take the server down with the user's editor session.
  process.on('uncaughtException', (e) => logError('uncaught exception', e));
  process.on('unhandledRejection', (e) => logError('unhandled rejection', e));
  listen(connection);
  return connection;
}
