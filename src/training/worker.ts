// The training worker: a Node process of its own (child_process.fork), so that a native crash
// in a backend, or running out of memory, ends this process and not the editor's extension
// host or language server. It receives one `start` message, streams progress, sends one final
// message (done | error | stopped) and exits. See protocol.ts and runner.ts (the parent side).

import { isParentMessage, type WorkerMessage } from './protocol';
import { TrainingSession } from './trainSession';

function send(message: WorkerMessage, callback?: () => void): void {
  if (!process.send || !process.connected) {
    callback?.();
    return;
  }
  process.send(message, undefined, {}, (err) => {
    // A parent that has gone away cannot be told anything more.
    if (err) process.exit(0);
    callback?.();
  });
}

function finish(message: WorkerMessage, code: number): void {
  // Exit only once the final message is handed to the channel: exiting earlier can lose it.
  send(message, () => process.exit(code));
}

function main(): void {
  if (!process.send) {
    process.stderr.write('The SeqModel training worker runs under the editor or the CLI (child_process.fork), not on its own.\n');
    process.exit(2);
  }
  let session: TrainingSession | null = null;

  process.on('message', (raw: unknown) => {
    if (!isParentMessage(raw)) return;
    if (raw.type === 'stop') {
      if (session) session.requestStop();
      else finish({ type: 'stopped', history: {}, epochs: 0, seconds: 0 }, 0);
      return;
    }
    if (session) return; // One run per process.
    session = new TrainingSession(raw, (m) => send(m));
    void session.run().then((final) => finish(final, 0));
  });

  // The editor closed or the parent died: nobody is listening, stop at once.
  process.on('disconnect', () => process.exit(0));

  // Ctrl-C in a terminal signals the whole process group, this worker included: leave it to the
  // parent (the CLI), which asks for a stop, so that the run ends between batches and is saved.
  // A parent that dies instead disconnects, which ends this process above.
  process.on('SIGINT', () => undefined);

  process.on('uncaughtException', (err) => {
    finish({ type: 'error', kind: 'internal', message: `The training worker failed: ${err.stack ?? err.message}` }, 1);
  });
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    finish({ type: 'error', kind: 'internal', message: `The training worker failed: ${message}` }, 1);
  });
}

main();
