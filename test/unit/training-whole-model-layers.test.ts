// The whole-model layers other than Dense and the recurrent ones compute exactly what their
// tfjs layers compute: forward outputs, the weights' and the input's gradients (1e-4 relative on
// random small cases), the moving statistics a training step moves, and central finite
// differences confirm each family's backward independently of tfjs.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../../src/training/fused/layers';
import { SeqModelConv1D } from '../../src/training/layers/conv1d';
import { GlobalPooling1DKeepdims } from '../../src/training/layers/global-pooling-keepdims';
import { LAYER_FACTORIES } from '../../src/training/wholeModel/registry';
import { compareWithTfjs, counterpart, finiteDifferenceCheck, random, randomArray } from '../helpers/whole-model-layers';
import { initBackend } from '../../src/training/backend';

function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(randomArray(shape.reduce((a, b) => a * b, 1), random(seed), scale), shape);
}

/** Token ids in [0, vocabulary), some 0 (padding). */
function ids(shape: number[], vocabulary: number, seed: number): tf.Tensor {
  const next = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: n }, () => Math.floor(((next() + 1) / 2) * vocabulary)), shape);
}

describe('whole-model layers: Embedding', () => {
  it('gathers rows and sums the gradient per row, as tfjs', () => {
    const layer = tf.layers.embedding({ inputDim: 7, outputDim: 4 });
    compareWithTfjs({ layer, x: ids([3, 5], 7, 3), training: true, inputGradient: false });
  });

  it('adds the gradients of a repeated id into its row and leaves untouched rows at 0', () => {
    const layer = tf.layers.embedding({ inputDim: 5, outputDim: 2 });
    const x = tf.tensor([[1, 1, 3]]);
    const ours = compareWithTfjs({ layer, x, training: true, inputGradient: false });
    const grad = ours.weights[0].grad;
    assert.deepEqual(Array.from(grad.subarray(0, 2)), [0, 0]);
    assert.deepEqual(Array.from(grad.subarray(4, 6)), [0, 0]);
  });

  it('gives Keras\'s mask for mask_zero=True: id 0 masked', () => {
    const layer = tf.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true });
    const x = tf.tensor([[0, 2, 5, 0], [3, 0, 0, 1]]);
    const ours = compareWithTfjs({ layer, x, training: true, inputGradient: false });
    const out = ours.forward({ values: Float32Array.from(x.dataSync()), shape: [2, 4], mask: null }, false);
    const expected = (layer.computeMask(x) as tf.Tensor).dataSync();
    assert.deepEqual(Array.from(out.mask!), Array.from(expected));
    assert.deepEqual(Array.from(out.mask!), [0, 1, 1, 0, 1, 0, 0, 1]);
  });

  it('passes the finite-difference check on its table', () => {
    const layer = tf.layers.embedding({ inputDim: 9, outputDim: 3 });
    const x = ids([2, 6], 9, 11);
    const ours = compareWithTfjs({ layer, x, training: true, inputGradient: false });
    finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [2, 6], mask: null }, 3, false);
  });

  it('says which token id is outside the table', () => {
    const layer = tf.layers.embedding({ inputDim: 4, outputDim: 2, name: 'words' });
    layer.build([null, 3]);
    const ours = counterpart(layer, [2, 3]);
    assert.throws(() => ours.forward({ values: Float32Array.from([1, 2, 4]), shape: [1, 3], mask: null }, true), /words: token id 4 is outside the embedding table \[0, 4\)/);
  });

  it('refuses a regularizer or a constraint, naming it', () => {
    const layer = tf.layers.embedding({ inputDim: 4, outputDim: 2, name: 'e', embeddingsRegularizer: tf.regularizers.l2() });
    layer.build([null, 3]);
    assert.deepEqual(LAYER_FACTORIES.get('Embedding')!(layer, [2, 3]), { unsupported: 'e: embeddings_regularizer is not computed on the whole-model path' });
    const constrained = tf.layers.embedding({ inputDim: 4, outputDim: 2, name: 'c', embeddingsConstraint: tf.constraints.nonNeg() });
    constrained.build([null, 3]);
    assert.match((LAYER_FACTORIES.get('Embedding')!(constrained, [2, 3]) as { unsupported: string }).unsupported, /embeddings_constraint/);
  });
});

