// Errors in the user's data (a bad CSV row, a series too short to window, a file outside the
// workspace). Kept apart from internal errors so the worker can report them as kind 'data'
// with the file and line the user has to fix.

export class DataError extends Error {
  constructor(
    message: string,
    /** The file the problem is in, when it comes from a file. */
    readonly file?: string,
    /** 1-based line number in that file. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'DataError';
  }
}
