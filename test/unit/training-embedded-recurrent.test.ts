// An Embedding feeding a recurrent layer trains on the whole-model path as one layer that
// projects the batch's distinct tokens once (wholeModel/layers/embedded-recurrent.ts) and a
// kernel that reads each step's projection by row index (fused/rows.ts): outputs and every
// weight's gradient agree with tfjs-layers (1e-4 relative) for each recurrent kind, repeated
// tokens, padding with and without mask_zero, go_backwards, a batch whose every token is
// distinct and the table's first and last rows; the rows kernel agrees with the projection
// kernel it replaces, in WebAssembly, in TypeScript and split over two threads.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { elementwiseActivation } from '../../src/training/fused/activations';
import { GATES, type KernelInput, type RecurrentKind, STATES } from '../../src/training/fused/kernel';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../../src/training/fused/layers';
import { addTransposedTimesMatrix } from '../../src/training/fused/matmul';
import { configureSplit, kernelThreadCounts, runKernel } from '../../src/training/fused/parallel';
import { gatherRows, runRowsKernel, scatterAddRows } from '../../src/training/fused/rows';
import { setSimdEnabled, simdKernels } from '../../src/training/fused/simd/module';
import { setKernelThreadsEnabled } from '../../src/training/fused/threadHost';
import { EmbeddedRecurrent } from '../../src/training/wholeModel/layers/embedded-recurrent';
import { assertClose, planOf, random, randomArray, runPlan } from '../helpers/whole-model';

type Make = (args: Record<string, unknown>) => tf.layers.Layer;
const KINDS: [string, Make][] = [
  ['LSTM', (a) => new FusedLSTM(a as never)],
  ['GRU', (a) => new FusedGRU(a as never)],
  ['GRU(reset_after=True)', (a) => new FusedResetAfterGRU(a as never)],
  ['SimpleRNN', (a) => new FusedSimpleRNN(a as never)],
];

/** Embedding(vocabulary, 3, mask_zero) → the recurrent layer → Dense(2), weights random. */
function model(vocabulary: number, steps: number, recurrent: tf.layers.Layer, maskZero: boolean, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [steps] });
  const embedding = tf.layers.embedding({ inputDim: vocabulary, outputDim: 3, maskZero });
  const out = tf.layers.dense({ units: 2 }).apply(recurrent.apply(embedding.apply(input))) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  m.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
  const next = random(seed);
  m.setWeights(m.getWeights().map((w) => tf.tensor(randomArray(w.size, next, 0.6), w.shape)));
  return m;
}

/** The joined layer's output and weight gradients of sum(output ⊙ r) against tfjs's, on these token ids. */
function assertJoinedMatchesTfjs(m: tf.LayersModel, ids: number[][], what: string): void {
  const plan = planOf(m);
  assert.ok(plan.layers[0] instanceof EmbeddedRecurrent, `${what}: Embedding and the recurrent layer are joined`);
  const shape = [ids.length, ids[0].length];
  const x = Float32Array.from(ids.flat());
  const xt = tf.tensor2d(ids);
  const expectedY = tf.tidy(() => (m.apply(xt, { training: true }) as tf.Tensor).dataSync().slice());
  const r = randomArray(expectedY.length, random(7));
  const ours = runPlan(plan, x, shape, r.slice());
  assertClose(ours.y, expectedY, `${what}: output`);
  tf.tidy(() => {
    const rt = tf.tensor(r, [ids.length, 2]);
    const variables = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.apply(xt, { training: true }) as tf.Tensor, rt)) as tf.Scalar, variables);
    for (const w of plan.layers.flatMap((l) => l.weights)) {
      const name = (w.variable.read() as tf.Variable).name;
      assertClose(w.grad, grads[name].dataSync(), `${what}: d${w.variable.name}`);
    }
  });
  xt.dispose();
}

/** Pre-padded reviews over a small vocabulary: tokens repeat within and across samples. */
const REPEATED = [
  [0, 0, 4, 2, 4, 4],
  [3, 1, 2, 3, 3, 1],
  [0, 0, 0, 6, 6, 2],
];