describe('whole-model layers: BatchNormalization', () => {
  it('trains on batch statistics and moves the moving mean and variance, as tfjs (2-D)', () => {
    const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    compareWithTfjs({ layer, x: randomTensor([6, 4], 5, 2), training: true });
  });

  it('trains on 3-D input, normalising over batch and steps (axis -1)', () => {
    const layer = tf.layers.batchNormalization({ axis: -1 });
    compareWithTfjs({ layer, x: randomTensor([3, 5, 4], 6, 3), training: true, mask: [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]] });
  });

  it('runs on the moving statistics in inference mode', () => {
    const layer = tf.layers.batchNormalization({ axis: 2 });
    compareWithTfjs({ layer, x: randomTensor([2, 3, 5], 8), training: false });
  });

  it('passes the finite-difference check, with and without center and scale', () => {
    for (const [center, scale] of [[true, true], [false, true], [true, false], [false, false]]) {
      const layer = tf.layers.batchNormalization({ center, scale });
      layer.build([null, 3]);
      const x = randomTensor([5, 3], 9, 2);
      const ours = counterpart(layer, [5, 3]);
      assert.equal(ours.weights.filter((w) => w.trainable).length, Number(center) + Number(scale));
      finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [5, 3], mask: null });
    }
  });

  it('refuses an axis other than the last, and a regularizer', () => {
    const layer = tf.layers.batchNormalization({ axis: 1, name: 'bn' });
    layer.build([null, 4, 3]);
    assert.match((LAYER_FACTORIES.get('BatchNormalization')!(layer, [2, 4, 3]) as { unsupported: string }).unsupported, /bn: BatchNormalization axis=1/);
    const regularized = tf.layers.batchNormalization({ name: 'r', gammaRegularizer: tf.regularizers.l1() });
    regularized.build([null, 3]);
    assert.match((LAYER_FACTORIES.get('BatchNormalization')!(regularized, [2, 3]) as { unsupported: string }).unsupported, /r: gamma_regularizer/);
  });
});

