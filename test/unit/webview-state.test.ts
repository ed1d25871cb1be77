import { strict as assert } from 'node:assert';
import { decodeColumn, encodeColumn, saveRuns, savedToRecord } from '../../webview/loss/stateCodec';
import { RunStore } from '../../webview/loss/runStore';
import { forecastModel, lossCurve, settings } from '../webview/fixtures';

describe('webview loss state codec', () => {
  it('round-trips columns losslessly, NaN gaps included', () => {
    const values = Float64Array.from([0.1, NaN, 1e-300, -2.5, Math.PI, 0, 7]);
    const decoded = decodeColumn(encodeColumn(values, 6));
    assert.equal(decoded.length, 6);
    for (let i = 0; i < 6; i++) assert.ok(Object.is(decoded[i], values[i]), `index ${i}`);
  });

  it('restores a store exactly and keeps the newest runs within the budget', () => {
    const store = new RunStore(0.6);
    for (const runId of ['old', 'new']) {
      store.start({ runId, model: forecastModel, backend: 'cpu', settings });
      lossCurve(1000, 1, 0.01, 0.3, runId.length).forEach((loss, i) => store.addEpoch(runId, i + 1, { loss, ...(i % 2 ? { val_loss: loss * 2 } : {}) }));
    }
    store.end('old', 'completed');
    const saved = saveRuns(store);
    assert.deepEqual(saved.map((r) => r.runId), ['old', 'new']);
    const copy = new RunStore(0.6);
    for (const run of saved) copy.load(savedToRecord(run));
    assert.deepEqual(copy.toRecords(), store.toRecords());
    const oneRun = saved[1].columns.loss.length + saved[1].columns.val_loss.length;
    assert.deepEqual(saveRuns(store, oneRun + 10).map((r) => r.runId), ['new']);
  });
});
