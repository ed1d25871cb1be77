// Entry point of dist/playground/train.worker.js: one training run in a Web Worker of the
// playground page, with the worker process's own TrainingSession (the same model building, data
// sources, fitting, predictions and evaluation). Only the backend (browserBackend.ts) and where
// `csv(...)` files come from (the page passes the text of files the user chose) differ.
import { initBrowserBackend } from './browserBackend';
import { isBrowserParentMessage, type BrowserStartMessage } from './browserProtocol';
import { csvSeriesFromLines } from './data/csv';
import { DataError } from './data/errors';
import { loadData } from './data/load';
import type { WorkerMessage } from './protocol';
import { TrainingSession } from './trainSession';

// tsconfig's lib is DOM (not WebWorker): a worker's global as far as this file uses it.
declare const self: {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (e: PromiseRejectionEvent) => void): void;
};

const post = (message: WorkerMessage) => self.postMessage(message);
let session: TrainingSession | null = null;
let finished = false;

function finish(message: WorkerMessage): void {
  if (finished) return;
  finished = true;
  post(message);
}

function sessionFor(message: BrowserStartMessage): TrainingSession {
  return new TrainingSession(message.start, post, {
    initBackend: () => initBrowserBackend(message.wasmBase),
    loadData: (spec, access) =>
      loadData(spec, access, async (csv, _access, labels) => {
        const text = message.files[csv.path];
        if (text === undefined) throw new DataError(`The data file "${csv.path}" was not given to the page: choose it with "Data files…" or drop it on the page.`, csv.path);
        return csvSeriesFromLines(csv, text.split(/\r?\n/), csv.path, undefined, labels);
      }),
  });
}

self.addEventListener('message', (event) => {
  const message: unknown = event.data;
  if (!isBrowserParentMessage(message)) return;
  if (message.type === 'stop') {
    if (session) session.requestStop();
    else finish({ type: 'stopped', history: {}, epochs: 0, seconds: 0 });
    return;
  }
  if (session) return; // One run per worker, as per process.
  session = sessionFor(message);
  void session.run().then(finish);
});

const failed = (error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  finish({ type: 'error', kind: 'internal', message: `The training worker failed: ${text}` });
};
self.addEventListener('error', (e) => failed(e.error ?? e.message));
self.addEventListener('unhandledrejection', (e) => failed(e.reason));
