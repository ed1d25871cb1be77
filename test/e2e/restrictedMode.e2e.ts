import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, REPO_ROOT, launchBrowser } from './codeServer';
import { saveRun } from '../../src/training/runStore';
import { Workbench, normalizeText } from './workbench';

// Restricted Mode as a user meets it: Workspace Trust on (no --disable-workspace-trust), a copy
// of the examples in a fresh temp folder nobody trusted, forecast.seqmodel open. The language
// features work; Train is neither in the palette nor runnable from its code lens, which only
// explains why and offers Manage Workspace Trust; no run is saved in the folder.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the command palette with `>query` typed and returns the rows' labels once `until` holds. */
async function paletteLabels(page: Page, query: string, until: (labels: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
  }
  await input.fill(`>${query}`);
  const deadline = Date.now() + timeoutMs;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    const rows = page.locator('.quick-input-widget .monaco-list-row .label-name');
    labels = (await rows.allInnerTexts().catch(() => [])).map(normalizeText);
    if (until(labels)) break;
    await sleep(250);
  }
  return labels;
}

/** Whether a webview panel of the extension (loss, prediction, summary) is in the page. */
async function seqmodelPanels(page: Page): Promise<string[]> {
  const kinds: string[] = [];
  const hosts = page.locator('iframe.webview.ready');
  const count = await hosts.count();
  for (let i = 0; i < count; i++) {
    const body = hosts.nth(i).contentFrame().frameLocator('iframe#active-frame').locator('body[data-panel]');
    const kind = await body.getAttribute('data-panel', { timeout: 1000 }).catch(() => null);
    if (kind) kinds.push(kind);
  }
  return kinds;
}

