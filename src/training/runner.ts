// The parent side of training: starts the worker process (dist/worker.js), relays its
// messages as events, stops it on request (killing it when it does not stop in time), and
// turns a worker that dies into an error that says why. No vscode import: the CLI uses it too.

import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { csvSeriesOf, type DataSpec } from '../language';
import { DataError } from './data/errors';
import { type OutsideConsent, resolveDataFile } from './data/fileAccess';
import {
  type BatchProgress,
  type DoneMessage,
  type EpochProgress,
  type ErrorMessage,
  type FinalMessage,
  type History,
  isFinalMessage,
  isWorkerMessage,
  unbatched,
  type ReadyMessage,
  type StartMessage,
  type StoppedMessage,
} from './protocol';

export interface RunnerOptions {
  /** The worker script; defaults to worker.js beside this bundle (dist/worker.js). */
  workerPath?: string;
  /** Extra Node flags for the worker (tests pass ['--import', 'tsx'] to run worker.ts). */
  execArgv?: string[];
  /** The Node (or Electron) binary; defaults to this process's. */
  execPath?: string;
  /** V8 heap limit of the worker in MB (--max-old-space-size). */
  maxOldSpaceSizeMb?: number;
  /** How long the worker has to honour a stop before it is killed, in ms. */
  stopTimeoutMs?: number;
  /** How long a worker that has sent its final message may take to exit before it is killed, in ms. */
  exitGraceMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** What the caller asks for: the start message, with consent possibly still to be asked. */
export type TrainingRequest = Omit<StartMessage, 'type' | 'allowOutside'> & {
  /** Consent to read data files outside the workspace: a decision or a question to ask. */
  allowOutside?: boolean | OutsideConsent;
};

export type RunOutcome =
  | { status: 'done'; result: DoneMessage }
  | { status: 'error'; error: ErrorMessage }
  | { status: 'stopped'; stopped: StoppedMessage; killed: boolean };

export interface TrainingRunEvents {
  ready: [ReadyMessage];
  progress: [EpochProgress | BatchProgress];
  done: [DoneMessage];
  error: [ErrorMessage];
  stopped: [StoppedMessage];
  /** Text the worker printed (tfjs warnings, ...). */
  output: [string];
}

const DEFAULT_HEAP_MB = 4096;
const DEFAULT_STOP_TIMEOUT_MS = 1500;
/** A worker that sent its final message but does not exit is killed after this. */
const EXIT_GRACE_MS = 5000;
const STDERR_TAIL = 4000;

export class TrainingRun extends EventEmitter<TrainingRunEvents> {
  /** Settles when the run is over and the worker process is gone. Never rejects. */
  readonly result: Promise<RunOutcome>;
  private resolveResult!: (outcome: RunOutcome) => void;
  private child: ChildProcess | null = null;
  private final: FinalMessage | null = null;
  private settled = false;
  private stopRequested = false;
  private killedAfterStop = false;
  private stopTimer: NodeJS.Timeout | null = null;
  private stderrTail = '';
  /** The history so far, from the epoch messages: kept for a worker that dies or is killed. */
  private readonly history: History = {};
  private epochs = 0;
  private lastSeconds = 0;

  constructor(
    private readonly request: TrainingRequest,
    private readonly options: RunnerOptions = {},
  ) {
    super();
    // EventEmitter throws on an 'error' event nobody listens to; a failed run is an outcome
    // (see `result`), not an exception.
    this.on('error', () => undefined);
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    void this.launch();
  }