describe('whole-model path: an Embedding feeding a recurrent layer projects each distinct token once', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('cpu');
  });
  after(() => setSimdEnabled(true));

  for (const implementation of ['WebAssembly', 'TypeScript'] as const) {
    describe(`${implementation} kernels`, () => {
      before(() => setSimdEnabled(implementation === 'WebAssembly'));
      after(() => setSimdEnabled(true));

      KINDS.forEach(([kind, make], k) => {
        it(`${kind}: repeated tokens and padding, with and without mask_zero, go_backwards, return_sequences`, () => {
          for (const maskZero of [false, true]) {
            assertJoinedMatchesTfjs(model(7, 6, make({ units: 3 }), maskZero, 10 + k), REPEATED, `${kind} mask_zero=${maskZero}`);
            assertJoinedMatchesTfjs(model(7, 6, make({ units: 3, goBackwards: true }), maskZero, 20 + k), REPEATED, `${kind} go_backwards mask_zero=${maskZero}`);
          }
          const sequences = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) });
          const input = tf.input({ shape: [6] });
          const out = tf.layers.flatten().apply(sequences.apply(make({ units: 2, returnSequences: true, goBackwards: true }).apply(
            tf.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true }).apply(input)))) as tf.SymbolicTensor;
          const m = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(out) as tf.SymbolicTensor });
          m.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
          assertJoinedMatchesTfjs(m, REPEATED, `${kind} return_sequences`);
        });

        it(`Bidirectional(${kind}): each merge mode, with and without return_sequences, mask_zero`, () => {
          (['concat', 'sum', 'mul', 'ave'] as const).forEach((mergeMode, m) => {
            for (const returnSequences of [false, true]) {
              const input = tf.input({ shape: [6] });
              const embedded = tf.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: m % 2 === 0 }).apply(input);
              let y = tf.layers.bidirectional({ layer: make({ units: 2, returnSequences }) as tf.RNN, mergeMode }).apply(embedded) as tf.SymbolicTensor;
              if (returnSequences) y = tf.layers.flatten().apply(y) as tf.SymbolicTensor;
              const m2 = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(y) as tf.SymbolicTensor });
              m2.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
              const next = random(70 + 8 * k + 2 * m + Number(returnSequences));
              m2.setWeights(m2.getWeights().map((w) => tf.tensor(randomArray(w.size, next, 0.6), w.shape)));
              assertJoinedMatchesTfjs(m2, REPEATED, `Bidirectional(${kind}) ${mergeMode} return_sequences=${returnSequences}`);
            }
          });
        });

        it(`${kind}: every token distinct, and the table's first and last rows`, () => {
          const distinct = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]];
          assertJoinedMatchesTfjs(model(11, 5, make({ units: 2 }), false, 30 + k), distinct, `${kind} distinct`);
          const edges = [[0, 10, 0, 10, 5], [10, 10, 0, 1, 0]];
          assertJoinedMatchesTfjs(model(11, 5, make({ units: 2 }), false, 40 + k), edges, `${kind} rows 0 and 10`);
          assertJoinedMatchesTfjs(model(11, 5, make({ units: 2, useBias: false }), true, 50 + k), edges, `${kind} no bias, mask_zero`);
        });

        it(`${kind}: a vocabulary far larger than the batch's ids (their order found by sorting, not by a pass over it)`, () => {
          const sparse = [[997, 3, 512, 3, 0], [0, 998, 41, 997, 512]];
          assertJoinedMatchesTfjs(model(1000, 5, make({ units: 2 }), true, 55 + k), sparse, `${kind} vocabulary 1000`);
        });
      });
    });
  }

  it('keeps the two layers apart when the recurrent layer drops its input out (equal tokens no longer project alike)', () => {
    const plan = planOf(model(7, 6, new FusedLSTM({ units: 3, dropout: 0.2 }), false, 60));
    assert.equal(plan.layers.length, 3);
    assert.ok(!(plan.layers[0] instanceof EmbeddedRecurrent));
    const joined = planOf(model(7, 6, new FusedLSTM({ units: 3, recurrentDropout: 0.2 }), false, 61));
    assert.ok(joined.layers[0] instanceof EmbeddedRecurrent, 'recurrent_dropout acts on the state: joined');
    assert.match(joined.layers[0].name, /^\S+ → \S+$/, 'named for both layers, for messages');
    process.env['SEQMODEL_TOKEN_ROWS'] = '0';
    try {
      assert.equal(planOf(model(7, 6, new FusedLSTM({ units: 3 }), false, 62)).layers.length, 3, 'SEQMODEL_TOKEN_ROWS=0 keeps them apart');
    } finally {
      delete process.env['SEQMODEL_TOKEN_ROWS'];
    }
  });

  it('frees the kernel\'s tape after a batch outside training (validation), and trains as before after it', () => {
    const m = model(7, 6, new FusedLSTM({ units: 3 }), true, 63);
    const plan = planOf(m);
    const simd = simdKernels();
    assert.ok(simd, 'the WebAssembly module loads in this checkout');
    const x = Float32Array.from(REPEATED.flat());
    const before = runPlan(plan, x, [3, 6], null, null, false);
    assert.equal(simd.freeFrom(), simd.base, 'no tape held after a forward pass outside training');
    assertClose(runPlan(plan, x, [3, 6], null, null, false).y, before.y, 'the same output again');
    assertJoinedMatchesTfjs(m, REPEATED, 'training after validation');
  });

  it('says which token id is outside the table', () => {
    const plan = planOf(model(7, 3, new FusedLSTM({ units: 2 }), true, 62));
    assert.throws(() => runPlan(plan, Float32Array.from([1, 7, 2]), [1, 3], null), /token id 7 is outside the embedding table \[0, 7\)/);
  });
});

