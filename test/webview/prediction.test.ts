// The prediction panel in headless Chromium: a forecast against the truth, the seed's echo
// output with probabilities, the confusion matrix, exports and state across reload.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { predictionsMessage } from '../../src/extension/training/predictionsView';
import type { LabelledWindowsSpec } from '../../src/language';
import type { ClassificationPredictions, ExportCsvMessage, ExportPngMessage, ForecastPredictions } from '../../webview/protocol';
import { ARTIFACTS, countColorPixels, openWebview, pngSize, reload, stateWrites, useBrowser, waitForStateWrite } from './harness';
import { themes, type ThemeName } from './themes';

const forecast: ForecastPredictions = {
  type: 'predictions',
  task: 'forecast',
  modelName: 'lstm',
  targetFeature: 0,
  samples: [
    // The seed's split_sequence on 10..90 with steps=3, horizon=2, then `predict lstm [70, 80, 90]`.
    { input: [[50], [60], [70]], predicted: [80.6, 91.1], actual: [80, 90] },
    { input: [[70], [80], [90]], predicted: [101.3, 112.2], actual: null },
  ],
};

/** The seed's echo problem: the label is the class at index 2 of a 5-step sequence of 10 classes. */
function echoPredictions(): ClassificationPredictions {
  const sequences = [
    [7, 0, 2, 6, 7],
    [1, 9, 4, 4, 0],
    [3, 3, 8, 1, 5],
    [0, 6, 5, 2, 9],
  ];
  const samples = sequences.map((sequence, i) => {
    const probabilities = new Array(10).fill(0.02);
    // The last sample is a miss: the model puts its mass on class 6 instead of 5.
    const guess = i === 3 ? 6 : sequence[2];
    probabilities[guess] = 0.82;
    return { sequence, expected: sequence[2], probabilities };
  });
  const expected = Array.from({ length: 100 }, (_, i) => i % 10);
  const predicted = expected.map((c, i) => (i % 25 === 0 ? (c + 1) % 10 : c));
  return { type: 'predictions', task: 'classification', modelName: 'echo', samples, validation: { expected, predicted } };
}

/**
 * The activity lab after a run, as the host builds it from the worker's evaluation: windows of
 * accelerometer readings, classes named by the recording's label column.
 */
function activityPredictions(): ClassificationPredictions {
  const classNames = ['running', 'sitting', 'stairs', 'standing', 'walking'];
  const spec: LabelledWindowsSpec = {
    kind: 'labelledWindows',
    series: { kind: 'csv', path: 'data/activity.csv', columns: ['x', 'y', 'z'], target: null, header: null, delimiter: ',' },
    label: 'activity',
    classNames: null,
    steps: 4,
    stride: 2,
    mixed: 'drop',
  };
  const window = [[0.1, 9.8, 0.4], [0.3, 10.9, 1.2], [-0.2, 8.1, 0.9], [0.0, 9.7, 0.3]];
  const onehot = (c: number) => classNames.map((_, k) => (k === c ? 0.9 : 0.025));
  // 50 validation windows, 10 per class; two walking windows are taken for stairs.
  const expected = Array.from({ length: 50 }, (_, i) => i % 5);
  const predicted = expected.map((c, i) => (c === 4 && i < 10 ? 2 : c));
  const message = predictionsMessage({
    modelName: 'conv_lstm',
    spec,
    predictions: [],
    evaluation: {
      task: 'classification',
      fromValidation: true,
      samples: [
        { input: window, expected: 4, probabilities: onehot(4) },
        { input: window, expected: 4, probabilities: onehot(2) },
      ],
      expected,
      predicted,
      classNames,
    },
  });
  assert.ok(message?.task === 'classification');
  return message;
}

