// Embedding models must train on every backend at a sane speed: the Embedding gradient is an
// UnsortedSegmentSum, which tfjs 4.22's wasm backend lacks and its cpu backend computes in
// O(vocabulary × ids × dim). src/training/kernels/unsorted-segment-sum.ts replaces both.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/build';
import { segmentSumInto } from '../../src/training/kernels/unsorted-segment-sum';
import { modelInfo } from './training-build-fixtures';

/** Deterministic pseudo-random numbers for the test data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The definition, written out: for each segment, the sum of the rows that carry its id. */
function referenceSegmentSum(x: number[], ids: number[], inner: number, numSegments: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < numSegments; s++) {
    for (let j = 0; j < inner; j++) {
      let sum = 0;
      ids.forEach((id, i) => {
        if (id === s) sum += x[i * inner + j];
      });
      out.push(sum);
    }
  }
  return out;
}

describe('training/kernels: UnsortedSegmentSum and Embedding training', function () {
  this.timeout(180_000);

  it('segmentSumInto sums rows into their segments and drops ids out of range', () => {
    const out = new Float64Array(6);
    segmentSumInto([1, 2, 3, 4, 5, 6, 7, 8], [2, 0, 2, 5], 3, out);
    assert.deepEqual(Array.from(out), [3, 4, 0, 0, 1 + 5, 2 + 6]);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    describe(`on ${backend}`, () => {
      before(async () => {
        await initBackend(backend);
      });

      it('tf.unsortedSegmentSum equals the definition (float and int, 3-D data, ids out of range)', () => {
        const rand = lcg(5);
        const n = 40;
        const numSegments = 9;
        const ids = Array.from({ length: n }, () => Math.floor(rand() * 11) - 1); // -1 … 9
        const values = Array.from({ length: n * 6 }, () => Math.round((rand() - 0.5) * 100) / 10);
        const x = tf.tensor3d(values, [n, 2, 3]);
        const segmentIds = tf.tensor1d(ids, 'int32');
        const sum = tf.unsortedSegmentSum(x, segmentIds, numSegments);
        assert.deepEqual(sum.shape, [numSegments, 2, 3]);
        const expected = referenceSegmentSum(values, ids, 6, numSegments);
        Array.from(sum.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `${i}: ${v} vs ${expected[i]}`));
        const ints = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
        assert.equal(ints.dtype, 'int32');
        assert.deepEqual(Array.from(ints.dataSync()), [5, 6, 4, 6]);
        tf.dispose([x, segmentIds, sum, ints]);
      });

      it('Embedding(mask_zero=True) → GRU: zero-padded sequences give the unpadded result, and train', async () => {
        const info = modelInfo('masked', null, [
          { type: 'Embedding', config: { input_dim: 20, output_dim: 3, mask_zero: true }, out: [null, null, 3], params: 60 },
          { type: 'GRU', config: { units: 2 }, out: [null, 2], params: 3 * (2 * 5 + 4) },
          { type: 'Dense', config: { units: 1, activation: 'sigmoid' }, out: [null, 1], params: 3 },
        ]);
        const model = buildModel(info, { seed: 4 });
        const padded = model.predict(tf.tensor2d([[0, 0, 5, 7]])) as tf.Tensor;
        const plain = model.predict(tf.tensor2d([[5, 7]])) as tf.Tensor;
        assert.ok(Math.abs(padded.dataSync()[0] - plain.dataSync()[0]) < 1e-6);
        model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
        const x = tf.tensor2d([[0, 0, 5, 7], [0, 3, 9, 1], [0, 0, 0, 2], [4, 4, 6, 8]]);
        const y = tf.tensor2d([[1], [0], [1], [0]]);
        const history = await model.fit(x, y, { epochs: 20, verbose: 0 });
        const losses = history.history['loss'] as number[];
        assert.ok(losses[losses.length - 1] < losses[0], `loss ${losses[0]} → ${losses.at(-1)}`);
        tf.dispose([padded, plain, x, y]);
      });

      it('one training step of Embedding(10000, 32) → LSTM(8) → Dense(1) runs quickly and updates only the rows used', async () => {
        const info = modelInfo('sentiment', null, [
          { type: 'Embedding', config: { input_dim: 10000, output_dim: 32 }, out: [null, null, 32], params: 320000 },
          { type: 'LSTM', config: { units: 8 }, out: [null, 8], params: 4 * (8 * 40 + 8) },
          { type: 'Dense', config: { units: 1, activation: 'sigmoid' }, out: [null, 1], params: 9 },
        ]);
        const model = buildModel(info, { seed: 1 });
        model.compile({ optimizer: tf.train.sgd(0.5), loss: 'binaryCrossentropy' });
        const rand = lcg(9);
        const batch = 16;
        const length = 50;
        const ids = Array.from({ length: batch * length }, () => Math.floor(rand() * 10000));
        const x = tf.tensor2d(ids, [batch, length]);
        const y = tf.tensor2d(Array.from({ length: batch }, (_, i) => i % 2), [batch, 1]);
        const before = model.layers[1].getWeights()[0].arraySync() as number[][];
        const started = Date.now();
        const loss = (await model.trainOnBatch(x, y)) as number;
        const seconds = (Date.now() - started) / 1000;
        assert.ok(Number.isFinite(loss));
        // Before the kernel, cpu took about 35 minutes for a batch like this (wasm: no kernel).
        assert.ok(seconds < 20, `one batch took ${seconds} s`);
        const after = model.layers[1].getWeights()[0].arraySync() as number[][];
        const used = new Set(ids);
        let changedUsed = 0;
        for (let row = 0; row < 10000; row++) {
          const same = before[row].every((v, j) => v === after[row][j]);
          if (!used.has(row)) assert.ok(same, `unused row ${row} changed`);
          else if (!same) changedUsed++;
        }
        assert.ok(changedUsed > used.size / 2, `only ${changedUsed} of ${used.size} used rows changed`);
        tf.dispose([x, y]);
      });
    });
  }
});
