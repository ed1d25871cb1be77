import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

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
 * recommends) without doing the work, a throwing one returns `empty` after logging. The
 * handler may check the token again between steps.
 */
export function guarded<P, R>(what: string, empty: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    if (token?.isCancellationRequested) return cancelled();
    try {
      const result = await handler(params, token);
      return token?.isCancellationRequested ? cancelled() : result;
    } catch (e) {
      logError(what, e);
      return empty;
    }
  };
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
