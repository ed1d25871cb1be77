// The fused recurrent layers compute exactly what tfjs-layers's step-by-step layers compute:
// forward outputs and gradients (w.r.t. the input, the initial states and every weight) agree to
// 1e-4 relative on random small cases, for every kind and option; central finite differences
// confirm the gradients independently of tfjs; and the layers save and reload.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { fusedPathFor } from '../../src/training/fused/eligibility';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../../src/training/fused/layers';
import { addRowsTimesMatrix, addRowsTimesMatrixJs, addRowsTimesMatrixT, addRowsTimesMatrixTJs, matmulImplementation } from '../../src/training/fused/matmul';
import { elementwiseActivation } from '../../src/training/fused/activations';
import { kernelImplementation } from '../../src/training/fused/sequence';
import { loadSimdKernels, SIMD_ACTIVATIONS, SimdBinary } from '../../src/training/fused/simd/module';
import { ResetAfterGRU } from '../../src/training/layers/gru-reset-after';
import { fileLoadHandler, fileSaveHandler } from '../../src/training/modelFiles';
import { buildModel } from '../../src/training/build';
import { lastLayer, single } from '../helpers/engine';
import { automaticImplementation, Implementation, implementations, NATIVE, useImplementation } from '../helpers/kernelBuilds';
import { seededRandom as random } from '../helpers/random';
import { withTempDir } from '../helpers/temp-dir';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU' | 'GRU-reset-after';
type Args = Record<string, unknown> & { units: number };

/** The tfjs-layers reference layer and the fused one, from the same arguments. */
function pair(kind: Kind, args: Args): [tf.layers.Layer, tf.layers.Layer] {
  switch (kind) {
    case 'SimpleRNN':
      return [tf.layers.simpleRNN(args), new FusedSimpleRNN(args)];
    case 'LSTM':
      return [tf.layers.lstm(args), new FusedLSTM(args)];
    case 'GRU':
      return [tf.layers.gru(args), new FusedGRU(args)];
    case 'GRU-reset-after':
      return [new ResetAfterGRU(args), new FusedResetAfterGRU(args)];
  }
}


function randomTensor(shape: number[], next: () => number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: n }, () => next() * scale), shape);
}

function assertClose(actual: tf.Tensor, expected: tf.Tensor, what: string, rel = 1e-4): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  // Relative to the entry, with a floor of 1e-4 of the tensor's largest entry: gradients that
  // are near zero only by cancellation carry float32 rounding of the larger terms.
  let scale = 0;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < e.length; i++) {
    const tol = rel * Math.max(Math.abs(e[i]), scale * 1e-2, 1e-6);
    assert.ok(Math.abs(a[i] - e[i]) <= tol, `${what}[${i}]: fused ${a[i]} vs tfjs ${e[i]}`);
  }
}

interface Case {
  kind: Kind;
  args: Args;
  batch?: number;
  steps?: number;
  features?: number;
  /** Masked (batch, steps) entries as 0/1; Keras's masking from Embedding(mask_zero=True). */
  mask?: number[][];
  initialState?: boolean;
  /** Run in training mode (dropout masks drawn). */
  training?: boolean;
}

/** Outputs and gradients of sum(outputs ⊙ random weights) w.r.t. x, initial states and weights. */
function run(layer: tf.layers.Layer, x: tf.Variable, c: Case, states: tf.Variable[], probe: tf.Tensor[] | null) {
  const kwargs: Record<string, unknown> = {};
  if (c.mask) kwargs['mask'] = tf.tensor2d(c.mask);
  if (c.initialState) kwargs['initialState'] = states;
  if (c.training) kwargs['training'] = true;
  const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  let outputs: tf.Tensor[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const out = layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[];
    outputs = (Array.isArray(out) ? out : [out]).map((t) => tf.keep(t));
    const p = probe ?? outputs.map((t) => tf.ones(t.shape));
    return tf.addN(outputs.map((t, i) => tf.sum(tf.mul(t, p[i])))) as tf.Scalar;
  }, [x, ...states, ...weights]);
  return { outputs, value, grads, weights };
}

