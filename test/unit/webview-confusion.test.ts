import { strict as assert } from 'node:assert';
import { argmax } from '../../src/language';
import { confusionMatrix } from '../../webview/prediction/confusion';

describe('webview confusion matrix', () => {
  it('counts rows by true class and columns by predicted class', () => {
    const m = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0]);
    assert.equal(m.classes, 3);
    assert.deepEqual(m.counts, [
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
    assert.equal(m.correct, 4);
    assert.equal(m.accuracy, 4 / 6);
    assert.deepEqual(m.recall, [0.5, 1, 2 / 3]);
    assert.deepEqual(m.precision, [0.5, 0.5, 1]);
  });

  it('keeps classes that never occur when told how many there are', () => {
    const m = confusionMatrix([1], [1], 4);
    assert.equal(m.classes, 4);
    assert.ok(Number.isNaN(m.recall[0]));
    assert.ok(Number.isNaN(m.precision[3]));
  });

  it('rejects mismatched lengths and non-class labels', () => {
    assert.throws(() => confusionMatrix([0, 1], [0]), /2 expected labels but 1/);
    assert.throws(() => confusionMatrix([0.5], [0]), /not a non-negative integer/);
    assert.throws(() => confusionMatrix([-1], [0]), /not a non-negative integer/);
  });

  it('argmax takes the first of equal maxima, like numpy', () => {
    assert.equal(argmax([0.1, 0.7, 0.2]), 1);
    assert.equal(argmax([0.5, 0.5]), 0);
    assert.equal(argmax([]), -1);
  });
});
