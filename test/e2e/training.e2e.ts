import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator } from 'playwright-core';
import { CodeServer, REPO_ROOT, launchBrowser } from './codeServer';
import { panelFrame, pickModel, runPickingCommand, sleep } from './trainingPage';
import { Workbench } from './workbench';

// Training as a user runs it: examples/forecast.seqmodel open in code-server, "SeqModel: Train
// Model" from the command palette, the loss chart filling in the loss panel (a webview), then
// a long run ended by "SeqModel: Stop Training". Screenshots go to test-artifacts/e2e/.

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const FEW_EPOCHS = 20;

/** Reads the loss chart's epoch count and the first run's status line, in one go (no tearing). */
async function lossState(frame: FrameLocator): Promise<{ epochs: number; status: string; state: string }> {
  return frame
    .locator('body')
    .evaluate((body) => {
      const chart = body.querySelector<HTMLElement>('#chart');
      const status = body.querySelector<HTMLElement>('.run .status');
      return { epochs: Number(chart?.dataset.epochs ?? '0'), status: (status?.textContent ?? '').trim(), state: status?.dataset.status ?? '' };
    }, undefined, { timeout: 5000 })
    .catch(() => ({ epochs: 0, status: '', state: '' }));
}

async function waitForLoss(frame: FrameLocator, ok: (s: { epochs: number; status: string; state: string }) => boolean, what: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last = { epochs: 0, status: '', state: '' };
  while (Date.now() < deadline) {
    last = await lossState(frame);
    if (ok(last)) return last;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

describe('SeqModel training in code-server', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;

  /** User settings, rewritten on disk: VS Code watches the file and applies the change. */
  function setSettings(extra: Record<string, unknown>): void {
    const file = path.join(server!.runDir, 'user-data/User/settings.json');
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...current, ...extra }, null, 2));
  }

  before(async function () {
    // Runs are saved under the opened folder; start from none so the listing below is this run's.
    rmSync(path.join(EXAMPLES, '.seqmodel'), { recursive: true, force: true });
    server = await CodeServer.start({
      label: 'training',
      settings: { 'seqmodel.training.epochsOverride': FEW_EPOCHS, 'workbench.editor.enablePreview': false },
    });
    browser = await launchBrowser();
    wb = await Workbench.open(server, browser, EXAMPLES, { payload: CodeServer.developmentPayload() });
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`training-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
    rmSync(path.join(EXAMPLES, '.seqmodel'), { recursive: true, force: true });
  });

  it('trains the picked model from the palette and draws its loss live', async () => {
    const page = wb!.page;
    // The cursor is on the file's first line, in no model: a quick pick offers the three.
    await runPickingCommand(page, 'SeqModel: Train Model');
    await pickModel(page, 'rnn');

    const loss = await panelFrame(page, 'loss');
    const seen = new Set<number>();
    const done = await waitForLoss(
      loss,
      (s) => {
        if (s.epochs > 0) seen.add(s.epochs);
        // The status line and the chart's epoch count update on separate frames.
        return s.state === 'completed' && s.epochs === FEW_EPOCHS;
      },
      'the run to complete',
    );
    assert.equal(done.epochs, FEW_EPOCHS);
    assert.match(done.status, new RegExp(`completed · epoch ${FEW_EPOCHS}/${FEW_EPOCHS}`));
    // The chart has a loss series on a drawn axis.
    assert.ok(Number(await loss.locator('#chart').getAttribute('data-series')) >= 1);
    assert.ok(seen.size >= 1, 'the chart never showed an epoch');
    await wb!.screenshot('training-loss-completed');

    // Export CSV and PNG: the host asks where through VS Code's save dialog (a quick input in
    // the web workbench, prefilled with the workspace folder and the panel's file name).
    for (const [button, extension] of [['#export-csv', '.csv'], ['#export-png', '.png']] as const) {
      const before = new Set(readdirSync(EXAMPLES));
      await loss.locator(button).click();
      const dialog = page.locator('.quick-input-widget .quick-input-box input');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      // The dialog fills its path in steps (folder first, then the file name).
      let value = '';
      for (let i = 0; i < 30 && !value.endsWith(extension); i++, await sleep(200)) value = await dialog.inputValue();
      await wb!.screenshot(`training-export${extension.replace('.', '-')}-dialog`);
      assert.match(value, new RegExp(`examples/[^/]+\\${extension}$`));
      await page.keyboard.press('Enter');
      const deadline = Date.now() + 15_000;
      let added: string[] = [];
      while (Date.now() < deadline && added.length === 0) {
        added = readdirSync(EXAMPLES).filter((f) => !before.has(f) && f.endsWith(extension));
        await sleep(200);
      }
      assert.equal(added.length, 1, `no ${extension} file was written`);
      const written = readFileSync(path.join(EXAMPLES, added[0]));
      rmSync(path.join(EXAMPLES, added[0]));
      if (extension === '.csv') assert.match(written.toString('utf8'), /loss/);
      else assert.deepEqual([...written.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    }

    // The finished run's predictions wait for Show Predictions, in their own panel.
    await wb!.runCommand('SeqModel: Show Predictions');
    const prediction = await panelFrame(page, 'prediction');
    await prediction.locator('svg, canvas').first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb!.screenshot('training-predictions');
  });

  it('stops a long run with Stop Training from the palette', async () => {
    setSettings({ 'seqmodel.training.epochsOverride': 100_000 });
    // The web workbench does not notice a settings file changed behind its back: a fresh page
    // reads it (and the panels come back through their serializers).
    await wb!.close();
    wb = await Workbench.open(server!, browser!, EXAMPLES, { payload: CodeServer.developmentPayload() });
    const page = wb.page;
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
    await runPickingCommand(page, 'SeqModel: Train Model');
    await pickModel(page, 'rnn');
    const loss = await panelFrame(page, 'loss');
    const first = await waitForLoss(loss, (s) => s.state === 'running' && s.epochs > 0, 'the long run to start');
    assert.match(first.status, /\/100000$/);
    // One run in the chart: the runs of the earlier test were cleared by this Train.
    assert.equal(await loss.locator('.run').count(), 1);
    // Live: the chart keeps growing while the run goes on.
    const later = await waitForLoss(loss, (s) => s.epochs > first.epochs, 'the chart to update', 30_000);
    assert.equal(later.state, 'running');
    // The progress notification shows the epochs too, with its Cancel button.
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Training rnn' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await wb!.screenshot('training-loss-running');

    await wb!.runCommand('SeqModel: Stop Training');
    const stopped = await waitForLoss(loss, (s) => s.state === 'stopped', 'the run to stop', 30_000);
    assert.match(stopped.status, /^stopped · epoch \d+\/100000/);
    assert.ok(stopped.epochs < 100_000);
    // The notification goes away with the run.
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Training rnn' })
      .first()
      .waitFor({ state: 'hidden', timeout: 15_000 });
    await wb!.screenshot('training-loss-stopped');

    // The same run stopped from the loss panel's own Stop button, then from the progress
    // notification's Cancel.
    for (const how of ['panel', 'notification'] as const) {
      // The panel's Stop button left the focus in its webview: back to the editor, on its first
      // line (a comment, in no model), for the palette (see runPickingCommand).
      await wb!.focusEditor('forecast.seqmodel');
      await wb!.clickWord('Univariate');
      await runPickingCommand(page, 'SeqModel: Train Model');
      await pickModel(page, 'rnn');
      const frame = await panelFrame(page, 'loss');
      await waitForLoss(frame, (s) => s.state === 'running' && s.epochs > 2, `a run to stop from the ${how}`);
      if (how === 'panel') await frame.locator('.run vscode-button.stop').first().click();
      else {
        const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Training rnn' }).first();
        await toast.hover();
        await toast.getByRole('button', { name: 'Cancel' }).click();
      }
      const end = await waitForLoss(frame, (s) => s.state === 'stopped', `the run stopped from the ${how}`, 30_000);
      assert.match(end.status, /^stopped · epoch \d+\/100000/);
    }
  });

  it('overlays every model of the train block with Train All and Compare', async () => {
    setSettings({ 'seqmodel.training.epochsOverride': 300 });
    await wb!.close();
    wb = await Workbench.open(server!, browser!, EXAMPLES, { payload: CodeServer.developmentPayload() });
    const page = wb.page;
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
    await wb.runCommand('SeqModel: Train All and Compare');
    const loss = await panelFrame(page, 'loss');
    const deadline = Date.now() + 120_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      states = await loss.locator('.run .status').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status ?? ''));
      if (states.length === 3 && states.every((s) => s === 'completed')) break;
      await sleep(500);
    }
    assert.deepEqual(states, ['completed', 'completed', 'completed']);
    const labels = await loss.locator('.run .label').allTextContents();
    assert.deepEqual(labels, ['rnn', 'rnn_bn', 'lstm']);
    // Log scale makes the three curves comparable, as in the seed's plot.
    await loss.locator('#log-scale').click();
    await sleep(500);
    await wb.screenshot('training-compare');

    // The summary panel of the LSTM, picked from the file's models. The log-scale click left the
    // focus in the loss panel's webview: back to the editor's first line (a comment, in no
    // model, so the command asks which) for the palette (see runPickingCommand).
    await wb.focusEditor('forecast.seqmodel');
    await wb.clickWord('Univariate');
    await runPickingCommand(page, 'SeqModel: Show Model Summary Panel');
    const pick = page.locator('.quick-input-widget .quick-input-box input[placeholder="Summary of which model?"]');
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    await pick.fill('lstm');
    await page.keyboard.press('Enter');
    // The frame is found again on every poll: a hidden panel's frame leaving the page shifts
    // the others' positions.
    const end = Date.now() + 30_000;
    let text = '';
    while (Date.now() < end && !/Total params: 10,502/.test(text)) {
      const summary = await panelFrame(page, 'summary');
      text = await summary.locator('body').innerText({ timeout: 2000 }).catch(() => '');
      await sleep(250);
    }
    assert.match(text, /Model: "lstm"[\s\S]*Total params: 10,502/);
    await wb.screenshot('training-summary-panel');
  });

  it('brings the panels back with their runs after a window reload', async () => {
    const page = wb!.page;
    // The workbench's own reload, not the browser's: it runs VS Code's shutdown, which stores the
    // open editors (these panels among them) before the page goes; a bare page.reload() can
    // outrun that store, and then nothing is restored (seen once in CI).
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await wb!.runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // VS Code restores the open panels through the extension's serializers; the loss page
    // restores its runs from its saved state. It may be a background tab: bring it forward.
    await page.locator('.tabs-container .tab', { hasText: 'SeqModel: Loss' }).first().click({ timeout: 30_000 });
    const end = Date.now() + 60_000;
    let labels: string[] = [];
    let statuses: string[] = [];
    while (Date.now() < end) {
      const loss = await panelFrame(page, 'loss');
      labels = await loss.locator('.run .label').allTextContents().catch(() => []);
      statuses = await loss.locator('.run .status').allTextContents().catch(() => []);
      if (labels.length === 3 && statuses.every((t) => t.startsWith('completed'))) break;
      await sleep(500);
    }
    assert.deepEqual(labels, ['rnn', 'rnn_bn', 'lstm']);
    // Whole runs, as they ended: the host's record replaces the page's older saved state.
    assert.deepEqual(statuses, ['completed · epoch 300/300', 'completed · epoch 300/300', 'completed · epoch 300/300']);
    await wb!.screenshot('training-after-reload');
  });

  it('shows a classification run with the echo output and a confusion matrix', async () => {
    setSettings({ 'seqmodel.training.epochsOverride': 3 });
    await wb!.close();
    wb = await Workbench.open(server!, browser!, EXAMPLES, { payload: CodeServer.developmentPayload() });
    const page = wb.page;
    await wb.openFile('echo.seqmodel');
    await wb.waitForLanguage('SeqModel');
    // The file's only trainable model needs no pick.
    await wb.runCommand('SeqModel: Train Model');
    const loss = await panelFrame(page, 'loss');
    await waitForLoss(loss, (s) => s.state === 'completed' && s.epochs === 3, 'the echo run to complete', 120_000);
    await wb.runCommand('SeqModel: Show Predictions');
    const end = Date.now() + 30_000;
    let text = '';
    while (Date.now() < end && !/true ╲ predicted/.test(text)) {
      const prediction = await panelFrame(page, 'prediction');
      text = await prediction.locator('body').innerText({ timeout: 2000 }).catch(() => '');
      await sleep(250);
    }
    // The echo lines (sequence, expected, predicted) and the matrix over the 500 validation samples.
    assert.match(text, /Predictions: lstm/);
    assert.match(text, /true ╲ predicted/);
    await wb.screenshot('training-classification');
  });
});