function compare(c: Case, seed = 7): void {
  const next = random(seed);
  const { batch = 3, steps = 5, features = 4 } = c;
  const [reference, fused] = pair(c.kind, c.args);
  const stateCount = c.kind === 'LSTM' ? 2 : 1;
  const x = tf.variable(randomTensor([batch, steps, features], next));
  const states = c.initialState
    ? Array.from({ length: stateCount }, () => tf.variable(randomTensor([batch, c.args.units], next, 0.5)))
    : [];
  reference.apply(x);
  fused.apply(x);
  fused.setWeights(reference.getWeights().map((w) => randomTensor(w.shape, next, 0.6)));
  reference.setWeights(fused.getWeights());
  const ref = run(reference, x, c, states, null);
  const probe = ref.outputs.map((t) => randomTensor(t.shape, next));
  const expected = run(reference, x, c, states, probe);
  const actual = run(fused, x, c, states, probe);
  assert.equal(actual.outputs.length, expected.outputs.length, 'number of outputs');
  actual.outputs.forEach((t, i) => assertClose(t, expected.outputs[i], `output ${i}`));
  assertClose(actual.grads[x.name], expected.grads[x.name], 'd/dx');
  states.forEach((s, i) => assertClose(actual.grads[s.name], expected.grads[s.name], `d/d initial state ${i}`));
  actual.weights.forEach((w, i) => {
    assertClose(actual.grads[w.name], expected.grads[expected.weights[i].name], `d/d ${reference.trainableWeights[i].originalName}`);
  });
  tf.dispose([x, ...states, ...ref.outputs, ...expected.outputs, ...actual.outputs, ...probe]);
}

const KINDS: Kind[] = ['SimpleRNN', 'LSTM', 'GRU', 'GRU-reset-after'];
const ACTIVATIONS = ['tanh', 'sigmoid', 'hardSigmoid', 'relu', 'relu6', 'elu', 'selu', 'linear', 'softplus', 'softsign', 'swish', 'gelu', 'mish'];

/** Where the build produced the wasm module: each test runs on it and on the TypeScript kernels. */
const BUILT = existsSync(path.join(__dirname, '..', '..', 'dist', 'fused-kernels.wasm'));
/**
 * Whether the fused-multiply-add binary runs: built, not turned off, and Node 20+ validates
 * relaxed SIMD (20 once simd/relaxedSimd.ts sets its V8 flag). Run the file with
 * SEQMODEL_RELAXED_SIMD=0 to test the plain binary.
 */
const FMA = BUILT && process.env['SEQMODEL_RELAXED_SIMD'] !== '0';
/** Each suite runs on the native build where it loads (test/helpers/kernelBuilds.ts), wasm, TypeScript. */
const IMPLEMENTATIONS = implementations(BUILT);
/** What the automatic choice runs: the native build where it loads, else a wasm binary. */
const AUTOMATIC = NATIVE ? 'native-avx2' : FMA ? 'wasm-simd-fma' : BUILT ? 'wasm-simd' : 'js';

/** Runs the enclosing suite's tests on one implementation of the kernels. */
function onImplementation(implementation: Implementation): void {
  before(() => useImplementation(implementation));
  after(() => automaticImplementation());
}

