import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as tf from '../../src/training/tf';
import { window } from '../../src/training/data/window';
import { evaluate, spreadIndices } from '../../src/training/evaluation';
import { FusedLSTM } from '../../src/training/fused/layers';
import { wholeModelPredict } from '../../src/training/wholeModel/loop';
import { assertClose, planOf, random, randomArray } from '../helpers/whole-model';
import { saveModelFiles } from '../../src/training/modelFiles';
import { runPrediction } from '../../src/training/predictRunner';
import { useTempDir } from '../helpers/temp-dir';

// The worker's evaluation for the prediction panel, and the short-lived predict worker that
// the editor's Predict command runs on a saved model.

const PREDICT_WORKER = path.resolve(__dirname, '../../src/training/predictWorker.ts');

function dense(inputShape: number[], units: number, activation?: 'softmax' | 'sigmoid'): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units, activation, kernelInitializer: 'ones', biasInitializer: 'zeros' }));
  return model;
}

describe('training evaluation (prediction panel data)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('spreads picks evenly, first and last included', () => {
    assert.deepEqual(spreadIndices(3, 5), [0, 1, 2]);
    assert.deepEqual(spreadIndices(10, 4), [0, 3, 6, 9]);
    assert.deepEqual(spreadIndices(0, 4), []);
  });

  it('forecasts windows with their true continuation', () => {
    const data = window([10, 20, 30, 40, 50, 60, 70, 80, 90], 3, 2);
    const model = dense([3, 1], 2);
    const ev = evaluate(model, { kind: 'window', series: { kind: 'literal', values: [] }, steps: 3, horizon: 2 }, data, null);
    assert.ok(ev && ev.task === 'forecast');
    assert.equal(ev.fromValidation, false);
    assert.equal(ev.samples.length, 5);
    assert.deepEqual(ev.samples[0].input, [[10], [20], [30]]);
    assert.deepEqual(ev.samples[0].actual, [40, 50]);
    // Weights of ones: each output is the window's sum.
    assert.deepEqual(ev.samples[0].predicted, [60, 60]);
    assert.deepEqual(ev.samples[4].actual, [80, 90]);
  });

  it('on the whole-model path, predicts through its forward pass: the tfjs model\'s outputs and classes', () => {
    // The sentiment model in small: Embedding → LSTM → Dense(1, sigmoid), reviews of 6 ids.
    const input = tf.input({ shape: [6] });
    const embedded = tf.layers.embedding({ inputDim: 40, outputDim: 4 }).apply(input);
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(new FusedLSTM({ units: 3 }).apply(embedded)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.rmsprop(0.01) });
    const next = random(5);
    model.setWeights(model.getWeights().map((w) => tf.tensor(randomArray(w.size, next, 0.8), w.shape)));
    const samples = 11;
    const x = Float32Array.from({ length: samples * 6 }, () => Math.floor((next() + 1) * 20));
    const y = Float32Array.from({ length: samples }, (_, i) => i % 2);
    const all = { x: { values: x, shape: [samples, 6] }, y: { values: y, shape: [samples, 1] } };
    const plan = planOf(model, 'binary_crossentropy');
    // Batches of 4: the last one short.
    const ours = wholeModelPredict(plan, all.x, 4);
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(x, [samples, 6])) as tf.Tensor).dataSync().slice());
    assert.equal(ours.length, samples);
    assertClose(ours.flat(), expected, 'predictions');
    const spec = { kind: 'sentiment', samples, vocab: 40, maxlen: 6, seed: 1 } as const;
    const viaTfjs = evaluate(model, spec, all, all);
    const viaPlan = evaluate(model, spec, all, all, (batch) => wholeModelPredict(plan, batch, 4));
    assert.ok(viaTfjs?.task === 'classification' && viaPlan?.task === 'classification');
    assert.deepEqual(viaPlan.predicted, viaTfjs.predicted);
    assert.deepEqual(viaPlan.expected, viaTfjs.expected);
    viaPlan.samples.forEach((s, i) => assertClose(s.probabilities, viaTfjs.samples[i].probabilities, `sample ${i}`));
  });

  it('classifies validation samples: one-hot labels and every predicted class', () => {
    // Three samples of 2 steps × 3 features; the model sums each feature over the steps.
    const x = new Float32Array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const y = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const all = { x: { values: x, shape: [3, 2, 3] }, y: { values: y, shape: [3, 3] } };
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [2, 3] }));
    model.add(tf.layers.dense({ units: 3, activation: 'softmax', useBias: false, weights: [tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1], [6, 3])] }));
    const ev = evaluate(model, { kind: 'echo', samples: 3, length: 2, features: 3, index: 0, seed: 1 }, all, all);
    assert.ok(ev && ev.task === 'classification');
    assert.equal(ev.fromValidation, true);
    assert.deepEqual(ev.expected, [0, 1, 2]);
    // The third sample has one step of class 2 and one of class 0: a tie goes to the first.
    assert.deepEqual(ev.predicted, [0, 1, 0]);
    assert.equal(ev.samples.length, 3);
    assert.equal(ev.samples[0].probabilities.length, 3);
    assert.deepEqual(ev.samples[1].input, [[0, 1, 0], [0, 1, 0]]);
  });

  it('reads a single sigmoid output as two classes', () => {
    const all = { x: { values: new Float32Array([1, 2, -3, -4]), shape: [2, 2] }, y: { values: new Float32Array([1, 0]), shape: [2, 1] } };
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid', kernelInitializer: 'ones', biasInitializer: 'zeros' }));
    const ev = evaluate(model, { kind: 'sentiment', samples: 2, vocab: 10, maxlen: 2, seed: 1 }, all, null);
    assert.ok(ev && ev.task === 'classification');
    assert.deepEqual(ev.expected, [1, 0]);
    assert.deepEqual(ev.predicted, [1, 0]);
    assert.equal(ev.samples[0].probabilities.length, 2);
    assert.ok(Math.abs(ev.samples[0].probabilities[0] + ev.samples[0].probabilities[1] - 1) < 1e-6);
  });
});

