// The per-layer training path: which recurrent layers are reported, under which names, and the
// line people read. The verdict itself (fused or not, and why) is fusedPathFor's: these tests
// hold for whatever it decides.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/language';
import { fusedPathFor } from '../../src/training/fused/eligibility';
import { describeTrainingPaths } from '../../src/training/trainingPaths';

function model(source: string, name = 'm') {
  const analysis = analyze(source);
  const found = analysis.models.find((m) => m.name === name);
  assert.ok(found, `model ${name}`);
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
  return found;
}

describe('training paths per layer', () => {
  it('reports every recurrent layer and Bidirectional around one, by layer name, in model order', () => {
    const m = model(`model m {
      Embedding(100, 8, mask_zero=True)
      Bidirectional(LSTM(4, return_sequences=True))
      GRU(4, return_sequences=True, reset_after=False, name="decoder")
      Dropout(0.2)
      SimpleRNN(3, return_sequences=True)
      TimeDistributed(Dense(1))
    }`);
    const paths = describeTrainingPaths(m);
    assert.deepEqual(
      paths.map((p) => [p.layer, p.type]),
      [
        ['bidirectional', 'Bidirectional(LSTM)'],
        ['decoder', 'GRU'],
        ['simple_rnn', 'SimpleRNN'],
      ],
    );
  });

  it("carries fusedPathFor's verdict and says it in one line per layer", () => {
    const m = model(`model m {
      input(10, 3)
      LSTM(8, recurrent_dropout=0.1, return_sequences=True)
      LSTM(8)
      Dense(1)
    }`);
    const paths = describeTrainingPaths(m);
    assert.equal(paths.length, 2);
    m.layers.slice(0, 2).forEach((layer, i) => {
      const verdict = fusedPathFor(layer);
      const p = paths[i];
      assert.equal(p.path, verdict.path);
      if (verdict.path === 'fused') {
        assert.equal(p.path === 'fused' && p.kernel, verdict.kernel);
        assert.equal(p.text, `${layer.name}: fused (${verdict.kernel})`);
      } else {
        assert.equal(p.path === 'tfjs' && p.reason, verdict.reason);
        assert.equal(p.text, `${layer.name}: TensorFlow.js layers — ${verdict.reason}`);
      }
    });
    assert.deepEqual(paths.map((p) => p.layer), ['lstm', 'lstm_1']);
  });

  it('is plain JSON, as the worker sends it and meta.json keeps it', () => {
    const paths = describeTrainingPaths(model('model m {\n input(5, 2)\n SimpleRNN(4)\n}'));
    assert.deepEqual(JSON.parse(JSON.stringify(paths)), paths);
  });

  it('reports nothing for a model without recurrent layers', () => {
    assert.deepEqual(describeTrainingPaths(model('model m {\n input(5, 2)\n Conv1D(4, 3)\n GlobalMaxPooling1D()\n Dense(1)\n}')), []);
  });

  it('every verdict names its kernel or its reason; a layer that is not recurrent is never fused', () => {
    const m = model('model m {\n input(5, 2)\n GRU(4, return_sequences=True)\n Bidirectional(SimpleRNN(2))\n Dense(1)\n}');
    const [gru, bi, dense] = m.layers;
    for (const layer of [gru, bi]) {
      const verdict = fusedPathFor(layer);
      // Either answer is honest, but it must say what runs.
      if (verdict.path === 'fused') assert.ok(verdict.kernel.length > 0);
      else assert.ok(verdict.reason.length > 0);
    }
    assert.equal(fusedPathFor(dense).path, 'tfjs');
  });
});
