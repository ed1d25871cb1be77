import { strict as assert } from 'node:assert';
import { RunStore } from '../../webview/loss/runStore';
import { smoothSeries } from '../../webview/loss/smoothing';
import { axisOf, baseMetric, compareKeys } from '../../webview/loss/metricKeys';
import { forecastModel, lossCurve, settings } from '../webview/fixtures';

describe('webview run store', () => {
  it('appends epochs into growable columns with their smoothing kept up to date', () => {
    const store = new RunStore(0.6);
    store.start({ runId: 'r', model: forecastModel, backend: 'cpu', settings });
    const curve = lossCurve(1000, 1, 0.01, 0.3, 7);
    let structural = 0;
    curve.forEach((loss, i) => {
      if (store.addEpoch('r', i + 1, { loss }).structural) structural++;
    });
    assert.equal(structural, 1, 'only the first epoch adds a series');
    const column = store.runs.get('r')!.columns.get('loss')!;
    assert.equal(column.length, 1000);
    const expected = smoothSeries(curve, 0.6);
    for (let i = 0; i < 1000; i++) assert.ok(Math.abs(column.smoothed[i] - expected[i]) < 1e-12);
    store.setSmoothing(0.9);
    const resmoothed = smoothSeries(curve, 0.9);
    for (let i = 0; i < 1000; i++) assert.ok(Math.abs(column.smoothed[i] - resmoothed[i]) < 1e-12);
    // After re-smoothing the incremental state continues correctly.
    store.addEpoch('r', 1001, { loss: 0.5 });
    const next = smoothSeries([...curve, 0.5], 0.9);
    assert.ok(Math.abs(column.smoothed[1000] - next[1000]) < 1e-12);
  });

  it('leaves gaps for missing epochs and keys, and round-trips through records', () => {
    const store = new RunStore(0);
    store.start({ runId: 'r', label: 'mine', model: forecastModel, backend: 'wasm', settings });
    store.addEpoch('r', 1, { loss: 1 });
    store.addEpoch('r', 3, { loss: 0.5, val_loss: 0.7 });
    store.end('r', 'stopped');
    const run = store.runs.get('r')!;
    assert.ok(Number.isNaN(run.columns.get('loss')!.values[1]));
    assert.equal(store.maxEpochs, 3);
    const [record] = store.toRecords();
    assert.deepEqual(record.epochs, [
      { epoch: 1, logs: { loss: 1 } },
      { epoch: 3, logs: { loss: 0.5, val_loss: 0.7 } },
    ]);
    assert.equal(record.status, 'stopped');
    const copy = new RunStore(0);
    copy.load(record);
    assert.deepEqual(copy.toRecords(), [record]);
  });

  it('ignores epochs of unknown runs and rewrites history when an epoch repeats', () => {
    const store = new RunStore(0.5);
    assert.deepEqual(store.addEpoch('nope', 1, { loss: 1 }), { structural: false });
    store.start({ runId: 'r', model: forecastModel, backend: 'cpu', settings });
    store.addEpoch('r', 1, { loss: 1 });
    store.addEpoch('r', 2, { loss: 2 });
    store.addEpoch('r', 1, { loss: 3 });
    const column = store.runs.get('r')!.columns.get('loss')!;
    assert.deepEqual([...column.smoothed.subarray(0, 2)], [...smoothSeries([3, 2], 0.5)]);
  });

  it('puts losses left, ratios and other metrics on their own axes', () => {
    assert.equal(axisOf('val_loss'), 'loss');
    assert.equal(axisOf('val_acc'), 'ratio');
    assert.equal(axisOf('accuracy'), 'ratio');
    assert.equal(axisOf('mae'), 'metric');
    assert.equal(baseMetric('val_mae'), 'mae');
    assert.deepEqual(['val_acc', 'mae', 'val_loss', 'acc', 'loss'].sort(compareKeys), ['loss', 'val_loss', 'acc', 'val_acc', 'mae']);
  });
});