  /** The worker's process id, once it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Asks the worker to stop after its current batch; kills it if it has not within the timeout. */
  stop(): void {
    if (this.settled) return;
    if (this.stopRequested) {
      // A second stop: the user means it.
      this.kill();
      return;
    }
    this.stopRequested = true;
    const child = this.child;
    if (!child) return; // launch() sees the flag and does not start.
    if (child.connected) child.send({ type: 'stop' }, () => undefined);
    this.stopTimer = setTimeout(() => this.kill(), this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  }

  private kill(): void {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (this.stopRequested) this.killedAfterStop = true;
    child.kill('SIGKILL');
  }

  private async launch(): Promise<void> {
    let allowOutside: boolean;
    try {
      allowOutside = await askConsent(this.request);
    } catch (err) {
      if (err instanceof DataError) {
        this.settle({ type: 'error', kind: 'data', message: err.message, ...(err.file ? { file: err.file } : {}) });
        return;
      }
      this.settle({ type: 'error', kind: 'internal', message: String(err) });
      return;
    }
    if (this.stopRequested) {
      this.settle({ type: 'stopped', history: {}, epochs: 0, seconds: 0 });
      return;
    }

    const workerPath = this.options.workerPath ?? path.join(__dirname, 'worker.js');
    if (!existsSync(workerPath)) {
      this.settle({
        type: 'error',
        kind: 'internal',
        message: `The training worker was not found at ${workerPath}.`,
        hint: 'Build the extension (npm run build) so that dist/worker.js exists.',
      });
      return;
    }
    const heapMb = this.options.maxOldSpaceSizeMb ?? DEFAULT_HEAP_MB;
    const { allowOutside: _consent, ...rest } = this.request;
    const start: StartMessage = { type: 'start', ...rest, allowOutside };

    const child = fork(workerPath, [], {
      execPath: this.options.execPath,
      execArgv: [`--max-old-space-size=${heapMb}`, ...(this.options.execArgv ?? [])],
      // Inside VS Code the binary is Electron: this makes it behave as plain Node.
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;

    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.emit('output', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      this.emit('output', text);
    });

    child.on('message', (raw: unknown) => {
      if (!isWorkerMessage(raw) || this.settled) return;
      if (isFinalMessage(raw)) {
        this.final = raw;
        this.emitFinal(raw);
        // The worker exits by itself after its final message; make sure of it.
        setTimeout(() => this.kill(), this.options.exitGraceMs ?? EXIT_GRACE_MS).unref();
        return;
      }
      if (raw.type === 'ready') {
        this.emit('ready', raw);
        return;
      }
      if (raw.type === 'stopping') {
        // The stop was honoured; the worker is saving the run: do not kill it for being slow.
        if (this.stopTimer) clearTimeout(this.stopTimer);
        this.stopTimer = null;
        return;
      }
      for (const progress of unbatched(raw)) {
        if (progress.type === 'epoch') this.record(progress);
        this.emit('progress', progress);
      }
    });

    child.on('error', (err) => {
      // Spawning failed, or sending to a dead process: the exit handler reports a death.
      if (!child.pid) this.settle({ type: 'error', kind: 'internal', message: `Could not start the training worker: ${err.message}` });
    });

    // 'close', not 'exit': it comes after the IPC channel is closed, so every message the
    // worker sent before dying has been delivered by then.
    child.on('close', (code, signal) => {
      if (this.stopTimer) clearTimeout(this.stopTimer);
      if (this.final) {
        this.finish(this.final);
        return;
      }
      if (this.stopRequested && (this.killedAfterStop || signal === 'SIGKILL')) {
        this.settle({ type: 'stopped', history: this.history, epochs: this.epochs, seconds: this.lastSeconds }, true);
        return;
      }
      this.settle({ ...this.deathReport(code, signal, heapMb), history: this.history });
    });

    child.send(start, (err) => {
      if (err && !this.settled) this.emit('output', `Could not send the start message: ${err.message}\n`);
    });
  }

  private record(epoch: EpochProgress): void {
    const add = (key: string, value: number): void => {
      (this.history[key] ??= []).push(value);
    };
    add('loss', epoch.loss);
    for (const [key, value] of Object.entries(epoch.metrics)) if (!key.startsWith('val_')) add(key, value);
    if (epoch.valLoss !== null) add('val_loss', epoch.valLoss);
    for (const [key, value] of Object.entries(epoch.metrics)) if (key.startsWith('val_')) add(key, value);
    this.epochs = epoch.epoch;
    this.lastSeconds = epoch.seconds;
  }

  /** Why the worker died, in words, from its exit code, signal and last words on stderr. */
  private deathReport(code: number | null, signal: NodeJS.Signals | null, heapMb: number): ErrorMessage {
    const tail = this.stderrTail.trim();
    const lastWords = tail ? `\nIts last output:\n${tail.split('\n').slice(-8).join('\n')}` : '';
    if (/heap out of memory|Allocation failed|out of memory/i.test(tail)) {
      return {
        type: 'error',
        kind: 'oom',
        message: `The training worker ran out of memory (heap limit ${heapMb} MB) and was stopped by Node.${lastWords}`,
        hint: 'Use a smaller batch_size, fewer samples or a smaller model.',
      };
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const hint =
      signal === 'SIGKILL'
        ? 'SIGKILL often comes from the system running out of memory (the OOM killer): try a smaller batch_size, fewer samples or a smaller model.'
        : signal === 'SIGSEGV' || signal === 'SIGABRT' || signal === 'SIGBUS'
          ? 'The backend crashed; try another backend (auto, wasm or cpu).'
          : 'The worker stopped without a report; the output above may say why.';
    return { type: 'error', kind: 'crashed', message: `The training worker ${how} before finishing.${lastWords}`, hint };
  }

  private emitFinal(message: FinalMessage): void {
    if (message.type === 'done') this.emit('done', message);
    else if (message.type === 'error') this.emit('error', message);
    else this.emit('stopped', message);
  }

  /** A final message that did not come from the worker: emit it, then finish. */
  private settle(message: FinalMessage, killed = false): void {
    if (this.settled) return;
    this.emitFinal(message);
    this.finish(message, killed);
  }

  private finish(message: FinalMessage, killed = false): void {
    if (this.settled) return;
    this.settled = true;
    if (message.type === 'done') this.resolveResult({ status: 'done', result: message });
    else if (message.type === 'error') this.resolveResult({ status: 'error', error: message });
    else this.resolveResult({ status: 'stopped', stopped: message, killed });
  }
}

export function startTraining(request: TrainingRequest, options: RunnerOptions = {}): TrainingRun {
  return new TrainingRun(request, options);
}

/**
 * Reading a file outside the workspace needs consent, and only the parent can ask the user:
 * ask now, before the worker starts, and hand the worker the answer.
 */
async function askConsent(request: TrainingRequest): Promise<boolean> {
  const consent = request.allowOutside;
  if (typeof consent !== 'function') return consent === true;
  const file = dataFileOf(request.data.spec);
  if (!file) return false;
  let asked = false;
  await resolveDataFile(file, {
    baseDir: request.baseDir,
    workspaceFolder: request.workspaceFolder,
    allowOutside: async (p) => {
      asked = true;
      return consent(p);
    },
  });
  // Reaching here means the file is inside, or the user agreed.
  return asked;
}

function dataFileOf(spec: DataSpec): string | null {
  return csvSeriesOf(spec)?.path ?? null;
}
