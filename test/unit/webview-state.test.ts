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

  it("keeps each run's training paths through saved state, and runs without any stay without", () => {
    const paths = [
      { path: 'fused' as const, kernel: 'lstm/wasm-simd', layer: 'lstm', type: 'LSTM', text: 'lstm: fused (lstm/wasm-simd)' },
      { path: 'tfjs' as const, reason: 'recurrent_dropout is not supported', layer: 'gru', type: 'GRU', text: 'gru: TensorFlow.js layers — recurrent_dropout is not supported' },
    ];
    const store = new RunStore(0.6);
    store.start({ runId: 'with', model: forecastModel, backend: 'wasm', settings, paths });
    store.start({ runId: 'without', model: forecastModel, backend: 'wasm', settings });
    store.addEpoch('with', 1, { loss: 1 });
    const saved = saveRuns(store);
    assert.deepEqual(saved[0].paths, paths);
    assert.equal('paths' in saved[1], false);
    const records = saved.map(savedToRecord);
    assert.deepEqual(records[0].paths, paths);
    assert.equal('paths' in records[1], false);
    assert.deepEqual(store.toRecords().map((r) => r.paths), [paths, undefined]);
  });
});