describe('prediction panel (Chromium)', function () {
  const browser = useBrowser();

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`draws the input window and the forecast against the truth in the ${theme} theme`, async () => {
      const view = await openWebview(browser(), 'prediction', theme);
      try {
        await view.send(forecast);
        await view.frame();
        assert.equal(await view.page.locator('#position').textContent(), 'Sample 1 of 2');
        assert.equal(await view.page.locator('#forecast-chart').getAttribute('data-points'), '5');
        const vars = themes[theme].vars;
        for (const color of [vars['--vscode-charts-blue'], vars['--vscode-charts-orange'], vars['--vscode-charts-green']]) {
          const pixels = await countColorPixels(view.page, '#forecast-chart canvas', color);
          assert.ok(pixels > 100, `${color}: ${pixels} pixels`);
        }
        const rows = await view.page.$$eval('#forecast-values tr.forecast-row', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
        assert.deepEqual(rows, [
          ['4', '', '80', '80.6', '0.6'],
          ['5', '', '90', '91.1', '1.1'],
        ]);
        assert.match((await view.page.locator('#overall').textContent())!, /Mean absolute error over 1 sample with known values: 0\.85/);
        await view.screenshot(`prediction-forecast-${theme}`);
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }

  it('pages through samples, exports CSV and PNG, and restores the sample after a reload', async () => {
    const view = await openWebview(browser(), 'prediction', 'dark');
    try {
      await view.send(forecast);
      await view.frame();
      const writes = await stateWrites(view.page);
      await view.page.locator('#next').click();
      await waitForStateWrite(view.page, writes);
      assert.equal(await view.page.locator('#position').textContent(), 'Sample 2 of 2');
      // A free prediction has no truth: its actual cells are dashes.
      const free = await view.page.$$eval('#forecast-values tr.forecast-row', (trs) => trs.map((tr) => tr.children[2].textContent));
      assert.deepEqual(free, ['–', '–']);
      await view.page.locator('#export-csv').click();
      await view.page.locator('#export-png').click();
      const posted = await view.posted();
      const csv = posted.find((m): m is ExportCsvMessage => m.type === 'exportCsv')!;
      assert.equal(csv.suggestedName, 'lstm-predictions.csv');
      assert.match(csv.content, /^sample,step,kind,input,actual,predicted\r\n1,1,input,50,,\r\n/);
      const png = posted.find((m): m is ExportPngMessage => m.type === 'exportPng')!;
      assert.equal(png.suggestedName, 'lstm-forecast-2.png');
      const size = pngSize(png.dataUrl);
      assert.ok(size.width > 300 && size.height > 200);
      writeFileSync(path.join(ARTIFACTS, 'prediction-export.png'), size.bytes);
      await reload(view);
      await view.frame();
      assert.equal(await view.page.locator('#position').textContent(), 'Sample 2 of 2');
      assert.deepEqual(await view.cspViolations(), []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('names the classes of a labelled recording in the samples and the confusion matrix', async () => {
    const view = await openWebview(browser(), 'prediction', 'dark');
    try {
      await view.send(activityPredictions());
      // Sensor windows list no sequence of classes, only the named classes.
      const lines = await view.page.$$eval('#echo-list li code', (codes) => codes.map((c) => c.textContent));
      assert.deepEqual(lines, ['Expected: walking Predicted: walking', 'Expected: walking Predicted: stairs']);
      const names = await view.page.$$eval('#probabilities .prob .name', (spans) => spans.map((s) => s.textContent));
      assert.deepEqual(names, ['running', 'sitting', 'stairs', 'standing', 'walking']);
      const header = await view.page.$$eval('#confusion thead th', (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(header, ['true ╲ predicted', 'running', 'sitting', 'stairs', 'standing', 'walking', 'recall']);
      const rowNames = await view.page.$$eval('#confusion tbody tr th', (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(rowNames, ['running', 'sitting', 'stairs', 'standing', 'walking', 'precision']);
      // The walking row: 2 taken for stairs, 8 right; the cell's tooltip names both classes.
      const walking = await view.page.$$eval('#confusion tbody tr:nth-child(5) td.cell', (tds) => tds.map((td) => [Number(td.textContent), td.getAttribute('title')]));
      assert.deepEqual(walking[2], [2, 'true walking, predicted stairs: 2']);
      assert.deepEqual(walking[4], [8, 'true walking, predicted walking: 8']);
      assert.equal(await view.page.locator('#validation-accuracy').textContent(), 'Accuracy 96.0%: 48 of 50');
      await view.screenshot('prediction-activity-dark');
      assert.deepEqual(await view.cspViolations(), []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`prints the seed's echo output with probabilities and a confusion matrix in the ${theme} theme`, async () => {
      const view = await openWebview(browser(), 'prediction', theme);
      try {
        await view.send(echoPredictions());
        const lines = await view.page.$$eval('#echo-list li code', (codes) => codes.map((c) => c.textContent));
        assert.equal(lines[0], 'Sequence: [7, 0, 2, 6, 7] Expected: 2 Predicted: 2');
        assert.equal(lines[3], 'Sequence: [0, 6, 5, 2, 9] Expected: 5 Predicted: 6');
        assert.deepEqual(await view.page.$$eval('#echo-list li', (lis) => lis.map((li) => li.className)), ['echo correct selected', 'echo correct', 'echo correct', 'echo wrong']);
        assert.equal(await view.page.locator('#sample-accuracy').textContent(), '3 of 4 correct (75.0%)');
        // The first sample's probabilities: class 2 is both the best and the expected one.
        assert.equal(await view.page.locator('#probabilities .prob.best').getAttribute('data-class'), '2');
        assert.equal(await view.page.locator('#probabilities .prob.expected').getAttribute('data-class'), '2');
        // Selecting the miss shows the best and expected classes apart.
        await view.page.locator('#echo-list li[data-index="3"]').click();
        assert.equal(await view.page.locator('#probabilities .prob.best').getAttribute('data-class'), '6');
        assert.equal(await view.page.locator('#probabilities .prob.expected').getAttribute('data-class'), '5');
        const barWidth = await view.page.locator('#probabilities .prob.best .bar').evaluate((bar) => bar.getBoundingClientRect().width / bar.parentElement!.getBoundingClientRect().width);
        assert.ok(Math.abs(barWidth - 0.82 / (0.82 + 9 * 0.02)) < 0.02, `bar at ${barWidth}`);
        // 100 validation samples, every 25th shifted by one class: 96 correct.
        assert.equal(await view.page.locator('#validation-accuracy').textContent(), 'Accuracy 96.0%: 96 of 100');
        const matrix = await view.page.$$eval('#confusion tbody tr', (trs) => trs.slice(0, 10).map((tr) => Array.from(tr.querySelectorAll('td.cell')).map((td) => Number(td.textContent))));
        assert.equal(matrix.length, 10);
        // Shifted: samples 0 and 50 (class 0 → 1), 25 and 75 (class 5 → 6).
        assert.deepEqual([matrix[0][0], matrix[0][1], matrix[5][5], matrix[5][6], matrix[1][1]], [8, 2, 8, 2, 10]);
        assert.equal(matrix.flat().reduce((a, b) => a + b, 0), 100);
        await view.screenshot(`prediction-echo-${theme}`);
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }
});