describe('training/fused: the fused recurrent layers compute what tfjs-layers computes', function () {
  this.timeout(120_000);

  for (const implementation of IMPLEMENTATIONS) for (const backend of ['wasm', 'cpu'] as const) {
    describe(`${implementation} kernels on ${backend}`, () => {
      onImplementation(implementation);
      before(async () => {
        await initBackend(backend);
      });

      for (const kind of KINDS) {
        it(`${kind}: outputs and gradients, in every return mode and direction`, () => {
          for (const returnSequences of [false, true]) {
            for (const returnState of [false, true]) {
              for (const goBackwards of [false, true]) {
                compare({ kind, args: { units: 3, returnSequences, returnState, goBackwards } });
              }
            }
          }
        });

        it(`${kind}: without bias, with given initial states, and masked steps (leading, inner, trailing)`, () => {
          compare({ kind, args: { units: 2, useBias: false, returnSequences: true } });
          compare({ kind, args: { units: 3, returnState: true }, initialState: true });
          const mask = [[0, 1, 1, 0, 1], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0]];
          compare({ kind, args: { units: 3, returnSequences: true, returnState: true }, mask });
          compare({ kind, args: { units: 3, goBackwards: true, returnState: true }, mask, initialState: true });
        });
      }

      // The remaining cases exercise the same kernels: once, on the backend training uses.
      if (backend === 'cpu') return;

      it('every element-wise Keras activation, as activation and as recurrent_activation', () => {
        for (const activation of ACTIVATIONS) {
          compare({ kind: 'SimpleRNN', args: { units: 3, activation, returnSequences: true } });
          for (const kind of ['LSTM', 'GRU', 'GRU-reset-after'] as const) {
            compare({ kind, args: { units: 2, activation, returnSequences: true } });
            compare({ kind, args: { units: 2, recurrentActivation: activation, returnSequences: true } });
          }
        }
      });

      it('Bidirectional in each merge mode around each kind', () => {
        for (const kind of KINDS) {
          for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null]) {
            const next = random(11);
            const [ref, fused] = pair(kind, { units: 2, returnSequences: true });
            const biRef = tf.layers.bidirectional({ layer: ref as tf.RNN, mergeMode: mergeMode as 'concat' });
            const biFused = tf.layers.bidirectional({ layer: fused as tf.RNN, mergeMode: mergeMode as 'concat' });
            const x = tf.variable(randomTensor([2, 4, 3], next));
            biRef.apply(x);
            biFused.apply(x);
            biFused.setWeights(biRef.getWeights().map((w) => randomTensor(w.shape, next, 0.6)));
            biRef.setWeights(biFused.getWeights());
            const c: Case = { kind, args: { units: 2 } };
            const probeOf = (outs: tf.Tensor[]) => outs.map((t) => randomTensor(t.shape, random(3)));
            const first = run(biRef, x, c, [], null);
            const probe = probeOf(first.outputs);
            const expected = run(biRef, x, c, [], probe);
            const actual = run(biFused, x, c, [], probe);
            actual.outputs.forEach((t, i) => assertClose(t, expected.outputs[i], `${kind} ${mergeMode} output ${i}`));
            assertClose(actual.grads[x.name], expected.grads[x.name], `${kind} ${mergeMode} d/dx`);
            actual.weights.forEach((w, i) => assertClose(actual.grads[w.name], expected.grads[expected.weights[i].name], `${kind} ${mergeMode} weight ${i}`));
          }
        }
      });

      it('stacked layers: the first layer\'s tape, moved out of the module by the second\'s forward pass, gives the same gradients', () => {
        for (const kind of KINDS) {
          const next = random(13);
          const [ref1, fused1] = pair(kind, { units: 3, returnSequences: true });
          const [ref2, fused2] = pair(kind, { units: 2, returnSequences: true });
          const x = tf.variable(randomTensor([2, 4, 3], next));
          const stack = (a: tf.layers.Layer, b: tf.layers.Layer) => (input: tf.Tensor) => b.apply(a.apply(input)) as tf.Tensor;
          stack(ref1, ref2)(x);
          stack(fused1, fused2)(x);
          for (const [ref, fused] of [[ref1, fused1], [ref2, fused2]]) {
            fused.setWeights(ref.getWeights().map((w) => randomTensor(w.shape, next, 0.6)));
            ref.setWeights(fused.getWeights());
          }
          const probe = randomTensor([2, 4, 2], next);
          const grads = (a: tf.layers.Layer, b: tf.layers.Layer) => {
            const vars = [x, ...[...a.trainableWeights, ...b.trainableWeights].map((w) => (w as unknown as { val: tf.Variable }).val)];
            const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(stack(a, b)(x), probe)) as tf.Scalar, vars);
            return vars.map((v) => g[v.name]);
          };
          const expected = grads(ref1, ref2);
          grads(fused1, fused2).forEach((g, i) => assertClose(g, expected[i], `${kind} stacked gradient ${i}`));
        }
      });

      it('dropout and recurrent_dropout: the masks tfjs draws give the results and gradients tfjs gives', () => {
        // Every tfjs dropout mask seeds its generator from Math.random(): a constant makes the
        // masks of both paths the same draws, so training mode can be compared exactly.
        const random = Math.random;
        Math.random = () => 0.37;
        try {
          for (const kind of KINDS) {
            compare({ kind, args: { units: 3, dropout: 0.4, returnSequences: true }, training: true });
            compare({ kind, args: { units: 3, recurrentDropout: 0.4, returnSequences: true, returnState: true }, training: true });
            const mask = [[1, 1, 0, 1, 1], [0, 1, 1, 1, 0], [1, 1, 1, 1, 1]];
            compare({ kind, args: { units: 3, dropout: 0.3, recurrentDropout: 0.5, goBackwards: true, returnSequences: true }, training: true, mask });
          }
        } finally {
          Math.random = random;
        }
      });

      it('dropout: outside training nothing is dropped; in training one input mask per sequence', () => {
        for (const kind of KINDS) compare({ kind, args: { units: 2, dropout: 0.5, recurrentDropout: 0.3, returnSequences: true } });
        // Linear SimpleRNN with no recurrence: each output is (x ⊙ mask)·W, so equal inputs at
        // every step give equal outputs at every step only if the mask is the sequence's.
        const layer = new FusedSimpleRNN({ units: 4, activation: 'linear', dropout: 0.5, useBias: false, returnSequences: true, recurrentInitializer: 'zeros' });
        const x = tf.tile(tf.ones([1, 1, 8]), [16, 6, 1]);
        const plain = layer.apply(x) as tf.Tensor;
        const dropped = layer.apply(x, { training: true }) as tf.Tensor;
        const values = dropped.arraySync() as number[][][];
        for (const sample of values) for (const step of sample) assert.deepEqual(step, sample[0]);
        assert.ok(Math.abs(tf.sub(plain, dropped).abs().max().dataSync()[0]) > 1e-3, 'training drops inputs');
      });
    });
  }
});

