import * as assert from 'node:assert/strict';
import { sampleToArray } from '../../src/training/data/dataset';
import { echoData } from '../../src/training/data/echo';
import { DataError } from '../../src/training/data/errors';
import { loadData } from '../../src/training/data/load';
import { createRandom, shuffledIndices } from '../../src/training/data/random';
import { sentimentData, sentimentGroupSize } from '../../src/training/data/sentiment';
import { sineSeries } from '../../src/training/data/sine';
import { validationSplit } from '../../src/training/data/validationSplit';
import { window } from '../../src/training/data/window';

/** The seed's split_sequence, transcribed literally, to compare against. */
function splitSequence(sequence: number[], seqLen: number, nSteps: number): [number[][], number[][]] {
  const X: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < sequence.length; i++) {
    const endIx = i + seqLen;
    if (endIx + nSteps > sequence.length) break;
    X.push(sequence.slice(i, endIx));
    y.push(sequence.slice(endIx, endIx + nSteps));
  }
  return [X, y];
}

const windows = (data: ReturnType<typeof window>) => {
  const n = data.x.shape[0];
  return {
    x: Array.from({ length: n }, (_, i) => sampleToArray(data.x, i)),
    y: Array.from({ length: n }, (_, i) => sampleToArray(data.y, i)),
  };
};

describe('training data: window (split_sequence)', () => {
  it("gives the seed's five windows for [10..90], steps 3, horizon 2", () => {
    const data = window([10, 20, 30, 40, 50, 60, 70, 80, 90], 3, 2);
    assert.deepEqual(data.x.shape, [5, 3, 1]);
    assert.deepEqual(data.y.shape, [5, 2]);
    const w = windows(data);
    assert.deepEqual(w.x, [
      [[10], [20], [30]],
      [[20], [30], [40]],
      [[30], [40], [50]],
      [[40], [50], [60]],
      [[50], [60], [70]],
    ]);
    assert.deepEqual(w.y, [[40, 50], [50, 60], [60, 70], [70, 80], [80, 90]]);
  });

  it('equals split_sequence for every length, steps and horizon up to 12', () => {
    for (let len = 0; len <= 12; len++) {
      const seq = Array.from({ length: len }, (_, i) => i * 7 - 3);
      for (let steps = 1; steps <= 6; steps++) {
        for (let horizon = 1; horizon <= 4; horizon++) {
          const [X, y] = splitSequence(seq, steps, horizon);
          const w = windows(window(seq, steps, horizon));
          assert.deepEqual(w.x, X.map((row) => row.map((v) => [v])), `len ${len} steps ${steps} horizon ${horizon}`);
          assert.deepEqual(w.y, y);
        }
      }
    }
  });

  it('keeps every feature in X and forecasts the first feature', () => {
    const data = window([[1, 100], [2, 200], [3, 300], [4, 400]], 2, 1);
    assert.deepEqual(data.x.shape, [2, 2, 2]);
    assert.deepEqual(windows(data).x, [[[1, 100], [2, 200]], [[2, 200], [3, 300]]]);
    assert.deepEqual(windows(data).y, [[3], [4]]);
  });

  it('refuses a series too short for one window, saying how long it must be', async () => {
    await assert.rejects(
      loadData({ kind: 'window', series: { kind: 'literal', values: [[1], [2], [3]] }, steps: 3, horizon: 2 }, { baseDir: '.' }),
      (err: unknown) => err instanceof DataError && /at least 5/.test(err.message),
    );
  });

  it('refuses ragged literal rows and non-integer steps', () => {
    assert.throws(() => window([[1, 2], [3]], 1, 1), DataError);
    assert.throws(() => window([1, 2, 3], 1.5, 1), DataError);
    assert.throws(() => window([1, 2, 3], 1, 0), DataError);
  });
});

