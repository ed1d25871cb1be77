import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { Steps } from '../language';

// Long work in the server (an analysis, formatting or the semantic tokens of a megabyte) is
// written as steps (src/language/steps.ts) and run here a slice of a few milliseconds at a
// time, with a turn of the event loop in between: the connection reads messages only between
// two slices, so a $/cancelRequest or an edit that arrives meanwhile is seen before the work
// goes on, and the work stops there instead of running to its end for nobody.

/** Longest stretch of work between two turns of the event loop. */
export const SLICE_MS = 10;

/**
 * How many requests' works (formatting, semantic tokens: bounded, and someone waits for each
 * answer) are running in slices, or have just ended and their answer is not yet handed to the
 * connection. While any is, background work (an analysis started by an edit) lets its turns go
 * by: a formatting sent right after a keystroke on a megabyte would otherwise take turns with
 * that analysis and answer in twice its time or more. Requests' works always end (their steps
 * are bounded; a cancellation stops them), so the analysis only waits, never starves.
 */
let requestsRunning = 0;

/**
 * A request's work has ended: it stops counting one turn later. The connection writes the
 * answer in the next turn (vscode-jsonrpc's stdio writer queues it with setImmediate), and an
 * analysis slice queued for that turn would otherwise run first: 10 ms (measured: 8 ms in a
 * profile) between a formatting's last step and its answer. From then on answersPending holds
 * background work back while the answer is being written.
 */
function requestEnded(): void {
  nextTurn(() => requestsRunning--);
}

/**
 * Whether the server's answers are still being written to the client (set by the host that
 * owns the connection, nodeServer.ts). A 3 MB answer (a formatting of 2 MB of `}` lines)
 * leaves a pipe about 64 KB per turn of the event loop; an analysis that took a 10 ms slice in
 * each of those turns held the answer's end back by a few hundred milliseconds. Background work
 * waits while this says so, as it does while a request's work runs.
 */
let answersPending: () => boolean = () => false;

/** Tells background work how to know that answers are still being written (see answersPending). */
export function waitForAnswers(pending: () => boolean): void {
  answersPending = pending;
}

/** The next turn of the event loop, after pending I/O (Node), or a task (a Web Worker has no setImmediate). */
const nextTurn: (f: () => void) => void = typeof setImmediate === 'function' ? (f) => setImmediate(f) : (f) => setTimeout(f, 0);

/** Work in steps, advanced by slices; its outcome once done. */
export class SlicedWork<T> {
  /** Set when the steps have ended: with `value`, or with the error they threw. */
  done = false;
  value?: T;
  failure?: { error: unknown };
  private steps?: Steps<T>;

  /** `request`: the work of a request, which background work gives way to (see requestsRunning). */
  constructor(
    steps: Steps<T>,
    private readonly request = false,
  ) {
    this.steps = steps;
  }

  /** Runs the steps for up to `budgetMs` (the first step always; Infinity: to the end). */
  advance(budgetMs: number): void {
    const steps = this.steps;
    if (!steps) return;
    const t0 = performance.now();
    try {
      for (;;) {
        const r = steps.next();
        if (r.done) {
          this.value = r.value;
          break;
        }
        if (performance.now() - t0 >= budgetMs) return;
      }
    } catch (e) {
      this.failure = { error: e };
    }
    this.steps = undefined;
    this.done = true;
  }

  /**
   * Runs the rest a slice per turn of the event loop. A request's first slice runs at once (work
   * of ordinary size ends within it); background work starts in the next turn, so a request
   * read in the same turn as the edit that started it (a keystroke and a formatting sent
   * together) starts first and the analysis waits for it, even when the analysis's first step
   * is long. Before each slice `stop` may name an error: the steps are then dropped and the
   * promise rejects with it. Otherwise it settles with the steps' outcome.
   */
  run(stop: () => unknown): Promise<T> {
    const request = this.request;
    if (request) requestsRunning++;
    return new Promise<T>((resolve, reject) => {
      const slice = () => {
        if (!this.done) {
          const reason = stop();
          if (reason !== undefined) {
            this.steps?.return(undefined as never);
            this.steps = undefined;
            if (request) requestEnded();
            reject(reason);
            return;
          }
          if (request || (requestsRunning === 0 && !answersPending())) this.advance(SLICE_MS);
        }
        if (!this.done) {
          nextTurn(slice);
          return;
        }
        if (request) requestEnded();
        if (this.failure) reject(this.failure.error);
        else resolve(this.value as T);
      };
      if (request) slice();
      else nextTurn(slice);
    });
  }
}

/**
 * A request's work in slices: rejects with RequestCancelled once the client cancels it, and
 * with `stale()`'s error (ContentModified when the document changed under it) once that names
 * one, so a cancelled formatting of a megabyte stops within a slice.
 */
export function inSlices<T>(steps: Steps<T>, token: CancellationToken | undefined, stale: () => ResponseError<void> | undefined = () => undefined): Promise<T> {
  return new SlicedWork(steps, true).run(() => (token?.isCancellationRequested ? requestCancelled() : stale()));
}

// The two ways sliced work ends early, as the responses LSP defines for them.

/** The answer to a request the client cancelled ($/cancelRequest) before its work ended. */
export function requestCancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/** The answer to a request about a version that a newer one replaced before its work ended (LSP's ContentModified). */
export function contentModified(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, 'The document changed; this request is about an older version.');
}