describe('training/fused: RNN(SimpleRNNCell | LSTMCell | GRUCell) takes the fused path of the layer it equals', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend('wasm');
  });

  const CASES: [string, string, string][] = [
    ['input(5, 2)\nRNN(LSTMCell(3), return_sequences=True)', 'SeqModelFusedLSTM', 'lstm'],
    ['input(5, 2)\nRNN(LSTMCell(3, recurrent_activation="hard_sigmoid", unit_forget_bias=False), go_backwards=True)', 'SeqModelFusedLSTM', 'lstm'],
    ['input(5, 2)\nRNN(GRUCell(3), return_sequences=True, go_backwards=True)', 'SeqModelFusedResetAfterGRU', 'gru-reset-after'],
    ['input(5, 2)\nRNN(GRUCell(3, reset_after=False, activation="relu"), return_sequences=True)', 'SeqModelFusedGRU', 'gru'],
    ['input(5, 2)\nRNN(SimpleRNNCell(3, use_bias=False, activation="elu"))', 'SeqModelFusedSimpleRNN', 'simple-rnn'],
    ['input(5, 2)\nRNN(LSTMCell(3, dropout=0.2, recurrent_dropout=0.2), return_sequences=True)', 'SeqModelFusedLSTM', 'lstm'],
    ['input(5, 2)\nBidirectional(RNN(GRUCell(2), return_sequences=True), merge_mode="sum")', 'SeqModelFusedResetAfterGRU', 'bidirectional(gru-reset-after'],
    ['input(5, 2)\nBidirectional(RNN(LSTMCell(2)))', 'SeqModelFusedLSTM', 'bidirectional(lstm'],
  ];

  for (const [body, fusedClass, kernel] of CASES) {
    it(`${body.split('\n')[1]}: same outputs and gradients as the tfjs cell path, same parameter count`, () => {
      const info = lastLayer(body);
      const path = fusedPathFor(info);
      assert.equal(path.path, 'fused');
      assert.ok((path as { kernel: string }).kernel.startsWith(`${kernel}/`), (path as { kernel: string }).kernel);
      const { model } = single(body);
      // The escape hatch builds the tfjs cell path: the reference.
      process.env['SEQMODEL_FUSED'] = '0';
      let reference: tf.LayersModel;
      try {
        reference = buildModel(model, { seed: 7 });
      } finally {
        delete process.env['SEQMODEL_FUSED'];
      }
      const fused = buildModel(model, { seed: 7 });
      const classes = (m: tf.LayersModel) => JSON.stringify(m.toJSON(null, false));
      assert.match(classes(reference), /"SeqModelRNN"/);
      assert.doesNotMatch(classes(reference), /SeqModelFused/);
      assert.match(classes(fused), new RegExp(`"${fusedClass}"`));
      assert.equal(fused.countParams(), info.params.total);
      assert.equal(reference.countParams(), info.params.total);
      // The same initial weights: the cell draws its seeds in the layer's order (Bidirectional
      // reseeds its backward copy from a walk of its own, so only the unwrapped layer).
      if (!body.includes('Bidirectional')) fused.getWeights().forEach((w, i) => assertClose(w, reference.getWeights()[i], `initial weight ${i}`, 1e-6));
      const next = random(17);
      fused.setWeights(reference.getWeights().map((w) => randomTensor(w.shape, next, 0.6)));
      reference.setWeights(fused.getWeights());
      const x = tf.variable(randomTensor([3, 5, 2], next));
      const probe = randomTensor((reference.predict(x) as tf.Tensor).shape, next);
      const gradients = (m: tf.LayersModel) => {
        const vars = [x, ...m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)];
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(m.apply(x) as tf.Tensor, probe)) as tf.Scalar, vars);
        return { value, grads: vars.map((v) => grads[v.name]) };
      };
      assertClose(fused.predict(x) as tf.Tensor, reference.predict(x) as tf.Tensor, 'output');
      const expected = gradients(reference);
      const actual = gradients(fused);
      assertClose(actual.value, expected.value, 'loss');
      actual.grads.forEach((g, i) => assertClose(g, expected.grads[i], i === 0 ? 'd/dx' : `d/d weight ${i - 1}`));
    });
  }

  it('a saved run with RNN(LSTMCell) and Bidirectional(RNN(GRUCell)) loads back onto the fused path with the same outputs', async () => {
    const model = buildModel(single('input(4, 3)\nRNN(LSTMCell(3), return_sequences=True)\nBidirectional(RNN(GRUCell(2)))\nDense(1)').model, { seed: 3 });
    await withTempDir('fused-cell', async (folder) => {
      await model.save(fileSaveHandler(folder));
      const loaded = await tf.loadLayersModel(fileLoadHandler(folder));
      assert.deepEqual(loaded.layers.map((l) => l.getClassName()).slice(1), ['SeqModelFusedLSTM', 'Bidirectional', 'Dense']);
      const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5);
      assertClose(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor, 'reloaded prediction', 1e-6);
    });
  });
});