describe('training data: seeded generators', () => {
  it('the PRNG reproduces per seed, differs between seeds and is roughly uniform', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const sa = Array.from({ length: 1000 }, () => a.next());
    const sb = Array.from({ length: 1000 }, () => b.next());
    const sc = Array.from({ length: 1000 }, () => c.next());
    assert.deepEqual(sa, sb);
    assert.notDeepEqual(sa, sc);
    assert.ok(sa.every((v) => v >= 0 && v < 1));
    const mean = sa.reduce((s, v) => s + v, 0) / sa.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
    const r = createRandom(7);
    const normals = Array.from({ length: 20000 }, () => r.normal());
    const nm = normals.reduce((s, v) => s + v, 0) / normals.length;
    const nv = normals.reduce((s, v) => s + (v - nm) ** 2, 0) / normals.length;
    assert.ok(Math.abs(nm) < 0.05 && Math.abs(nv - 1) < 0.05, `normal mean ${nm} var ${nv}`);
  });

  it('shuffledIndices is a permutation, the same for the same seed', () => {
    const p = shuffledIndices(100, createRandom(3));
    assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(p, shuffledIndices(100, createRandom(3)));
    assert.notDeepEqual(p, shuffledIndices(100, createRandom(4)));
  });

  it('echo: one-hot inputs, the label is the one-hot of the value at index', () => {
    const opts = { samples: 200, length: 5, features: 10, index: 2, seed: 1 };
    const data = echoData(opts);
    assert.deepEqual(data.x.shape, [200, 5, 10]);
    assert.deepEqual(data.y.shape, [200, 10]);
    const counts = new Array(10).fill(0);
    for (let s = 0; s < 200; s++) {
      const steps = sampleToArray(data.x, s) as number[][];
      const label = sampleToArray(data.y, s) as number[];
      for (const step of steps) {
        assert.equal(step.reduce((a, b) => a + b, 0), 1);
        assert.ok(step.every((v) => v === 0 || v === 1));
      }
      assert.deepEqual(label, steps[2]);
      counts[label.indexOf(1)]++;
    }
    // Every class occurs: the integers are spread over [0, features).
    assert.ok(counts.every((c) => c > 5), String(counts));
    assert.deepEqual(echoData(opts).x.values, data.x.values);
    assert.notDeepEqual(echoData({ ...opts, seed: 2 }).x.values, data.x.values);
    assert.throws(() => echoData({ ...opts, index: 5 }), DataError);
  });

  it('sine: the right length, the wave plus noise, deterministic per seed', () => {
    const clean = sineSeries({ length: 100, period: 50, amplitude: 2, noise: 0, seed: 1 });
    assert.equal(clean.length, 100);
    assert.equal(clean.features, 1);
    assert.ok(Math.abs(clean.values[25]) < 1e-5);
    assert.ok(Math.abs(clean.values[10] - 2 * Math.sin((2 * Math.PI * 10) / 50)) < 1e-5);
    const noisy = sineSeries({ length: 1000, period: 50, amplitude: 1, noise: 0.1, seed: 5 });
    let sq = 0;
    for (let t = 0; t < 1000; t++) sq += (noisy.values[t] - Math.sin((2 * Math.PI * t) / 50)) ** 2;
    const sd = Math.sqrt(sq / 1000);
    assert.ok(sd > 0.08 && sd < 0.12, `noise sd ${sd}`);
    assert.deepEqual(sineSeries({ length: 1000, period: 50, amplitude: 1, noise: 0.1, seed: 5 }).values, noisy.values);
    assert.notDeepEqual(sineSeries({ length: 1000, period: 50, amplitude: 1, noise: 0.1, seed: 6 }).values, noisy.values);
    const w = window(noisy, 10, 1);
    assert.deepEqual(w.x.shape, [990, 10, 1]);
  });

  it('sentiment: word ids in [1, vocab) pre-padded with 0, labels 0/1, learnable from word groups', () => {
    const opts = { samples: 500, vocab: 1000, maxlen: 40, seed: 1 };
    const data = sentimentData(opts);
    assert.deepEqual(data.x.shape, [500, 40]);
    assert.deepEqual(data.y.shape, [500, 1]);
    const g = sentimentGroupSize(1000);
    let correct = 0;
    let positives = 0;
    for (let s = 0; s < 500; s++) {
      const row = Array.from(data.x.values.subarray(s * 40, (s + 1) * 40));
      const first = row.findIndex((v) => v !== 0);
      assert.ok(first >= 0 && first <= 30, 'at least maxlen/4 words');
      assert.ok(row.slice(first).every((v) => Number.isInteger(v) && v >= 1 && v < 1000));
      const label = data.y.values[s];
      assert.ok(label === 0 || label === 1);
      positives += label;
      // A trivial counting rule must beat chance by far: the corpus is learnable.
      const pos = row.filter((v) => v >= 1 && v <= g).length;
      const neg = row.filter((v) => v > g && v <= 2 * g).length;
      if ((pos > neg ? 1 : 0) === label) correct++;
    }
    assert.ok(positives > 200 && positives < 300, `positives ${positives}`);
    assert.ok(correct / 500 > 0.85, `counting rule accuracy ${correct / 500}`);
    assert.deepEqual(sentimentData(opts).x.values, data.x.values);
    assert.notDeepEqual(sentimentData({ ...opts, seed: 9 }).x.values, data.x.values);
  });
});

describe('training data: validation_split like Keras', () => {
  const make = (n: number) => window(Array.from({ length: n + 1 }, (_, i) => i), 1, 1);

  it('takes the last fraction, split_at = floor(n * (1 - fraction))', () => {
    const { train, validation } = validationSplit(make(10), 0.2);
    assert.deepEqual(Array.from(train.x.values), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(Array.from(train.y.values), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(validation!.x.values), [8, 9]);
    assert.deepEqual(validation!.y.shape, [2, 1]);
    // 10 * (1 - 0.7) is 3.0000000000000004 in floating point: Keras keeps 3 for training.
    assert.equal(validationSplit(make(10), 0.7).train.x.shape[0], 3);
    // 5 * 0.67 = 3.35 → 3 training samples, as the seed's 5 windows would split.
    assert.equal(validationSplit(make(5), 0.33).train.x.shape[0], 3);
  });

  it('no split for 0; an error when either part would be empty, or for a bad fraction', () => {
    const data = make(4);
    assert.equal(validationSplit(data, 0).validation, null);
    assert.throws(() => validationSplit(make(1), 0.5), DataError);
    // 1 - 1e-17 rounds to 1: nothing would be left for validation.
    assert.throws(() => validationSplit(make(4), 1e-17), DataError);
    assert.throws(() => validationSplit(data, 1), DataError);
    assert.throws(() => validationSplit(data, -0.1), DataError);
  });
});
