import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { logError } from './safe';
import { listen } from './startServer';

// Entry point of dist/playground/server.js: the same language server in a Web Worker of the
// playground page, speaking LSP over postMessage (monaco-editor's LSP client is the other end).

// tsconfig's lib is DOM (not WebWorker): a worker's global as far as this file uses it.
declare const self: {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (e: PromiseRejectionEvent) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
};

const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self));
// As in the Node server: a bug must not end the worker, and with it every editor feature.
self.addEventListener('error', (e) => {
  logError('uncaught exception', e.error ?? e.message);
  e.preventDefault();
});
self.addEventListener('unhandledrejection', (e) => {
  logError('unhandled rejection', e.reason);
  e.preventDefault();
});
listen(connection);