describe('training/fused: gradients against central finite differences', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('cpu');
  });

  for (const implementation of IMPLEMENTATIONS) for (const kind of KINDS) {
    it(`${kind} (${implementation} kernel): d/dx and d/d every weight, masked, with states`, () => {
      useImplementation(implementation);
      const next = random(5);
      const [, layer] = pair(kind, { units: 2, returnSequences: true, returnState: true });
      const x = tf.variable(randomTensor([2, 3, 2], next));
      const mask = tf.tensor2d([[1, 0, 1], [1, 1, 1]]);
      layer.apply(x);
      layer.setWeights(layer.getWeights().map((w) => randomTensor(w.shape, next, 0.8)));
      const probe = (layer.apply(x) as tf.Tensor[]).map((t) => randomTensor(t.shape, next));
      const loss = () => tf.tidy(() => {
        const outs = layer.apply(x, { mask }) as tf.Tensor[];
        return tf.addN(outs.map((t, i) => tf.sum(tf.mul(t, probe[i])))) as tf.Scalar;
      });
      const vars = [x, ...layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)];
      const { grads } = tf.variableGrads(loss, vars);
      const eps = 1e-2;
      for (const v of vars) {
        const analytic = grads[v.name].dataSync();
        const base = v.dataSync().slice();
        for (let i = 0; i < base.length; i++) {
          const at = (delta: number) => {
            const moved = base.slice();
            moved[i] += delta;
            v.assign(tf.tensor(moved, v.shape));
            return loss().dataSync()[0];
          };
          const numeric = (at(eps) - at(-eps)) / (2 * eps);
          v.assign(tf.tensor(base, v.shape));
          assert.ok(Math.abs(numeric - analytic[i]) <= 2e-3 * Math.max(1, Math.abs(numeric)),
            `${v.name}[${i}]: analytic ${analytic[i]} vs central difference ${numeric}`);
        }
      }
      automaticImplementation();
    });
  }
});

