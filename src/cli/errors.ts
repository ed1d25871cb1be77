/** A problem with how the CLI was called or with a file it could not read: exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;
