/** What an error object of `--json` output names: a bad invocation, or a file that cannot be read or used. */
export type ErrorCode = 'usage' | 'file' | 'model' | 'errors';

/** A problem with how the CLI was called or with a file it could not read: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'usage',
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** The one shape every `--json` failure prints to stdout: `{"error": {"code", "message"}}`. */
export function jsonError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ error: { code, message, ...extra } });
}
