// Derived seeds for weight initialisation. tfjs has no global random seed: each initializer
// takes its own. Giving every initializer the same seed would make equal-shaped weights equal
// (a Bidirectional layer's two directions, an LSTM's four gates' worth of kernels in two
// layers of the same size), so each one gets the next number of a sequence derived from the
// user's seed. Building the same model with the same seed walks the same sequence.

/** Returns the next derived seed, or undefined for every call when there is no seed. */
export type SeedSource = () => number | undefined;

export function seedSequence(seed: number | null | undefined): SeedSource {
  if (seed == null) return () => undefined;
  if (!Number.isFinite(seed)) throw new Error(`The seed must be a finite number, got ${seed}`);
  let counter = 0;
  const base = Math.floor(seed) >>> 0;
  return () => mix32(base, counter++);
}

/** A 32-bit hash of (seed, index) (murmur3's finaliser); always a non-negative int. */
export function mix32(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
