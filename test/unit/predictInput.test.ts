import { strict as assert } from 'node:assert';
import { analyze, predictInputProblem, type Shape } from '../../src/language';

// One set of rules for a predict input (src/language/predictInput.ts): the `predict` statement's
// diagnostic, the editor's Predict box and the predict worker all ask predictInputProblem.

const model = (inputShape: Shape | null) => ({ name: 'm', inputShape });

describe('predict input', () => {
  it("takes a list of steps of the model's length and width", () => {
    assert.equal(predictInputProblem([[70], [80], [90]], model([null, 3, 1])), null);
    assert.equal(predictInputProblem([[70], [80]], model([null, 3, 1])), 'm takes 3 steps (input shape (3, 1)); the input has 2.');
    assert.match(predictInputProblem([[1], [2], [3], [4], [5]], model([null, 5, 10]))!, /takes 10 values per step .* has 1\. Write each step as a list/);
    assert.equal(predictInputProblem([[1], [2], [3]], model([null, null, 1])), null);
    assert.match(predictInputProblem([[1, 2]], model([null, 4]))!, /one value per step/);
  });

  it('takes word ids for an Embedding model, of any length when the model allows it', () => {
    assert.equal(predictInputProblem([[4], [8], [15]], model([null, null])), null);
    assert.match(predictInputProblem([[4.5]], model([null, null]))!, /word id/);
    assert.match(predictInputProblem([[-1]], model([null, null]))!, /word id/);
  });

  it('refuses empty, ragged or non-numeric sequences whatever the model', () => {
    assert.match(predictInputProblem([], model(null))!, /empty/);
    assert.match(predictInputProblem([[1, 2], [3]], model(null))!, /step 1 has 2, step 2 has 1/);
    assert.match(predictInputProblem([[1], [Number.NaN]], model(null))!, /Step 2 holds something that is not a finite number/);
    assert.equal(predictInputProblem([[1], [2]], model(null)), null);
  });

  it('is the rule of the predict statement', () => {
    const a = analyze('model m {\n  input(3, 1)\n  Dense(1)\n}\npredict m [1, 2]\n');
    const d = a.diagnostics.find((x) => x.code === 'invalid-predict');
    assert.equal(d?.message, 'm takes 3 steps (input shape (3, 1)); the input has 2.');
  });
});
