// Long analyses are written as generators that yield between bounded pieces of work, so a
// host can interleave other work or drop them: the language server lets newer edits and
// $/cancelRequest in between pieces and abandons the analysis of a version already replaced.
// Synchronous callers (the CLI, the tests) simply run the steps to the end.

/** A computation in steps: each `next()` does a bounded piece of work; the return value is the result. */
export type Steps<T> = Generator<void, T, void>;

/** How many statements, tokens' worth of statements or layers a step handles at most. */
export const STEP_SIZE = 256;

/** Runs every step at once and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
