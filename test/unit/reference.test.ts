import { strict as assert } from 'node:assert';
import { formatShapes } from '../../src/language';
import { example, model } from '../helpers/engine';

// Every number of docs/keras-reference.md, from the example files that reproduce the course models.

type Row = [layer: string, shape: string, params: number, trainable?: number];

function expectModel(file: string, name: string, rows: Row[], total?: [number, number, number]) {
  const a = example(file);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), [], 'no errors in ' + file);
  const m = model(a, name);
  assert.equal(m.layers.length, rows.length, `${name}: layer count`);
  rows.forEach(([type, shape, params, trainable], i) => {
    const l = m.layers[i];
    assert.equal(l.type, type, `${name} layer ${i} type`);
    assert.equal(formatShapes(l.outputShapes), shape, `${name} ${l.name} shape`);
    assert.equal(l.params.total, params, `${name} ${l.name} params`);
    assert.equal(l.params.trainable, trainable ?? params, `${name} ${l.name} trainable`);
  });
  if (total) assert.deepEqual([m.params.total, m.params.trainable, m.params.nonTrainable], total, `${name} totals`);
}

describe('docs/keras-reference.md numbers', () => {
  it('Tutorial 3: SimpleRNN(50, sigmoid) on (3, 1) then Dense(2)', () => {
    expectModel('forecast.seqmodel', 'rnn', [['SimpleRNN', '(None, 50)', 2600], ['Dense', '(None, 2)', 102]], [2702, 2702, 0]);
  });
  it('Tutorial 3: BatchNormalization model, 2,906 with 2,804 trainable', () => {
    expectModel(
      'forecast.seqmodel',
      'rnn_bn',
      [
        ['BatchNormalization', '(None, 3, 1)', 4, 2],
        ['SimpleRNN', '(None, 50)', 2600],
        ['BatchNormalization', '(None, 50)', 200, 100],
        ['Dense', '(None, 2)', 102],
      ],
      [2906, 2804, 102],
    );
  });
  it('Tutorial 3: LSTM(50, relu) 10,400, total 10,502', () => {
    expectModel('forecast.seqmodel', 'lstm', [['LSTM', '(None, 50)', 10400], ['Dense', '(None, 2)', 102]], [10502, 10502, 0]);
  });
  it('the LSTMs lecture: echo LSTM(25) on (5, 10): 3,600 + 260 = 3,860', () => {
    expectModel('echo.seqmodel', 'lstm', [['LSTM', '(None, 25)', 3600], ['Dense', '(None, 10)', 260]], [3860, 3860, 0]);
  });
  it('the LSTMs lecture: Input(shape=(30, 3)), LSTM(64, return_sequences, return_state): three outputs, 17,408', () => {
    expectModel('lstm_states.seqmodel', 'model_LSTM', [['LSTM', '[(None, 30, 64), (None, 64), (None, 64)]', 17408]], [17408, 17408, 0]);
  });
  it('the LSTMs lecture: LSTM(3) on (2, 10): 168', () => {
    expectModel('lstm_states.seqmodel', 'small', [['LSTM', '(None, 3)', 168]]);
  });
  it('the LSTM basics notebook: stacked LSTM(4), LSTM(5) with return_sequences on (None, 6): 176, 200', () => {
    expectModel('stacked_lstm.seqmodel', 'stacked', [['LSTM', '(None, None, 4)', 176], ['LSTM', '(None, None, 5)', 200]]);
  });
  it('the RNN and LSTM notes: Embedding(10000, 32) with no input shape, SimpleRNN(32): 322,080', () => {
    expectModel('imdb_sentiment.seqmodel', 'simple_rnn', [['Embedding', '(None, None, 32)', 320000], ['SimpleRNN', '(None, 32)', 2080]], [322080, 322080, 0]);
  });
  it('the RNN and LSTM notes: stacked SimpleRNN: 328,320', () => {
    const a = example('imdb_sentiment.seqmodel');
    assert.equal(model(a, 'stacked_rnn').params.total, 328320);
  });
  it('the RNN and LSTM notes: Embedding, LSTM(32), Dense(1, sigmoid): 320,000 + 8,320 + 33', () => {
    expectModel('imdb_sentiment.seqmodel', 'lstm', [['Embedding', '(None, None, 32)', 320000], ['LSTM', '(None, 32)', 8320], ['Dense', '(None, 1)', 33]], [328353, 328353, 0]);
  });
  it('the RNN and LSTM notes: SimpleRNN(64) on (100, 32): 6,208', () => {
    expectModel('imdb_sentiment.seqmodel', 'rnn_on_vectors', [['SimpleRNN', '(None, 64)', 6208]]);
  });
  it('formulas are filled in with the numbers, as the course material explains them', () => {
    const a = example('forecast.seqmodel');
    assert.equal(model(a, 'lstm').layers[0].formula, '4 × (50 × (1 + 50) + 50) = 10,400');
    assert.equal(model(a, 'rnn').layers[0].formula, '50 × (1 + 50) + 50 = 2,600');
    assert.equal(model(a, 'rnn').layers[1].formula, '2 × (50 + 1) = 102');
    assert.equal(model(a, 'rnn_bn').layers[2].formula, '4 × 50 = 200 (2 × 50 = 100 trainable)');
  });
});