describe('whole-model layers: Conv1D', () => {
  const cases: [string, ConstructorParameters<typeof SeqModelConv1D>[0], number][] = [
    ['valid', { filters: 3, kernelSize: 3 }, 7],
    ['same, relu', { filters: 2, kernelSize: 4, padding: 'same', activation: 'relu' }, 6],
    ['causal, dilated', { filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'tanh' }, 8],
    ['strided, without bias', { filters: 2, kernelSize: 2, strides: 2, useBias: false }, 7],
    ['same, strided, dilated', { filters: 2, kernelSize: 3, padding: 'same', strides: 3, dilationRate: 2, activation: 'sigmoid' }, 10],
  ];
  for (const [what, args, length] of cases) {
    it(`computes tfjs's output and gradients: ${what}`, () => {
      compareWithTfjs({ layer: new SeqModelConv1D(args), x: randomTensor([2, length, 3], length), training: true });
    });
  }

  it('passes the finite-difference check (causal, dilated, strided)', () => {
    const layer = new SeqModelConv1D({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, strides: 2, activation: 'tanh' });
    const x = randomTensor([2, 7, 3], 4);
    const ours = compareWithTfjs({ layer, x, training: true });
    finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [2, 7, 3], mask: null });
  });

  it('computes tfjs\'s softmax over the filters', () => {
    compareWithTfjs({ layer: new SeqModelConv1D({ filters: 3, kernelSize: 2, activation: 'softmax' }), x: randomTensor([2, 5, 3], 17), training: true });
  });

  it('refuses an activation the path lacks and a kernel regularizer, naming them', () => {
    const logSoftmax = new SeqModelConv1D({ filters: 2, kernelSize: 2, activation: 'logSoftmax' as 'linear', name: 'conv' });
    logSoftmax.build([null, 5, 3]);
    assert.match((LAYER_FACTORIES.get('SeqModelConv1D')!(logSoftmax, [-1, 5, 3]) as { unsupported: string }).unsupported, /conv: activation 'logSoftmax'/);
    const reg = new SeqModelConv1D({ filters: 2, kernelSize: 2, kernelRegularizer: tf.regularizers.l2(), name: 'r' });
    reg.build([null, 5, 3]);
    assert.match((LAYER_FACTORIES.get('SeqModelConv1D')!(reg, [-1, 5, 3]) as { unsupported: string }).unsupported, /r: kernel_regularizer/);
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`whole-model layers: pooling (against tfjs on ${backend})`, () => {
    // Both backends, with the pooling gradients of src/training/kernels/pool-gradients.ts that
    // initBackend installs (tfjs-backend-wasm's own MaxPoolGrad drops the gradient of windows
    // without a positive value; both backends' AvgPoolGrad miscounted 'same' edge windows).
    before(async () => {
      await initBackend(backend);
    });
    const sliding: [string, () => tf.layers.Layer, number][] = [
      ['MaxPooling1D valid', () => tf.layers.maxPooling1d({ poolSize: 2 }), 7],
      ['MaxPooling1D same, strides 2, pool 3', () => tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }), 8],
      ['AveragePooling1D valid, strides 1', () => tf.layers.averagePooling1d({ poolSize: 3, strides: 1 }), 6],
      ['GlobalMaxPooling1D', () => tf.layers.globalMaxPooling1d({}), 5],
      ['GlobalAveragePooling1D', () => tf.layers.globalAveragePooling1d({}), 5],
      ['GlobalMaxPooling1D(keepdims=True)', () => new GlobalPooling1DKeepdims({ mode: 'max' }), 4],
      ['GlobalAveragePooling1D(keepdims=True)', () => new GlobalPooling1DKeepdims({ mode: 'average' }), 4],
    ];
    for (const [what, make, length] of sliding) {
      it(`computes tfjs's output and input gradient: ${what}`, () => {
        compareWithTfjs({ layer: make(), x: randomTensor([2, length, 3], length + 20), training: true });
      });
    }

    it('averages over the steps a same-padded window covers, as tfjs; its gradient as tfjs\'s and the finite differences say', () => {
      // tfjs's own avgPool gradient divided by pool_size even where its forward averaged fewer
      // steps (an edge window under 'same'); the kernel initBackend installs matches the forward.
      const layer = tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' });
      const x = randomTensor([2, 7, 2], 12);
      const ours = compareWithTfjs({ layer, x, training: true });
      finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [2, 7, 2], mask: null });
    });
  });
}

describe('whole-model layers: pooling', () => {
  it('says when a sequence is shorter than the pool', () => {
    const layer = tf.layers.maxPooling1d({ poolSize: 4, name: 'pool' });
    layer.build([null, null, 2]);
    const ours = counterpart(layer, [-1, -1, 2]);
    assert.throws(() => ours.forward({ values: new Float32Array(6), shape: [1, 3, 2], mask: null }, true), /pool: a sequence of 3 steps is shorter than pool_size 4/);
  });
});

describe('whole-model layers: LayerNormalization', () => {
  it('computes tfjs\'s output and gradients on 2-D and 3-D input', () => {
    compareWithTfjs({ layer: tf.layers.layerNormalization({}), x: randomTensor([4, 5], 21, 3), training: true });
    compareWithTfjs({ layer: tf.layers.layerNormalization({ epsilon: 0.01 }), x: randomTensor([2, 3, 4], 22, 2), training: true, mask: [[1, 1, 0], [1, 0, 0]] });
  });

  it('passes the finite-difference check, with and without center and scale', () => {
    // tfjs cannot differentiate its LayerNormalization without scale (batchNorm's gradient
    // needs one): only the finite differences judge those.
    for (const [center, scale] of [[true, true], [false, false], [true, false], [false, true]]) {
      const layer = tf.layers.layerNormalization({ center, scale });
      layer.build([null, 4]);
      const x = randomTensor([3, 4], 23, 2);
      const ours = counterpart(layer, [-1, 4]);
      assert.equal(ours.weights.length, Number(center) + Number(scale));
      finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [3, 4], mask: null });
    }
  });

  it('refuses an axis other than the last', () => {
    const layer = tf.layers.layerNormalization({ axis: 1, name: 'ln' });
    layer.build([null, 3, 4]);
    assert.match((LAYER_FACTORIES.get('LayerNormalization')!(layer, [-1, 3, 4]) as { unsupported: string }).unsupported, /ln: LayerNormalization axis=\[1\]/);
  });
});

