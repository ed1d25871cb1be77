import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/language';
import { pngBytes, safeFileName } from '../../src/extension/panels/exportNames';
import { errorReport } from '../../src/extension/training/errorReport';
import { parseSequence, validateSequence } from '../../src/extension/training/predictInput';
import { decodeSequence, outputProbabilities, predictionsMessage, targetFeature } from '../../src/extension/training/predictionsView';
import { epochLogs, historyEpochs, savedRunRecord } from '../../src/extension/training/runRecords';
import { effectiveSettings, jobProblem, trainingRequest, trainJobs } from '../../src/training/trainPlan';
import type { SavedRun } from '../../src/training/runStore';

// The pure pieces behind the editor's training commands (the vscode-facing parts are tested in
// the extension host: test/vscode/training.test.ts).

const EXAMPLES = path.resolve(__dirname, '../../examples');
const example = (name: string) => analyze(readFileSync(path.join(EXAMPLES, `${name}.seqmodel`), 'utf8'));

describe('extension training: the Predict input', () => {
  const lstm = example('forecast').models.find((m) => m.name === 'lstm')!;
  const message = (r: ReturnType<typeof validateSequence>) => (r.ok ? null : r.message);

  it('reads one value per step, with or without brackets, and steps × features', () => {
    assert.deepEqual(parseSequence('70, 80, 90'), { ok: true, input: [[70], [80], [90]] });
    assert.deepEqual(parseSequence(' [70, 80.5, -9e1] '), { ok: true, input: [[70], [80.5], [-90]] });
    assert.deepEqual(parseSequence('[[1, 0], [0, 1]]'), { ok: true, input: [[1, 0], [0, 1]] });
  });

  it('says what is wrong with text that is not a sequence of numbers', () => {
    assert.match(message(validateSequence('', lstm))!, /Type a sequence/);
    assert.match(message(validateSequence('70; 80', lstm))!, /Not a sequence of numbers/);
    assert.match(message(validateSequence('[]', lstm))!, /empty/);
    assert.match(message(validateSequence('[1, "a"]', lstm))!, /Step 2 holds something that is not a finite number/);
    assert.match(message(validateSequence('[[1, 2], [3]]', lstm))!, /step 1 has 2, step 2 has 1/);
  });

  it("checks it with the engine's rules against the example models", () => {
    assert.equal(validateSequence('70, 80, 90', lstm).ok, true);
    assert.equal(message(validateSequence('70, 80, 90, 100', lstm)), 'lstm takes 3 steps (input shape (3, 1)); the input has 4.');
  });
});

describe('train plan (src/training/trainPlan.ts, for the CLI and the editor)', () => {
  it('trains every model of the train blocks, in file order, once', () => {
    const a = example('forecast');
    assert.deepEqual(trainJobs(a).map((j) => j.model.name), ['rnn', 'rnn_bn', 'lstm']);
    assert.deepEqual(trainJobs(a, 'lstm').map((j) => j.model.name), ['lstm']);
    assert.deepEqual(trainJobs(a, 'nope'), []);
    // A model named by two train blocks trains once, with the first; a block alone trains its own.
    const twice = analyze('data d = window([1, 2, 3, 4, 5], steps=2)\nmodel m {\n  input(2, 1)\n  Dense(1)\n}\nmodel n {\n  input(2, 1)\n  Dense(1)\n}\ntrain m on d { epochs = 2 }\ntrain n, m on d { epochs = 3 }\n');
    assert.deepEqual(trainJobs(twice).map((j) => [j.model.name, j.train.settings.epochs]), [['m', 2], ['n', 3]]);
    assert.deepEqual(trainJobs(twice, undefined, twice.trains[1]).map((j) => [j.model.name, j.train.settings.epochs]), [['n', 3], ['m', 3]]);
  });

  it('builds the runner request with paths, predicts and the epoch override', () => {
    const a = example('forecast');
    const [job] = trainJobs(a, 'rnn');
    const request = trainingRequest(a, job, {
      documentPath: '/ws/models/forecast.seqmodel',
      workspaceFolder: '/ws',
      backend: 'wasm',
      epochsOverride: 3,
      allowOutside: false,
      save: true,
      batchRate: 4,
    });
    assert.equal(request.settings.epochs, 3);
    assert.equal(request.settings.loss, 'mse');
    assert.equal(request.baseDir, '/ws/models');
    assert.equal(request.runsDir, path.join('/ws', '.seqmodel', 'runs'));
    assert.equal(request.data.name, 'series');
    assert.deepEqual(request.predicts.map((p) => p.input), [[[70], [80], [90]]]);
    assert.equal(trainingRequest(a, job, { documentPath: '/ws/f.seqmodel', workspaceFolder: '/ws', backend: 'auto', allowOutside: false, save: false, batchRate: 0 }).runsDir, null);
  });

  it('keeps the train block epochs without an override', () => {
    const settings = example('forecast').trains[0].settings;
    assert.equal(effectiveSettings(settings, 0).epochs, 1000);
    assert.equal(effectiveSettings(settings, undefined).epochs, 1000);
    assert.equal(effectiveSettings(settings, 7).epochs, 7);
  });

  it('refuses to train a file with errors', () => {
    const a = analyze('data d = window([1, 2, 3, 4, 5], steps=2)\nmodel m {\n  LSTM(4, input_shape=(2, 1))\n  Dense(1)\n}\ntrain m on d { epochs = 2 }\nmodel bad { Dense(x) }\n');
    const [job] = trainJobs(a, 'm');
    assert.match(jobProblem(a, job)!, /error/);
    const ok = analyze('data d = window([1, 2, 3, 4, 5], steps=2)\nmodel m {\n  LSTM(4, input_shape=(2, 1))\n  Dense(1)\n}\ntrain m on d { epochs = 2 }\n');
    assert.equal(jobProblem(ok, trainJobs(ok, 'm')[0]), null);
  });
});

