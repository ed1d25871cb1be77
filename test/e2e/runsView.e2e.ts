import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { CodeServer, REPO_ROOT, launchBrowser } from './codeServer';
import { panelFrame, pickModel, runPickingCommand, sleep } from './trainingPage';
import { Workbench } from './workbench';

// The SeqModel Runs view as a user meets it in code-server: two models trained from the
// palette appear in the Explorer's Runs view, grouped by file and model; both are selected
// (click, Ctrl+click) and "Compare Selected Runs" overlays them in one loss chart.

const EPOCHS = 15;

describe('SeqModel Runs view in code-server', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  let folder: string;

  before(async function () {
    folder = mkdtempSync(path.join(tmpdir(), 'seqmodel-runs-e2e-'));
    copyFileSync(path.join(REPO_ROOT, 'examples/forecast.seqmodel'), path.join(folder, 'forecast.seqmodel'));
    server = await CodeServer.start({ label: 'runs-view', settings: { 'seqmodel.training.epochsOverride': EPOCHS, 'workbench.editor.enablePreview': false } });
    browser = await launchBrowser();
    wb = await Workbench.open(server, browser, folder, { payload: CodeServer.developmentPayload() });
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`runs-view-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** The Runs view's pane in the Explorer. */
  const pane = (): Locator => wb!.page.locator('.pane', { has: wb!.page.locator('.pane-header', { hasText: 'SeqModel Runs' }) });
  const rows = (): Locator => pane().locator('.monaco-list-row');

  /** Each row as "label — description" (the two are separate elements, with no space between). */
  async function rowTexts(): Promise<string[]> {
    return rows().evaluateAll((els) =>
      els.map((row) => {
        const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
        return `${text('.label-name')} — ${text('.label-description')}`;
      }),
    );
  }

  async function waitForRows(ok: (texts: string[]) => boolean, what: string, timeoutMs = 120_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      texts = await rowTexts().catch(() => []);
      if (ok(texts)) return texts;
      await sleep(300);
    }
    throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(texts)}`);
  }

  it('lists two trained runs by file and model and compares them in one loss chart', async () => {
    const page = wb!.page;
    await wb!.runCommand('Explorer: Focus on SeqModel Runs View');
    await pane().waitFor({ state: 'visible', timeout: 30_000 });
    // No runs yet: the welcome text says how to make one.
    await pane().getByText('No training runs yet').waitFor({ state: 'visible', timeout: 30_000 });

    for (const model of ['rnn', 'lstm']) {
      await runPickingCommand(page, 'SeqModel: Train Model');
      await pickModel(page, model);
      await waitForRows((t) => t.some((r) => r.startsWith(model)) && !t.some((r) => r.includes('running')) && t.filter((r) => r.includes(' — done · ')).length === (model === 'rnn' ? 1 : 2), `the ${model} run, done, in the view`);
    }
    const texts = await rowTexts();
    // File, then models newest first, each with its run: done, the final loss, the epochs, the backend.
    assert.equal(texts[0], 'forecast.seqmodel — 2 runs');
    assert.equal(texts[1], 'lstm — 1 run');
    assert.match(texts[2], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d — done · loss [\\d.e-]+ · ${EPOCHS}/${EPOCHS} epochs · [\\d.]+ s · (wasm|cpu|node)`));
    assert.equal(texts[3], 'rnn — 1 run');
    assert.match(texts[4], / — done · loss /);

    // For the screenshot (docs/images/runs-view.png): the folder section collapsed, the side bar
    // wide enough for the runs' descriptions, no notifications.
    await wb!.runCommand('Notifications: Clear All Notifications');
    await page.locator('.pane-header', { hasText: path.basename(folder).toUpperCase() }).first().click();
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + 200);
      await page.mouse.down();
      await page.mouse.move(sidebar.x + sidebar.width + 380, sidebar.y + 200, { steps: 10 });
      await page.mouse.up();
    }

    // Select both runs, then Compare from the view's title bar.
    await rows().nth(2).click();
    await rows().nth(4).click({ modifiers: ['ControlOrMeta'] });
    await wb!.screenshot('runs-view');
    await pane().locator('.pane-header').hover();
    await pane().locator('.pane-header [aria-label="Compare Selected Runs"]').click();

    const deadline = Date.now() + 60_000;
    let labels: string[] = [];
    let states: string[] = [];
    while (Date.now() < deadline) {
      const loss = await panelFrame(page, 'loss');
      labels = await loss.locator('.run .label').allTextContents().catch(() => []);
      states = await loss.locator('.run .status').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status ?? '')).catch(() => []);
      if (labels.length === 2 && states.every((s) => s === 'completed')) break;
      await sleep(300);
    }
    assert.deepEqual(
      labels.map((l) => l.split(' ')[0]).sort(),
      ['lstm', 'rnn'],
    );
    assert.deepEqual(states, ['completed', 'completed']);
    await wb!.screenshot('runs-view-compare');
  });
});