describe('whole-model layers: TimeDistributed', () => {
  it('runs its layer over every step at once: TimeDistributed(Conv1D) on 4-D input', () => {
    const layer = tf.layers.timeDistributed({ layer: new SeqModelConv1D({ filters: 2, kernelSize: 2, activation: 'tanh' }) });
    const ours = compareWithTfjs({ layer, x: randomTensor([2, 3, 5, 2], 31), training: true });
    const x = randomTensor([2, 3, 5, 2], 32);
    finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [2, 3, 5, 2], mask: null });
  });

  it('runs TimeDistributed(LayerNormalization) and passes the mask on', () => {
    const layer = tf.layers.timeDistributed({ layer: tf.layers.layerNormalization({}) });
    const ours = compareWithTfjs({ layer, x: randomTensor([2, 3, 4], 33), training: true, mask: [[1, 1, 0], [1, 0, 0]] });
    const out = ours.forward({ values: new Float32Array(24).map((_, i) => i % 5), shape: [2, 3, 4], mask: Uint8Array.from([1, 1, 0, 1, 0, 0]) }, false);
    assert.deepEqual(Array.from(out.mask!), [1, 1, 0, 1, 0, 0]);
  });

  it('leaves TimeDistributed(BatchNormalization) to tfjs, which normalises step by step', () => {
    const layer = tf.layers.timeDistributed({ layer: tf.layers.batchNormalization({}), name: 'td' });
    layer.build([null, 3, 4]);
    assert.match((LAYER_FACTORIES.get('TimeDistributed')!(layer, [-1, 3, 4]) as { unsupported: string }).unsupported, /^td: BatchNormalization inside TimeDistributed/);
  });
});

describe('whole-model layers: Masking', () => {
  it('masks the steps whose features all equal mask_value and zeroes them, as tfjs', () => {
    const layer = tf.layers.masking({ maskValue: -1 });
    const x = tf.tensor([[[1, 2], [-1, -1], [-1, 3]], [[-1, -1], [0, 0], [-1, -1]]]);
    // tfjs has no gradient for its Any op, so only the forward is compared; the next test checks backward.
    const ours = compareWithTfjs({ layer, x, training: true, inputGradient: false });
    const out = ours.forward({ values: Float32Array.from(x.dataSync()), shape: [2, 3, 2], mask: null }, true);
    assert.deepEqual(Array.from(out.mask!), Array.from((layer.computeMask(x) as tf.Tensor).dataSync()));
    assert.deepEqual(Array.from(out.mask!), [1, 0, 1, 0, 1, 0]);
  });

  it('passes gradient only through the kept steps, and refuses 2-D input', () => {
    const layer = tf.layers.masking({ maskValue: 0, name: 'm' });
    const ours = counterpart(layer, [-1, 2, 2]);
    ours.forward({ values: Float32Array.from([0, 0, 5, 0, 1, 2, 0, 0]), shape: [2, 2, 2], mask: null }, true);
    const dx = ours.backward(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), true);
    assert.deepEqual(Array.from(dx!), [0, 0, 3, 4, 5, 6, 0, 0]);
    assert.match((LAYER_FACTORIES.get('Masking')!(layer, [-1, 3]) as { unsupported: string }).unsupported, /m: Masking on input of rank 2/);
  });
});

