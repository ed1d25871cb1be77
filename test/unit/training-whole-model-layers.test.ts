// The whole-model layers other than Dense and the recurrent ones compute exactly what their
// tfjs layers compute: forward outputs, the weights' and the input's gradients (1e-4 relative on
// random small cases), the moving statistics a training step moves, and central finite
// differences confirm each family's backward independently of tfjs.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { LAYER_FACTORIES } from '../../src/training/wholeModel/registry';
import { compareWithTfjs, counterpart, finiteDifferenceCheck, random, randomArray } from '../helpers/whole-model-layers';

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
