import { strict as assert } from 'node:assert';
import { csvField, csvText } from '../../webview/shared/csv';
import { runsCsv } from '../../webview/loss/exportCsv';
import { RunStore } from '../../webview/loss/runStore';
import { forecastModel, rnnBnModel, settings } from '../webview/fixtures';

describe('webview CSV export', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(NaN), '');
    assert.equal(csvField(null), '');
    assert.equal(csvField(0.125), '0.125');
    assert.equal(csvText(['x', 'y'], [[1, 'a'], [2, null]]), 'x,y\r\n1,a\r\n2,\r\n');
  });

  it('writes one row per run and epoch over the union of logged keys, losses first', () => {
    const store = new RunStore(0);
    store.start({ runId: 'r1', model: forecastModel, backend: 'cpu', settings });
    store.start({ runId: 'r2', label: 'rnn, bn', model: rnnBnModel, backend: 'cpu', settings });
    store.addEpoch('r1', 1, { mae: 0.5, loss: 1, val_loss: 2 });
    store.addEpoch('r1', 2, { loss: 0.5, val_loss: 1, mae: 0.4 });
    store.addEpoch('r2', 1, { loss: 3 });
    const lines = runsCsv(store).trimEnd().split('\r\n');
    assert.deepEqual(lines, [
      'run,model,epoch,loss,val_loss,mae',
      'lstm,lstm,1,1,2,0.5',
      'lstm,lstm,2,0.5,1,0.4',
      '"rnn, bn",rnn_bn,1,3,,',
    ]);
  });

  it('adds the smoothed columns when smoothing is on', () => {
    const store = new RunStore(0.5);
    store.start({ runId: 'r1', model: forecastModel, backend: 'cpu', settings });
    store.addEpoch('r1', 1, { loss: 1 });
    store.addEpoch('r1', 2, { loss: 3 });
    const lines = runsCsv(store).trimEnd().split('\r\n');
    assert.equal(lines[0], 'run,model,epoch,loss,loss_smoothed');
    // t=2: last = 0.25 + 1.5 = 1.75, / 0.75
    assert.equal(lines[2], `lstm,lstm,2,3,${1.75 / 0.75}`);
  });
});
