// The calling side of the kernel thread (kernelThread.ts): starts it once per process, on the
// first call large enough to split (which waits for it: START_PATIENCE_MS), posts requests through
// the shared control block and waits for the answer with Atomics.wait. The thread never keeps
// the process alive (unref), and a thread that dies or fails is let go for the rest of the
// process: the work falls back to one thread, said once on stderr.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { CONTROL, CONTROL_BYTES, MAX_RELEASES, OP, STATE } from './threadProtocol';

/** The entry's bundle, beside dist/worker.js (scripts/build.mjs). */
export const KERNEL_THREAD_FILE = 'kernel-thread.js';

export interface KernelThread {
  control: Int32Array;
  /** The shared data buffer, grown (and handed to the thread) to at least `bytes`. */
  data(bytes: number): SharedArrayBuffer;
  /** Starts the request whose header and data the caller wrote. */
  post(op: number, id: number): void;
  /**
   * Waits for the answer: STATE.done, STATE.missing, or null when the thread failed or died
   * (it is then let go, and the caller computes that half itself). `patienceMs` bounds the
   * wait on a thread that neither answers nor ends.
   */
  answer(patienceMs: number): number | null;
  /** A forward pass whose backward pass will never be asked for. */
  release(id: number): void;
}

/** The entry: the bundle beside this one (dist/), or the source beside this file under tsx. */
function entryFile(): string | null {
  const candidates = [path.join(__dirname, KERNEL_THREAD_FILE), path.join(__dirname, 'kernelThread.ts')];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Whether a second thread may run: never with SEQMODEL_THREADS=1 (the setting
 * seqmodel.training.threads travels as this variable); unset or 2, wherever there is a second
 * core to run on. Whether a given call splits is parallel.ts's choice (enough work, and faster).
 */
function wanted(): boolean {
  if (typeof process === 'undefined' || typeof SharedArrayBuffer !== 'function') return false;
  if (process.env?.['SEQMODEL_THREADS'] === '1') return false;
  return availableParallelism() > 1;
}

let warned = false;

function warnOnce(why: string): void {
  if (warned) return;
  warned = true;
  console.warn(`seqmodel: the second kernel thread stopped (${why}); the recurrent layers continue on one thread.`);
}

class Host implements KernelThread {
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  private buffer = new SharedArrayBuffer(0);
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly collected: number[] = [];
  broken = false;

  constructor(file: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const options = { workerData: { control: this.control.buffer, port: port2 }, transferList: [port2] };
    // The source entry (tests, benchmarks under tsx): a worker does not inherit tsx's loader
    // hooks for its entry, so it registers tsx's CommonJS hook first.
    this.worker = file.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { ...options, eval: true })
      : new Worker(file, options);
    this.worker.unref();
    this.port.unref();
    this.worker.on('error', (e) => this.letGo(`it failed: ${e.message}`));
    this.worker.on('exit', (code) => this.letGo(`it exited with code ${code}`));
  }

  ready(): boolean {
    return !this.broken && Atomics.load(this.control, CONTROL.ready) === 1;
  }

  /**
   * Blocks until the thread runs its loop, at most `ms`; false (and the thread let go) when it
   * did not start in that time. The thread starts on its own OS thread, so this one may block.
   */
  awaitReady(ms: number): boolean {
    const deadline = Date.now() + ms;
    while (!this.broken && Atomics.load(this.control, CONTROL.ready) !== 1) {
      // Its 'exit' event needs this thread's event loop; its exit handler marks the block.
      if (Atomics.load(this.control, CONTROL.state) === STATE.dead) {
        this.letGo('it ended while starting');
        return false;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.letGo(`it did not start in ${Math.round(ms / 1000)} s`);
        return false;
      }
      Atomics.wait(this.control, CONTROL.ready, 0, Math.min(left, 50));
    }
    return this.ready();
  }

  data(bytes: number): SharedArrayBuffer {
    if (this.buffer.byteLength < bytes) {
      const MiB = 1 << 20;
      this.buffer = new SharedArrayBuffer(Math.ceil(Math.max(bytes, 2 * this.buffer.byteLength) / MiB) * MiB);
      this.port.postMessage({ data: this.buffer });
    }
    return this.buffer;
  }

  post(op: number, id: number): void {
    const n = Math.min(this.collected.length, MAX_RELEASES);
    for (let i = 0; i < n; i++) this.control[CONTROL.releaseIds + i] = this.collected.pop()!;
    this.control[CONTROL.releases] = n;
    this.control[CONTROL.op] = op;
    this.control[CONTROL.id] = id;
    Atomics.store(this.control, CONTROL.state, STATE.request);
    Atomics.notify(this.control, CONTROL.state);
  }

  answer(patienceMs: number): number | null {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const state = Atomics.load(this.control, CONTROL.state);
      if (state === STATE.done || state === STATE.missing) return state;
      if (state === STATE.failed) {
        const message = receiveMessageOnPort(this.port)?.message as { error?: string } | undefined;
        this.letGo(`it failed: ${message?.error ?? 'no message'}`);
        return null;
      }
      if (state === STATE.dead) {
        this.letGo('it ended');
        return null;
      }
      if (Date.now() > deadline) {
        this.letGo(`no answer in ${Math.round(patienceMs / 1000)} s`);
        return null;
      }
      Atomics.wait(this.control, CONTROL.state, STATE.request, 250);
    }
  }

  release(id: number): void {
    if (!this.broken) this.collected.push(id);
  }

  letGo(why: string): void {
    if (this.broken) return;
    this.broken = true;
    warnOnce(why);
    void this.worker.terminate();
  }

  /** Ends the thread on purpose (no warning): configureKernelThreads, tests. */
  stop(): Promise<number> {
    this.broken = true;
    return this.worker.terminate();
  }

  /** For the tests of the fallback: the thread, to end it behind the host's back. */
  get thread(): Worker {
    return this.worker;
  }
}

