// The orthogonal initializer of recurrent kernels: this project's FastOrthogonal against tfjs's
// own Orthogonal (a Gram-Schmidt of many small ops), on wasm. tfjs's takes seconds at LSTM(64)
// and grows with the cube of the size, so it is timed up to LSTM(64) only.
// Run: node --import tsx bench/orthogonal.ts
import * as tf from '../src/training/tf';
import { cpus } from 'node:os';
import { initBackend } from '../src/training/backend';
import { FastOrthogonal } from '../src/training/layers/orthogonal';
import { loadAverage, ms, table, time } from './lib/measure';


async function main(): Promise<void> {
  await initBackend('wasm');
  console.log(`orthogonal recurrent kernels on wasm, load average ${loadAverage()} on ${cpus().length} cores`);
  const rows: string[][] = [];
  // (units, 4 × units): an LSTM's recurrent kernel.
  for (const units of [16, 32, 64, 256]) {
    const shape = [units, 4 * units];
    const ours = time(() => new FastOrthogonal({ seed: 1 }).apply(shape).dispose(), { runs: 5, warmup: 1 });
    const theirs = units <= 64
      ? time(() => tf.initializers.orthogonal({ gain: 1, seed: 1 }).apply(shape).dispose(), { runs: 3, warmup: 1 })
      : null;
    rows.push([
      `(${shape.join(', ')})`,
      ms(ours.median),
      theirs ? ms(theirs.median) : 'not timed',
      theirs ? `${(theirs.median / ours.median).toFixed(0)}×` : '',
    ]);
  }
  table(['shape', 'FastOrthogonal', "tfjs's Orthogonal", 'ours faster'], rows);
  console.log(`load average at the end ${loadAverage()}`);
}

void main();