describe('training/fused: layers save and reload onto the fused path', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('wasm');
  });

  it('a model with every fused kind and a Bidirectional round-trips its config and weights', async () => {
    const input = tf.input({ shape: [4, 3] });
    let h = new FusedLSTM({ units: 3, returnSequences: true }).apply(input) as tf.SymbolicTensor;
    h = new FusedGRU({ units: 3, returnSequences: true }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.bidirectional({ layer: new FusedResetAfterGRU({ units: 2, returnSequences: true }) as unknown as tf.RNN }).apply(h) as tf.SymbolicTensor;
    h = new FusedSimpleRNN({ units: 2 }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: h });
    await withTempDir('fused', async (folder) => {
      await model.save(fileSaveHandler(folder));
      const loaded = await tf.loadLayersModel(fileLoadHandler(folder));
      const classes = loaded.layers.map((l) => l.getClassName());
      assert.deepEqual(classes.slice(1), ['SeqModelFusedLSTM', 'SeqModelFusedGRU', 'Bidirectional', 'SeqModelFusedSimpleRNN']);
      const x = tf.randomNormal([2, 4, 3]);
      assertClose(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor, 'reloaded prediction', 1e-6);
      assert.deepEqual(loaded.getWeights().map((w) => w.shape), model.getWeights().map((w) => w.shape));
    });
  });
});

describe('training/fused: the kernels\' activations (native and WebAssembly)', () => {
  const builds: SimdBinary[] = [...(NATIVE ? ['native' as const] : []), 'relaxed', 'plain'];
  for (const build of builds) it(`agree with the TypeScript ones (tfjs-layers's definitions) to 1e-6 relative (1e-7 absolute), from -90 to 90 (${build} build)`, () => {
    const simd = loadSimdKernels(build);
    assert.equal(simd?.binary, build, `the ${build} build did not load: \`npm run build\` compiles it`);
    if (!simd) return;
    // Dense near 0 (where tanh's two formulas meet at 0.5) and out to where e^x saturates.
    const xs = Float32Array.from({ length: 4003 }, (_, i) => {
      const u = (i - 2001) / 2001;
      return Math.sign(u) * 90 * u * u;
    });
    const n = xs.length;
    const mem = simd.scratch(3 * n + 12);
    const x = simd.base;
    const y = x + Math.ceil(n / 4) * 16;
    const dy = y + Math.ceil(n / 4) * 16;
    for (const [code, id] of SIMD_ACTIVATIONS.entries()) {
      mem.set(xs, x / 4);
      simd.exports.activations(code, x, n, y, dy);
      const ts = elementwiseActivation(id)!;
      for (let i = 0; i < n; i++) {
        const want = ts.f(xs[i]);
        const got = mem[y / 4 + i];
        // Relative, plus float32's rounding of terms of order 1 (0.2·x + 0.5 near hard_sigmoid's corner).
        assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want) + 1e-7, `${id}(${xs[i]}): ${got} vs ${want}`);
        const dWant = ts.df(xs[i], Math.fround(want));
        const dGot = mem[dy / 4 + i];
        // From y, where tanh and sigmoid saturate, 1 − y² carries y's float32 rounding twice.
        assert.ok(Math.abs(dGot - dWant) <= 1e-6 * Math.abs(dWant) + 2.5e-7, `${id}'(${xs[i]}): ${dGot} vs ${dWant}`);
      }
    }
  });
});