describe('whole-model layers: Bidirectional, over each recurrent kind', () => {
  type Make = (args: { units: number; returnSequences: boolean }) => tf.layers.Layer;
  const kinds: [string, Make][] = [
    ['LSTM', (a) => new FusedLSTM(a)],
    ['GRU', (a) => new FusedGRU(a)],
    ['GRU(reset_after=True)', (a) => new FusedResetAfterGRU(a)],
    ['SimpleRNN', (a) => new FusedSimpleRNN(a)],
  ];
  const modes = ['concat', 'sum', 'mul', 'ave'] as const;
  kinds.forEach(([kind, make], k) => {
    modes.forEach((mergeMode, m) => {
      for (const returnSequences of [false, true]) {
        it(`${kind}, merge_mode=${mergeMode}, return_sequences=${returnSequences}: tfjs's outputs and gradients`, () => {
          const layer = tf.layers.bidirectional({ layer: make({ units: 3, returnSequences }) as tf.RNN, mergeMode });
          compareWithTfjs({ layer, x: randomTensor([2, 4, 3], 50 + 8 * k + 2 * m + Number(returnSequences)), training: true, seed: 3 + k });
        });
      }
    });
  });

  it('with a mask (Embedding(mask_zero=True)\'s): masked steps carry the state in both directions, as tfjs', () => {
    for (const returnSequences of [false, true]) {
      const layer = tf.layers.bidirectional({ layer: new FusedLSTM({ units: 3, returnSequences }) as tf.RNN, mergeMode: 'concat' });
      const ours = compareWithTfjs({ layer, x: randomTensor([2, 5, 3], 70), training: true, mask: [[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]] });
      const mask = Uint8Array.from([1, 1, 1, 0, 0, 0, 1, 1, 1, 1]);
      const out = ours.forward({ values: new Float32Array(30), shape: [2, 5, 3], mask }, false);
      assert.deepEqual(out.mask && Array.from(out.mask), returnSequences ? Array.from(mask) : null);
    }
  });

  it('passes the finite-difference check (GRU, mul)', () => {
    const layer = tf.layers.bidirectional({ layer: new FusedGRU({ units: 2, returnSequences: true }) as tf.RNN, mergeMode: 'mul' });
    const x = randomTensor([2, 3, 2], 71);
    const ours = compareWithTfjs({ layer, x, training: true });
    finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [2, 3, 2], mask: null });
  });

  it('refuses merge_mode=None and return_state=True (several outputs)', () => {
    const none = tf.layers.bidirectional({ layer: new FusedLSTM({ units: 2 }) as tf.RNN, mergeMode: null as unknown as 'concat', name: 'b' });
    none.build([null, 3, 2]);
    assert.match((LAYER_FACTORIES.get('Bidirectional')!(none, [-1, 3, 2]) as { unsupported: string }).unsupported, /b: merge_mode=None/);
    const states = tf.layers.bidirectional({ layer: new FusedLSTM({ units: 2, returnState: true }) as tf.RNN, name: 's' });
    states.build([null, 3, 2]);
    assert.match((LAYER_FACTORIES.get('Bidirectional')!(states, [-1, 3, 2]) as { unsupported: string }).unsupported, /s: return_state=True/);
  });
});

describe('whole-model layers: Reshape and RepeatVector', () => {
  it('Reshape keeps the values, works out -1, and passes the gradient back, as tfjs', () => {
    const layer = tf.layers.reshape({ targetShape: [3, -1] });
    const ours = compareWithTfjs({ layer, x: randomTensor([2, 6, 2], 81), training: true });
    assert.throws(() => ours.forward({ values: new Float32Array(10), shape: [2, 5], mask: null }, true), /does not fit a sample of 5 values/);
  });

  it('RepeatVector repeats each sample and sums the copies\' gradients, as tfjs', () => {
    const layer = tf.layers.repeatVector({ n: 4 });
    const x = randomTensor([3, 5], 82);
    const ours = compareWithTfjs({ layer, x, training: true });
    finiteDifferenceCheck(ours, { values: Float32Array.from(x.dataSync()), shape: [3, 5], mask: null });
  });
});
