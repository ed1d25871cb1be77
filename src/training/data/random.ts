// A small seeded pseudo-random generator. Math.random cannot be seeded, and a run with a seed
// must reproduce exactly (data, shuffling, initial weights), so every generator and the
// shuffling take one of these.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
}

/**
 * mulberry32: 32 bits of state, a full 2^32 period, good enough statistics for data
 * generation and shuffling, and a handful of integer operations per number.
 */
export function createRandom(seed: number): Random {
  let state = seedToState(seed);
  // Box-Muller yields normals in pairs; keep the second for the next call.
  let spare: number | null = null;

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  return {
    next,
    int(n: number): number {
      return Math.floor(next() * n);
    },
    normal(): number {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
  };
}

/**
 * Seeds may be any number the user writes (42, 1e9, 3.5, -1). Fold them into 32 bits and mix,
 * so that neighbouring seeds (1, 2, 3) start from unrelated states.
 */
function seedToState(seed: number): number {
  const whole = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  let h = (whole >>> 0) ^ Math.trunc(whole / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Fisher-Yates shuffle of 0..n-1, in the order the given generator dictates. */
export function shuffledIndices(n: number, random: Random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