describe('extension training: errors in words', () => {
  it('names the failure, the epochs done and the hint', () => {
    const r = errorReport('rnn', {
      type: 'error',
      kind: 'nan',
      message: 'Training diverged: the loss became NaN in epoch 3, batch 1.\nmore',
      hint: 'Lower the learning rate.',
      history: { loss: [1, 2] },
    });
    assert.equal(r.summary, 'rnn: training failed, the loss became NaN (after 2 epochs). Training diverged: the loss became NaN in epoch 3, batch 1. Lower the learning rate.');
    assert.match(r.log, /\(nan\) \(after 2 epochs\): Training diverged.*\nmore\n  hint: Lower the learning rate\./s);
  });

  it('points at the file and line of a data error once', () => {
    const r = errorReport('m', { type: 'error', kind: 'data', message: 'data.csv, line 4: "x" is not a number.', file: '/w/data.csv', line: 4 });
    assert.equal(r.summary, 'm: training failed, the data could not be read. data.csv, line 4: "x" is not a number.');
    assert.equal(r.log, 'm: training failed (data): data.csv, line 4: "x" is not a number.');
  });

  it('explains a crashed worker and running out of memory', () => {
    assert.match(errorReport('m', { type: 'error', kind: 'crashed', message: 'The training worker was killed by SIGKILL before finishing.', hint: 'OOM killer' }).summary, /the training worker crashed\. The training worker was killed by SIGKILL before finishing\. OOM killer/);
    assert.match(errorReport('m', { type: 'error', kind: 'oom', message: 'Out of memory' }).summary, /out of memory/);
  });
});

