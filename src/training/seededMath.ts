// tfjs draws from Math.random wherever no seed is passed: fit()'s per-epoch shuffle
// (tf.util.shuffle), Dropout masks, any initializer without a seed. None of these take a seed,
// so a reproducible run replaces Math.random itself with a seeded generator. This is only
// done inside the training worker, a process of its own, where nothing else relies on it.

import { createRandom } from './data/random';

export function seedMathRandom(seed: number): void {
  // A different stream from the data generators' for the same seed: mix in a constant.
  const random = createRandom(seed ^ 0x5eed5eed);
  Math.random = () => random.next();
}
