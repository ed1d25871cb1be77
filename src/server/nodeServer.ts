import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { logError } from './safe';
import { listen } from './startServer';

// The language server in a Node process: the extension's (IPC) or any LSP editor's (stdio).

export type Transport = 'stdio' | 'ipc';

export function startServer(transport: Transport): Connection {
  const connection =
    transport === 'ipc'
      ? createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process))
      : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // A bug anywhere must not take the server down with the user's editor session.
  process.on('uncaughtException', (e) => logError('uncaught exception', e));
  process.on('unhandledRejection', (e) => logError('unhandled rejection', e));
  listen(connection);
  return connection;
}