describe('training/fused: the step products', () => {
  it('run on WebAssembly SIMD where the build produced it (npm run build), with fused multiply-adds where the runtime has relaxed SIMD, else in TypeScript', () => {
    assert.equal(matmulImplementation(), AUTOMATIC);
  });

  it('compute what the TypeScript loops compute, on strided rows, for widths and depths off the vector size', () => {
    const next = random(3);
    const floats = (n: number) => Float32Array.from({ length: n }, next);
    for (const [rows, inner, cols, from, to] of [[3, 5, 12, 0, 12], [2, 7, 9, 6, 9], [4, 4, 8, 0, 6], [1, 13, 15, 3, 14]]) {
      const m = floats(inner * cols);
      const width = to - from;
      // Rows taken from the middle of larger arrays, as the kernels take one step of (batch, steps, ·).
      const a = floats(rows * (inner + width) * 2 + 5);
      const out = floats(rows * (inner + width) * 2 + 7);
      const stride = inner + width + 3;
      for (const [wasm, js, aWidth] of [[addRowsTimesMatrix, addRowsTimesMatrixJs, inner], [addRowsTimesMatrixT, addRowsTimesMatrixTJs, width]] as const) {
        const expected = out.slice();
        const actual = out.slice();
        js(a, 2, stride, rows, inner, m, cols, from, to, expected, 1, stride);
        wasm(a, 2, stride, rows, inner, m, cols, from, to, actual, 1, stride);
        assert.ok(aWidth + 2 <= stride);
        actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])), `${i}: ${v} vs ${expected[i]}`));
      }
    }
  });
});

describe('training/fused: fusedPathFor', () => {
  it('puts every recurrent configuration the kernels compute on the fused path', () => {
    // Built, the whole sequence runs in WebAssembly (its name says which binary); unbuilt, in TypeScript.
    const whole = AUTOMATIC;
    assert.deepEqual(fusedPathFor({ type: 'LSTM', config: { units: 4 } }), { path: 'fused', kernel: `lstm/${whole}` });
    assert.deepEqual(fusedPathFor({ type: 'GRU', config: { units: 4, reset_after: true } }), { path: 'fused', kernel: `gru-reset-after/${whole}` });
    assert.deepEqual(fusedPathFor({ type: 'GRU', config: { units: 4, reset_after: false } }), { path: 'fused', kernel: `gru/${whole}` });
    assert.deepEqual(fusedPathFor({ type: 'SimpleRNN', config: { units: 4, activation: 'relu', dropout: 0.2, recurrent_dropout: 0.2 } }), { path: 'fused', kernel: `simple-rnn/${whole}` });
    assert.deepEqual(fusedPathFor({ type: 'Bidirectional', config: { layer: { type: 'LSTM', config: { units: 2 } } } }), { path: 'fused', kernel: `bidirectional(lstm/${whole})` });
    assert.deepEqual(fusedPathFor({ type: 'LSTM', config: { units: 4, activation: null } }), { path: 'fused', kernel: `lstm/${whole}` });
    // An activation the module lacks: the TypeScript kernel, with the step products in WebAssembly when built.
    const partly = NATIVE ? 'js+native-products' : FMA ? 'js+simd-fma-products' : BUILT ? 'js+simd-products' : 'js';
    assert.deepEqual(fusedPathFor({ type: 'GRU', config: { units: 4, activation: 'elu' } }), { path: 'fused', kernel: `gru-reset-after/${partly}` });
    assert.deepEqual(fusedPathFor({ type: 'LSTM', config: { units: 4, recurrent_activation: 'gelu' } }), { path: 'fused', kernel: `lstm/${partly}` });
    assert.equal(kernelImplementation('simple-rnn', 'tanh', 'mish'), whole, 'SimpleRNN has no recurrent activation');
  });

  it('keeps the rest on tfjs with a reason a user understands', () => {
    assert.deepEqual(fusedPathFor({ type: 'Dense', config: { units: 4 } }), { path: 'tfjs', reason: 'not a recurrent layer' });
    assert.deepEqual(fusedPathFor({ type: 'LSTM', config: { units: 4, stateful: true } }), { path: 'tfjs', reason: 'stateful=True keeps states between batches, which the fused kernel does not' });
    const softmax = fusedPathFor({ type: 'GRU', config: { units: 4, recurrent_activation: 'softmax' } });
    assert.equal(softmax.path, 'tfjs');
    assert.match((softmax as { reason: string }).reason, /recurrent_activation="softmax" mixes the units of a gate/);
    assert.deepEqual(
      fusedPathFor({ type: 'Bidirectional', config: { layer: { type: 'SimpleRNN', config: { units: 2, activation: 'log_softmax' } } } }),
      { path: 'tfjs', reason: 'activation="log_softmax" mixes the units of a gate, which the fused kernel does not compute' },
    );
  });
});
