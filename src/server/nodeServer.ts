import { createConnection, IPCMessageReader, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { IdleCollection } from './idleCollection';
import { CountingIpcWriter } from './ipcWriter';
import { logError } from './safe';
import { waitForAnswers } from './slices';
import { stdioWriter } from './stdioWriter';
import { listen } from './startServer';

// The language server in a Node process: the extension's (IPC) or any LSP editor's (stdio).

export type Transport = 'stdio' | 'ipc';

export function startServer(transport: Transport): Connection {
  let connection: Connection;
  // Node writes to a pipe asynchronously: while it has not taken all of an answer, background
  // work waits (slices.ts). Over stdio that is the stream's unwritten length; over IPC the
  // writer counts the messages the channel has not written yet (ipcWriter.ts).
  if (transport === 'ipc') {
    const writer = new CountingIpcWriter(process);
    connection = createConnection(ProposedFeatures.all, new IPCMessageReader(process), writer);
    waitForAnswers(() => writer.unsent > 0);
  } else {
    // stdin as a stream (the library then exits when the client closes it); the writer ours (stdioWriter.ts).
    connection = createConnection(ProposedFeatures.all, process.stdin, stdioWriter(process.stdout) as unknown as NodeJS.WritableStream);
    waitForAnswers(() => process.stdout.writableLength > 0);
  }
  // Node runs the server with --expose-gc (engineProcess.ts): the heap a burst of big analyses left
  // is given back in the quiet after it, and a megabyte replaced is analysed after a collection (documents.ts).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    const idle = new IdleCollection(gc);
    if (transport === 'ipc') process.on('message', () => idle.activity());
    else process.stdin.on('data', () => idle.activity());
  }
  // A bug anywhere must not take the server down with the user's editor session.
  process.on('uncaughtException', (e) => logError('uncaught exception', e));
  process.on('unhandledRejection', (e) => logError('unhandled rejection', e));
  listen(connection, gc);
  return connection;
}
