import { strict as assert } from 'node:assert';
import { echoLine, predictedClass } from '../../webview/prediction/echoText';
import { forecastColumns, overallMae, sampleMae } from '../../webview/prediction/forecastSeries';
import { predictionsCsv } from '../../webview/prediction/exportCsv';

describe('webview prediction logic', () => {
  it('prints the seed echo line', () => {
    const sample = { sequence: [7, 0, 2, 6, 7], expected: 2, probabilities: [0.01, 0.02, 0.9, 0.07] };
    assert.equal(echoLine(sample), 'Sequence: [7, 0, 2, 6, 7] Expected: 2 Predicted: 2');
    assert.equal(predictedClass(sample), 2);
    assert.equal(echoLine({ sequence: [1, 0], expected: null, probabilities: [0.8, 0.2] }, ['neg', 'pos']), 'Sequence: [pos, neg] Expected: ? Predicted: neg');
  });

  it('lays a forecast out as window then continuations joined at the last input step', () => {
    const columns = forecastColumns({ input: [[70], [80], [90]], predicted: [101, 112], actual: [100, 110] }, 0);
    assert.deepEqual(columns.steps, [1, 2, 3, 4, 5]);
    assert.deepEqual(columns.input, [70, 80, 90, null, null]);
    assert.deepEqual(columns.actual, [null, null, 90, 100, 110]);
    assert.deepEqual(columns.predicted, [null, null, 90, 101, 112]);
    const free = forecastColumns({ input: [[1, 10], [2, 20]], predicted: [30], actual: null }, 1);
    assert.deepEqual(free.input, [10, 20, null]);
    assert.deepEqual(free.actual, [null, null, null]);
    assert.deepEqual(free.predicted, [null, 20, 30]);
  });

  it('measures mean absolute error per sample and overall', () => {
    const a = { input: [[0]], predicted: [1, 2], actual: [2, 2] };
    const b = { input: [[0]], predicted: [5], actual: [1] };
    assert.equal(sampleMae(a), 0.5);
    assert.ok(Number.isNaN(sampleMae({ input: [[0]], predicted: [1], actual: null })));
    assert.equal(overallMae([a, b]), 5 / 3);
  });

  it('exports forecasts and classifications as CSV', () => {
    const forecast = predictionsCsv({
      type: 'predictions',
      task: 'forecast',
      modelName: 'lstm',
      targetFeature: 0,
      samples: [{ input: [[70], [80]], predicted: [91], actual: [90] }],
    });
    assert.equal(forecast, 'sample,step,kind,input,actual,predicted\r\n1,1,input,70,,\r\n1,2,input,80,,\r\n1,3,forecast,,90,91\r\n');
    const classification = predictionsCsv({
      type: 'predictions',
      task: 'classification',
      modelName: 'echo',
      samples: [{ sequence: [1, 0], expected: 1, probabilities: [0.25, 0.75] }],
    });
    assert.equal(classification, 'sample,sequence,expected,predicted,p_0,p_1\r\n1,1 0,1,1,0.25,0.75\r\n');
  });
});