describe('predict worker (editor Predict)', function () {
  this.timeout(60_000);
  const dir = useTempDir('predict');

  before(async () => {
    await tf.setBackend('cpu');
    await saveModelFiles(dense([3, 1], 2), dir());
  });

  it('loads a saved model in its own process and predicts one sequence', async () => {
    const reply = await runPrediction({ runPath: dir(), input: [[1], [2], [3]], backend: 'cpu' }, { workerPath: PREDICT_WORKER, execArgv: ['--import', 'tsx'] });
    assert.deepEqual(reply, { type: 'result', output: [6, 6], backend: 'cpu' });
  });

  it('answers an input that does not fit the model with the reason', async () => {
    const reply = await runPrediction({ runPath: dir(), input: [[1], [2]], backend: 'cpu' }, { workerPath: PREDICT_WORKER, execArgv: ['--import', 'tsx'] });
    assert.equal(reply.type, 'error');
    assert.match((reply as { message: string }).message, /takes 3 steps \(input shape \(3, 1\)\); the input has 2\./);
  });

  it('reports a run folder without a model', async () => {
    const reply = await runPrediction({ runPath: path.join(dir(), 'missing'), input: [[1], [2], [3]], backend: 'cpu' }, { workerPath: PREDICT_WORKER, execArgv: ['--import', 'tsx'] });
    assert.equal(reply.type, 'error');
    assert.match((reply as { message: string }).message, /ENOENT|no such file/);
  });

  it('says so when the worker script is missing', async () => {
    const reply = await runPrediction({ runPath: dir(), input: [[1]], backend: 'cpu' }, { workerPath: path.join(dir(), 'nope.js') });
    assert.equal(reply.type, 'error');
    assert.match((reply as { message: string }).message, /predict worker was not found/);
  });
});