describe('extension training: loss panel records', () => {
  it('turns epoch progress into Keras logs', () => {
    assert.deepEqual(epochLogs({ type: 'epoch', epoch: 2, epochs: 5, loss: 0.5, valLoss: 0.7, metrics: { accuracy: 0.9, val_accuracy: 0.8 }, seconds: 1 }), {
      loss: 0.5,
      val_loss: 0.7,
      accuracy: 0.9,
      val_accuracy: 0.8,
    });
    assert.deepEqual(epochLogs({ type: 'epoch', epoch: 1, epochs: 5, loss: 0.5, valLoss: null, metrics: {}, seconds: 1 }), { loss: 0.5 });
  });

  it('turns a column-wise history into epochs counted from 1', () => {
    assert.deepEqual(historyEpochs({ loss: [3, 2, 1], val_loss: [4, 3] }), [
      { epoch: 1, logs: { loss: 3, val_loss: 4 } },
      { epoch: 2, logs: { loss: 2, val_loss: 3 } },
      { epoch: 3, logs: { loss: 1 } },
    ]);
    assert.deepEqual(historyEpochs({}), []);
  });

  it('shows a saved run, stopped when it trained fewer epochs than asked', () => {
    const settings = { ...example('forecast').trains[0].settings, epochs: 10 };
    const run: SavedRun = {
      meta: { model: 'rnn', data: 'series', settings, backend: 'wasm', seconds: 1, epochs: 2, samples: { train: 5, validation: 0 }, params: 2702, startedAt: '2026-11-22T01:00:00.000Z', finishedAt: '2026-11-22T01:00:05.000Z', versions: {} },
      history: { loss: [2, 1] },
      predictions: [],
      path: '/ws/.seqmodel/runs/rnn/2026-11-22T01-00-05-000Z',
      id: '2026-11-22T01-00-05-000Z',
      hasModel: true,
      status: 'done',
      pinned: false,
    };
    const record = savedRunRecord(run, undefined);
    assert.equal(record.runId, 'rnn/2026-11-22T01-00-05-000Z');
    assert.equal(record.label, 'rnn 2026-11-22 01:00');
    assert.equal(record.status, 'stopped');
    assert.equal(record.model.name, 'rnn');
    assert.equal(record.model.params.total, 2702);
    assert.equal(record.epochs.length, 2);
    assert.equal(savedRunRecord({ ...run, meta: { ...run.meta, epochs: 10 } }, undefined).status, 'completed');
    // The saved status decides when there is one.
    assert.equal(savedRunRecord({ ...run, status: 'stopped', meta: { ...run.meta, epochs: 10 } }, undefined).status, 'stopped');
    assert.equal(savedRunRecord({ ...run, status: 'failed', hasModel: false }, undefined).status, 'failed');
  });

  it("shows a saved run's training path per layer; runs saved before it was kept show none", () => {
    const settings = example('forecast').trains[0].settings;
    const paths = [{ path: 'tfjs' as const, reason: 'no fused kernel yet', layer: 'lstm', type: 'LSTM', text: 'lstm: TensorFlow.js layers — no fused kernel yet' }];
    const meta = { model: 'lstm', data: 'series', settings, backend: 'wasm', seconds: 1, epochs: settings.epochs, samples: { train: 5, validation: 0 }, params: 10502, startedAt: '2026-11-22T01:00:00.000Z', finishedAt: '2026-11-22T01:00:05.000Z', versions: {} };
    const run: SavedRun = { meta: { ...meta, paths }, history: { loss: [1] }, predictions: [], path: '/ws/r', id: 'r', hasModel: true, status: 'done', pinned: false };
    assert.deepEqual(savedRunRecord(run, undefined).paths, paths);
    assert.equal('paths' in savedRunRecord({ ...run, meta }, undefined), false);
  });
});

describe('extension training: prediction panel messages', () => {
  const windowSpec = example('forecast').data[0].spec;
  const echoSpec = example('echo').data[0].spec;

  it('puts the predict statements first, then the forecast windows with their truth', () => {
    const m = predictionsMessage({
      modelName: 'rnn',
      runId: 'r1',
      spec: windowSpec,
      predictions: [
        { input: [[70], [80], [90]], output: [100, 110] },
        { input: [[1]], output: null, error: 'bad shape' },
      ],
      evaluation: { task: 'forecast', fromValidation: false, samples: [{ input: [[10], [20], [30]], predicted: [39, 51], actual: [40, 50] }] },
    });
    assert.deepEqual(m, {
      type: 'predictions',
      modelName: 'rnn',
      runId: 'r1',
      task: 'forecast',
      targetFeature: 0,
      samples: [
        { input: [[70], [80], [90]], predicted: [100, 110], actual: null },
        { input: [[10], [20], [30]], predicted: [39, 51], actual: [40, 50] },
      ],
    });
    assert.equal(predictionsMessage({ modelName: 'rnn', spec: windowSpec, predictions: [] }), null);
  });

  it('decodes one-hot classification inputs and carries the confusion data', () => {
    const m = predictionsMessage({
      modelName: 'lstm',
      spec: echoSpec,
      predictions: [],
      evaluation: {
        task: 'classification',
        fromValidation: true,
        samples: [{ input: [[0, 1, 0], [1, 0, 0]], expected: 0, probabilities: [0.7, 0.2, 0.1] }],
        expected: [0, 1, 2],
        predicted: [0, 1, 1],
      },
    });
    assert.equal(m?.task, 'classification');
    if (m?.task !== 'classification') return;
    assert.deepEqual(m.samples, [{ sequence: [1, 0], expected: 0, probabilities: [0.7, 0.2, 0.1] }]);
    assert.deepEqual(m.validation, { expected: [0, 1, 2], predicted: [0, 1, 1] });
    assert.equal(m.classNames, undefined);
  });

  it('reads a single sigmoid output as [1 - p, p] and word ids as they are', () => {
    assert.deepEqual(outputProbabilities(0.25), [0.75, 0.25]);
    assert.deepEqual(outputProbabilities([[0.25]]), [0.75, 0.25]);
    assert.deepEqual(outputProbabilities([0.1, 0.9]), [0.1, 0.9]);
    assert.deepEqual(decodeSequence([[12], [7.0]]), [12, 7]);
    const sentiment = example('imdb_sentiment').data[0].spec;
    const m = predictionsMessage({ modelName: 'lstm', spec: sentiment, predictions: [{ input: [[3], [9]], output: [0.8] }] });
    assert.equal(m?.task, 'classification');
    if (m?.task === 'classification') {
      assert.deepEqual(m.classNames, ['negative', 'positive']);
      assert.equal(m.samples[0].expected, null);
      assert.ok(Math.abs(m.samples[0].probabilities[0] - 0.2) < 1e-12);
    }
  });

  it('finds the forecast column of a CSV series', () => {
    const csv = (columns: (string | number)[] | null, target: string | number | null) =>
      ({ kind: 'window', steps: 3, horizon: 1, series: { kind: 'csv', path: 'a.csv', columns, target, header: null, delimiter: ',' } }) as const;
    assert.equal(targetFeature(csv(null, null)), 0);
    assert.equal(targetFeature(csv(['a', 'b'], 'b')), 1);
    assert.equal(targetFeature(csv(null, 2)), 2);
    assert.equal(targetFeature(windowSpec), 0);
  });
});

