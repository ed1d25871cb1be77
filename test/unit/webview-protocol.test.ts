import { strict as assert } from 'node:assert';
import { isHostMessage, isWebviewMessage } from '../../webview/protocol';
import { forecastModel, settings } from '../webview/fixtures';

// Messages between the host and the pages are checked at run time on both sides: a null, a
// string, an unknown type or a known type with missing or mistyped fields is dropped, never
// thrown on inside an event handler (a null was an unhandled rejection in the host).

const MALFORMED: unknown[] = [null, undefined, 0, 'ready', [], {}, { type: 'nope' }, { type: '__proto__' }, { type: 'toString' }];

describe('webview messages: checked at run time in both directions', () => {
  it('host → page: every message kind as the host sends it passes; malformed ones do not', () => {
    const valid: unknown[] = [
      { type: 'runStarted', runId: 'r', model: forecastModel, backend: 'cpu', settings },
      { type: 'epoch', runId: 'r', epoch: 1, logs: { loss: 0.5, val_loss: NaN } },
      { type: 'epochs', runId: 'r', epochs: [{ epoch: 1, logs: { loss: Infinity } }, { epoch: 2, logs: { loss: null } }] },
      { type: 'runEnded', runId: 'r', status: 'failed', error: 'loss became NaN' },
      { type: 'loadRuns', runs: [{ runId: 's', model: forecastModel, backend: 'cpu', settings, status: 'completed', epochs: [] }], replace: true },
      { type: 'clearRuns' },
      { type: 'predictions', task: 'forecast', modelName: 'lstm', targetFeature: 0, samples: [{ input: [[70], [80], [90]], predicted: [101, 111], actual: null }] },
      { type: 'predictions', task: 'classification', modelName: 'c', samples: [{ sequence: [1, 2], expected: null, probabilities: [0.2, 0.8] }] },
      { type: 'summary', model: forecastModel },
    ];
    for (const m of valid) assert.ok(isHostMessage(m), JSON.stringify(m));
    const broken: unknown[] = [
      ...MALFORMED,
      { type: 'epoch', runId: 'r', epoch: 1 },
      { type: 'epoch', runId: 'r', epoch: '1', logs: {} },
      { type: 'epoch', runId: 'r', epoch: 1, logs: { loss: '0.5' } },
      { type: 'epochs', runId: 'r', epochs: null },
      { type: 'runEnded', runId: 'r', status: 'exploded' },
      { type: 'loadRuns', runs: [null] },
      { type: 'predictions', task: 'forecast', modelName: 'm', targetFeature: 0, samples: [{ input: null, predicted: [], actual: null }] },
      { type: 'predictions', task: 'other', modelName: 'm', samples: [] },
      { type: 'summary', model: null },
      { type: 'runStarted', runId: 'r', model: forecastModel, backend: 'cpu' },
    ];
    for (const m of broken) assert.equal(isHostMessage(m), false, JSON.stringify(m));
  });

  it('page → host: every message kind passes; malformed ones do not', () => {
    const valid: unknown[] = [
      { type: 'ready', panel: 'loss' },
      { type: 'exportCsv', panel: 'prediction', suggestedName: 'a.csv', content: 'x\n' },
      { type: 'exportPng', panel: 'loss', suggestedName: 'a.png', dataUrl: 'data:image/png;base64,AA==' },
      { type: 'stop', runId: 'r' },
      { type: 'reveal', start: 3, end: 9 },
      { type: 'error', panel: 'summary', message: 'boom' },
    ];
    for (const m of valid) assert.ok(isWebviewMessage(m), JSON.stringify(m));
    const broken: unknown[] = [
      ...MALFORMED,
      { type: 'ready', panel: 'other' },
      { type: 'exportCsv', panel: 'loss', suggestedName: 'a.csv' },
      { type: 'exportPng', panel: 'loss', suggestedName: 7, dataUrl: '' },
      { type: 'stop' },
      { type: 'reveal', start: '3', end: 9 },
      { type: 'reveal', start: 1.5, end: 9 },
      { type: 'error', panel: 'loss', message: null },
    ];
    for (const m of broken) assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
  });
});
