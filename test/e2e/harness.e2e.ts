import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CodeServer, FIXTURE_WORKSPACE, launchBrowser } from './codeServer';
import { Workbench } from './workbench';

// Proves the e2e helpers themselves (hover, inlay hints, palette commands) against VS Code's
// built-in JavaScript support, so a failure in an extension test is not a harness bug.

describe('e2e harness in code-server (built-in JavaScript support)', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;

  before(async function () {
    server = await CodeServer.start({
      label: 'harness',
      settings: {
        'javascript.inlayHints.parameterNames.enabled': 'all',
        'javascript.inlayHints.variableTypes.enabled': true,
      },
    });
    browser = await launchBrowser();
    wb = await Workbench.open(server, browser, FIXTURE_WORKSPACE);
    await wb.openFile('harness.js');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`harness-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
  });

  it('reads the language from the status bar', async () => {
    assert.equal(await wb!.waitForLanguage('JavaScript'), 'JavaScript');
  });

  it('hovers a word and reads the hover text', async () => {
    // The TypeScript server starts on demand: the helper retries until its answer arrives.
    const text = await wb!.hover('scale', { occurrence: 1, expect: /function scale\(value: any, factor: any\): number/, timeoutMs: 90_000 });
    assert.match(text, /function scale/);
    assert.doesNotMatch(text, /\u00a0/);
  });

  it('reads the inlay hints of the visible lines', async () => {
    const deadline = Date.now() + 60_000;
    let hints: string[] = [];
    while (Date.now() < deadline) {
      hints = await wb!.inlayHints();
      if (hints.length >= 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(hints.includes('value:'), `hints: ${JSON.stringify(hints)}`);
    assert.ok(hints.includes('factor:'), `hints: ${JSON.stringify(hints)}`);
    await wb!.screenshot('harness-inlay-hints');
  });

  it('runs a command from the palette', async () => {
    await wb!.runCommand('View: Toggle Minimap');
    await wb!.runCommand('View: Toggle Minimap');
  });
});