// The rows kernel against the projection kernel on the gathered projection.
function rowsCase(kind: RecurrentKind, batch: number, seed: number): { k: KernelInput; table: Float32Array; ids: Int32Array } {
  const next = random(seed);
  const steps = 5;
  const units = 4;
  const width = GATES[kind] * units;
  const tableRows = 6;
  const table = randomArray(tableRows * width, next);
  // Every row used, some many times; row 5 at the first and last steps.
  const ids = Int32Array.from({ length: batch * steps }, (_, i) => (i % steps === 0 || i % steps === steps - 1 ? 5 : (i * 7) % 5));
  const k: KernelInput = {
    batch,
    steps,
    units,
    xproj: gatherRows(table, ids, width, new Float32Array(ids.length * width)),
    recurrentKernel: randomArray(units * width, next, 0.6),
    recurrentBias: kind === 'gru-reset-after' ? randomArray(width, next, 0.3) : null,
    h0: new Float32Array(batch * units),
    c0: null,
    mask: Uint8Array.from({ length: batch * steps }, (_, i) => (i % 3 === 1 ? 0 : 1)),
    recurrentMask: null,
    activation: elementwiseActivation('tanh')!,
    recurrentActivation: elementwiseActivation('sigmoid')!,
  };
  return { k, table, ids };
}

function assertRowsMatch(kind: RecurrentKind, batch: number, what: string): void {
  const { k, table, ids } = rowsCase(kind, batch, 5);
  const width = GATES[kind] * k.units;
  const { xproj: _, ...rest } = k;
  const viaRows = runRowsKernel(kind, { ...rest, rows: { table, ids } });
  const viaProjection = runKernel(kind, k);
  assertClose(viaRows.y, viaProjection.y, `${what} y`, 1e-5);
  const dy = randomArray(k.batch * (k.steps + STATES[kind]) * k.units, random(9));
  const a = viaRows.backward(dy);
  const b = viaProjection.backward(dy);
  const dRows = new Float32Array(table.length);
  scatterAddRows(b.dxproj, ids, width, dRows);
  assertClose(a.dRows, dRows, `${what} dRows`, 1e-5);
  assertClose(a.dh0, b.dh0, `${what} dh0`, 1e-5);
  // The TypeScript kernels leave the recurrent kernel's gradient to its factors (kernel.ts).
  let dR = b.dRecurrentKernel;
  if (!dR) {
    dR = new Float32Array(k.units * width);
    for (const { left, from, to } of b.productInputs) addTransposedTimesMatrix(left, k.batch * k.steps, k.units, b.dProducts, width, from, to, dR, from, width);
  }
  assertClose(a.dRecurrentKernel, dR, `${what} dRecurrentKernel`, 1e-5);
  if (kind === 'gru-reset-after') {
    const sums = new Float32Array(width);
    for (let r = 0; r < k.batch * k.steps; r++) for (let j = 0; j < width; j++) sums[j] += b.dProducts[r * width + j];
    assertClose(a.dRecurrentBias!, sums, `${what} dRecurrentBias`, 1e-5);
  } else {
    assert.equal(a.dRecurrentBias, null);
  }
}

describe('fused/rows: a kernel whose projection comes as rows of a table', function () {
  this.timeout(120_000);
  const kinds: RecurrentKind[] = ['lstm', 'gru', 'gru-reset-after', 'simple-rnn'];
  after(() => setSimdEnabled(true));

  for (const implementation of ['WebAssembly', 'TypeScript'] as const) {
    it(`${implementation}: the same outputs and gradients as the kernel on the gathered projection, the gradient summed per row`, () => {
      setSimdEnabled(implementation === 'WebAssembly');
      try {
        for (const kind of kinds) assertRowsMatch(kind, 3, `${implementation} ${kind}`);
      } finally {
        setSimdEnabled(true);
      }
    });
  }

  it('split over two threads where the split runs: gathered for it, the same results', async () => {
    configureSplit({ minWork: 0, adaptive: false });
    await setKernelThreadsEnabled(true);
    try {
      for (const kind of kinds) {
        const before = kernelThreadCounts().split;
        assertRowsMatch(kind, 4, `split ${kind}`);
        // runRowsKernel's call and the reference runKernel's both split where there are two cores.
        const split = kernelThreadCounts().split - before;
        assert.ok(split === 0 || split === 2, `${kind}: ${split} split calls`);
      }
    } finally {
      configureSplit({});
    }
  });

  it('says when a row id is outside the table or the ids do not cover the steps', () => {
    const { k, table, ids } = rowsCase('lstm', 2, 6);
    const { xproj: _, ...rest } = k;
    const bad = ids.slice();
    bad[3] = 6;
    assert.throws(() => runRowsKernel('lstm', { ...rest, rows: { table, ids: bad } }), /row id 6 outside the table's 6 rows/);
    assert.throws(() => runRowsKernel('lstm', { ...rest, rows: { table, ids: ids.subarray(1) } }), /9 row ids for 2 × 5 steps/);
    assert.throws(() => runRowsKernel('lstm', { ...rest, rows: { table: table.subarray(1), ids } }), /not rows of 16/);
  });
});