describe('extension panels: exports', () => {
  it('decodes a PNG data URL and refuses anything else', () => {
    assert.deepEqual([...pngBytes('data:image/png;base64,iVBORw==')], [0x89, 0x50, 0x4e, 0x47]);
    assert.throws(() => pngBytes('data:text/html;base64,PGI+'), /not a base64 PNG/);
  });

  it('reduces a suggested name to a plain file name with its extension', () => {
    assert.equal(safeFileName('rnn-loss.png', 'png'), 'rnn-loss.png');
    assert.equal(safeFileName('../../etc/passwd', 'csv'), 'passwd.csv');
    assert.equal(safeFileName('a:b*c.CSV', 'csv'), 'a_b_c.csv');
    assert.equal(safeFileName('...', 'png'), 'export.png');
  });
});

describe('extension panels: the page in the web workbench', () => {
  it("accepts code-server's cspSource ('self' and a host) and still refuses injected keywords", async () => {
    const { html, createNonce } = await import('../../src/extension/panels/html');
    const base = { panel: 'loss' as const, title: 'Loss', scriptUri: 'https://x/loss.js', styleUris: [], nonce: createNonce() };
    const page = html({ ...base, cspSource: "'self' https://*.vscode-cdn.net" });
    assert.match(page, /style-src 'self' https:\/\/\*\.vscode-cdn\.net 'nonce-/);
    assert.throws(() => html({ ...base, cspSource: "'self' 'unsafe-inline'" }), /cspSource/);
    assert.throws(() => html({ ...base, cspSource: 'https://a; script-src *' }), /cspSource/);
  });
});

describe('extension panels: what the host remembers across a reload', () => {
  const memento = () => {
    const store = new Map<string, unknown>();
    return {
      keys: () => [...store.keys()],
      get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback),
      update: (key: string, value: unknown) => {
        store.set(key, JSON.parse(JSON.stringify(value ?? null)));
        return Promise.resolve();
      },
    };
  };
  const run = (runId: string, epochs: number, status: 'running' | 'completed' = 'completed') => ({
    runId,
    model: example('forecast').models[0],
    backend: 'wasm',
    settings: example('forecast').trains[0].settings,
    status,
    epochs: Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, logs: { loss: 1 / (i + 1) } })),
  });

  it('keeps the newest runs within the epoch budget, in display order', async () => {
    const { rememberLossRuns, recalledLossRuns } = await import('../../src/extension/panels/panelMemory');
    const m = memento();
    await rememberLossRuns(m as never, [run('a', 15_000), run('b', 10_000), run('c', 5_000)]);
    assert.deepEqual(recalledLossRuns(m as never).map((r) => r.runId), ['b', 'c']);
  });

  it('recalls a run that was going on as stopped: its worker ended with the window', async () => {
    const { rememberLossRuns, recalledLossRuns } = await import('../../src/extension/panels/panelMemory');
    const m = memento();
    await rememberLossRuns(m as never, [run('a', 3, 'running')]);
    const [recalled] = recalledLossRuns(m as never);
    assert.equal(recalled.status, 'stopped');
    assert.equal(recalled.epochs.length, 3);
  });
});