let host: Host | null = null;
let enabled: boolean | undefined;

function start(): Host | null {
  if (enabled === undefined) {
    try {
      enabled = wanted();
    } catch {
      enabled = false; // the playground's browser worker: node:os is a stub there
    }
  }
  if (!enabled) return null;
  if (host === null) {
    const file = entryFile();
    if (file === null) {
      enabled = false;
      return null;
    }
    try {
      host = new Host(file);
    } catch (e) {
      enabled = false;
      warnOnce(`it could not start: ${(e as Error).message}`);
      return null;
    }
  }
  return host;
}

/**
 * How long the first call large enough to split waits for the thread to start (it loads a
 * 40 KB bundle and compiles the WebAssembly module: tens of milliseconds). Waiting rather than
 * running that call on one thread keeps the calling thread's module memory at half a batch:
 * memory a module has grown to it never gives back, so one whole-batch call would cost the
 * process the memory the split saves (docs/training.md, "Both cores").
 */
export const START_PATIENCE_MS = 5_000;

/**
 * The kernel thread, ready for a request (started, and waited for, on the first call); null
 * when it is not allowed (SEQMODEL_THREADS=1), on one core, or when it failed to start or died.
 */
export function kernelThread(): KernelThread | null {
  const h = start();
  if (h === null || h.broken) return null;
  if (!h.ready() && !h.awaitReady(START_PATIENCE_MS)) return null;
  return h;
}

/** Starts the thread if needed and resolves when it is ready: true, or false when there is none. */
export async function kernelThreadReady(timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = start();
    if (h === null || h.broken) return false;
    if (h.ready()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Turns the second thread on or off for this process (the tests and the benchmark compare
 * both). Turning it on forgets a thread that died, so the next call starts a new one.
 */
export async function setKernelThreadsEnabled(on: boolean): Promise<void> {
  if (host !== null && (!on || host.broken)) {
    const old = host;
    host = null;
    await old.stop();
  }
  enabled = on ? undefined : false;
  if (on) warned = false;
}

/** The running thread's Worker, for the tests that end it unannounced. */
export function kernelThreadWorker(): Worker | null {
  return host?.thread ?? null;
}