describe('SeqModel in Restricted Mode (an untrusted copy of examples/)', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  let folder = '';

  before(async function () {
    // A folder no browser context has trusted; its parent (the system temp dir) is not trusted
    // either. Only the examples themselves: no runs an earlier training test may have left.
    folder = mkdtempSync(path.join(tmpdir(), 'seqmodel-untrusted-'));
    cpSync(path.join(REPO_ROOT, 'examples'), folder, {
      recursive: true,
      filter: (src) => path.basename(src) !== '.seqmodel',
    });
    server = await CodeServer.start({ label: 'restricted-mode', workspaceTrust: true });
    browser = await launchBrowser();
    wb = await Workbench.open(server, browser, folder, { payload: CodeServer.developmentPayload() });
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`restricted-mode-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('shows Restricted Mode in the status bar and the banner', async () => {
    const page = wb!.page;
    const status = page.locator('[id="status.workspaceTrust"]');
    await status.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(normalizeText(await status.innerText()), /Restricted Mode/);
    const banner = page.locator('.part.banner');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(normalizeText(await banner.innerText()), /Restricted Mode/);
  });

  it('still hovers LSTM with its 10,400 parameters', async () => {
    const text = await wb!.hover('LSTM', { inLine: /^\s*LSTM\(50/, expect: /10,400/, timeoutMs: 60_000 });
    assert.match(text, /4 × \(50 × \(1 \+ 50\) \+ 50\) = 10,400/, text);
    await wb!.page.mouse.move(1, 1);
    await wb!.page.keyboard.press('Escape');
  });

  it('offers no training command in the palette, while the other SeqModel commands are there', async () => {
    const page = wb!.page;
    // The summary commands prove the palette lists the extension's commands at all.
    const all = await paletteLabels(page, 'SeqModel:', (labels) => labels.includes('SeqModel: Show Model Summary Panel'));
    assert.ok(all.includes('SeqModel: Show Model Summary Panel'), `palette rows: ${JSON.stringify(all)}`);
    for (const hidden of ['SeqModel: Train Model', 'SeqModel: Train All and Compare', 'SeqModel: Predict']) {
      assert.ok(!all.includes(hidden), `${hidden} is in the palette: ${JSON.stringify(all)}`);
    }
    // Typed in full, Train Model finds no entry of the extension either.
    const train = await paletteLabels(page, 'SeqModel: Train Model', () => false, 3000);
    assert.ok(!train.some((l) => /^SeqModel: Train/.test(l)), `palette rows: ${JSON.stringify(train)}`);
    await wb!.screenshot('restricted-mode-palette');
    await page.keyboard.press('Escape');
  });

  it('answers the Train code lens with the Restricted Mode message and starts no run', async () => {
    const page = wb!.page;
    const lens = wb!.editor().locator('.codelens-decoration a', { hasText: 'Train' }).first();
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
    await lens.click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'disabled in Restricted Mode' }).first();
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(normalizeText(await toast.innerText()), /SeqModel: Training is disabled in Restricted Mode/);
    await toast.hover();
    await toast.getByRole('button', { name: 'Manage Workspace Trust' }).waitFor({ state: 'visible', timeout: 5000 });
    await wb!.screenshot('restricted-mode');

    // Given the time a run takes to open its panel and write its folder, nothing happens.
    await sleep(3000);
    assert.deepEqual(await seqmodelPanels(page), []);
    assert.equal(
      await page.locator('.notifications-toasts .notification-toast', { hasText: /Training (rnn|lstm)/ }).count(),
      0,
      'a training progress notification appeared',
    );
    assert.ok(!existsSync(path.join(folder, '.seqmodel', 'runs')), `runs were saved: ${readdirSync(folder).join(', ')}`);

    // Its button opens VS Code's Workspace Trust editor, which is where trust is given.
    await toast.getByRole('button', { name: 'Manage Workspace Trust' }).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Workspace Trust' }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok(!existsSync(path.join(folder, '.seqmodel', 'runs')));
  });

  it('lists a saved run in the Runs view, with its actions but Predict', async () => {
    const page = wb!.page;
    // A run arriving on disk (as from a trusted window or the CLI): the view's watcher finds it.
    await saveRun({
      runsDir: path.join(folder, '.seqmodel', 'runs'),
      date: new Date('2026-11-29T10:00:00.000Z'),
      record: {
        meta: {
          status: 'done',
          model: 'lstm',
          source: 'forecast.seqmodel',
          data: 'series',
          settings: { optimizer: { name: 'adam', args: { learning_rate: 0.001 } }, loss: 'mse', metrics: [], epochs: 3, batchSize: 32, validationSplit: 0, shuffle: true, seed: 1 },
          backend: 'wasm',
          seconds: 1.5,
          epochs: 3,
          samples: { train: 5, validation: 0 },
          params: 10502,
          startedAt: '2026-11-29T09:59:58.000Z',
          finishedAt: '2026-11-29T10:00:00.000Z',
          versions: {},
        },
        history: { loss: [3, 2, 1] },
        predictions: [],
      },
    });
    await page.keyboard.press('Escape');
    await wb!.runCommand('Explorer: Focus on SeqModel Runs View');
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'SeqModel Runs' }) });
    const run = pane.locator('.monaco-list-row', { hasText: '2026-11-29 10:00' });
    await run.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(normalizeText(await run.innerText()), /done · loss 1 · 3\/3 epochs · 1\.5 s · wasm/);

    await run.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ state: 'visible', timeout: 10_000 });
    const items = (await menu.locator('.action-label').allInnerTexts()).map(normalizeText).filter(Boolean);
    await wb!.screenshot('restricted-mode-runs-view');
    await page.keyboard.press('Escape');
    for (const action of ['Open Loss Panel', 'Compare Selected Runs', 'Pin Run', 'Delete Run']) assert.ok(items.includes(action), `${action} missing: ${JSON.stringify(items)}`);
    assert.ok(!items.includes('Predict with This Run'), `Predict is offered in Restricted Mode: ${JSON.stringify(items)}`);
  });
});
