import { ResponseError, type CancellationToken } from 'vscode-languageserver';
import { requestCancelled } from './slices';

// Every request handler goes through `guarded`: the server must never crash or hang on any
// input, so a failure is logged and the client gets an empty answer instead.

export type Logger = (message: string) => void;

let log: Logger = (m) => process.stderr.write(m + '\n');

export function setLogger(logger: Logger): void {
  log = logger;
}

export function logError(what: string, e: unknown): void {
  try {
    log(`seqmodel: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } catch {
    // Logging itself must not throw (a closed connection).
  }
}

/**
 * Wraps a handler: a cancelled request is answered with RequestCancelled (as the LSP spec
 * recommends), at once even while the handler still waits for an analysis; a handler that
 * answers with a ResponseError (ContentModified when the document changed under it) passes it
 * on; a throwing one returns `empty` after logging.
 */
export function guarded<P, R>(what: string, empty: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    if (token?.isCancellationRequested) return requestCancelled();
    let listener: { dispose(): void } | undefined;
    const stop = new Promise<typeof CANCELLED>((resolve) => {
      listener = token?.onCancellationRequested(() => resolve(CANCELLED));
    });
    const work = Promise.resolve().then(() => handler(params, token));
    try {
      const result = await Promise.race([work, stop]);
      if (result === CANCELLED || token?.isCancellationRequested) {
        // The work goes on for whoever else waits on the same analysis; its outcome is not ours.
        work.catch(() => undefined);
        return requestCancelled();
      }
      return result;
    } catch (e) {
      if (e instanceof ResponseError) return e as ResponseError<void>;
      logError(what, e);
      return empty;
    } finally {
      listener?.dispose();
    }
  };
}

const CANCELLED = Symbol('cancelled');
