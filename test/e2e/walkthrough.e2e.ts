import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { CodeServer, FIXTURE_WORKSPACE, launchBrowser } from './codeServer';
import { Workbench } from './workbench';

// The Getting Started walkthrough as a newcomer meets it in a real VS Code: opened from the
// palette, its six steps listed with their pictures, and its first button creating the
// forecasting example, which opens with its inlay hints and checks the step off.

const STEPS = ['Open an example model', 'Hover a layer', 'Fix a shape error with the quick fix', 'Train it', 'Compare runs', 'Export to Keras'];
const CREATED = path.join(FIXTURE_WORKSPACE, 'forecasting.seqmodel');

describe('Getting Started walkthrough in code-server', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;

  before(async function () {
    // A file left by an interrupted run would make the button create forecasting-2.seqmodel.
    rmSync(CREATED, { force: true });
    server = await CodeServer.start({ label: 'walkthrough' });
    browser = await launchBrowser();
    wb = await Workbench.open(server, browser, FIXTURE_WORKSPACE, { payload: CodeServer.developmentPayload() });
    // The palette lists the extension's commands once the extension host has scanned it.
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`walkthrough-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
    rmSync(CREATED, { force: true });
  });

  it('opens from the palette with its six steps, each with its picture', async () => {
    await wb!.runCommand('SeqModel: Getting Started');
    const page = wb!.page;
    await page.getByText('Get Started with SeqModel Studio').first().waitFor({ state: 'visible', timeout: 30_000 });
    for (const title of STEPS) await page.locator('.getting-started-step', { hasText: title }).first().waitFor({ state: 'attached', timeout: 10_000 });
    // The expanded first step shows its picture (an <img> of media/walkthrough/new-model.svg).
    const image = page.locator('.getting-started-media img').first();
    await image.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await image.getAttribute('src')) ?? (await image.getAttribute('srcset')) ?? '', /new-model\.svg/);
    assert.ok(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the picture loaded');
    // Not done yet: the first step's check mark comes with its command (the next test).
    assert.equal(await page.locator('.getting-started-step', { hasText: STEPS[0] }).first().getAttribute('aria-checked'), 'false');
    await wb!.screenshot('walkthrough');
  });

  it('creates the forecasting example from the first step\'s button, with inlay hints, and checks the step off', async () => {
    const page = wb!.page;
    await page.getByRole('button', { name: 'Open the Forecasting Example' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'forecasting.seqmodel' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(existsSync(CREATED), 'the file is in the workspace');
    // The language server analyses the new file and the editor then draws its hints.
    let hints: string[] = [];
    for (const end = Date.now() + 30_000; Date.now() < end && !hints.some((h) => /4,352 params/.test(h)); ) {
      await page.waitForTimeout(500);
      hints = await wb!.inlayHints();
    }
    assert.ok(hints.some((h) => /4,352 params/.test(h)), `hints: ${hints.join(' | ')}`);
    await wb!.screenshot('walkthrough-forecasting-example');
    await wb!.runCommand('SeqModel: Getting Started');
    const step = page.locator('.getting-started-step', { hasText: STEPS[0] }).first();
    await page.waitForFunction((el) => el?.getAttribute('aria-checked') === 'true', await step.elementHandle(), { timeout: 15_000 });
  });
});
