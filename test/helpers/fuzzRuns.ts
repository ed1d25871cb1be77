// How many cases a seeded property test tries: its usual number in `npm test` (the whole fuzz
// part takes seconds there), times SEQMODEL_FUZZ when that is set. `npm run test:fuzz` sets it
// for a long run of every property suite at once: one knob, so no suite is left at its usual
// number by a long run that meant to cover it. A fraction (0.2) makes a quick run.

const SCALE = Number(process.env.SEQMODEL_FUZZ) > 0 ? Number(process.env.SEQMODEL_FUZZ) : 1;

/** `n` cases, scaled by SEQMODEL_FUZZ (at least one). */
export function fuzzRuns(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}
