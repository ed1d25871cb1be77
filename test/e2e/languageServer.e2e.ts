import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { CodeServer, REPO_ROOT, launchBrowser } from './codeServer';
import { Workbench } from './workbench';

// What the language server gives the user in a real VS Code, on the seed example: the LSTM's
// parameter count in its hover and the shapes and counts drawn after each layer.

describe('SeqModel language server in code-server (examples/forecast.seqmodel)', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;

  before(async function () {
    server = await CodeServer.start({ label: 'language-server' });
    browser = await launchBrowser();
    wb = await Workbench.open(server, browser, path.join(REPO_ROOT, 'examples'), { payload: CodeServer.developmentPayload() });
    await wb.openFile('forecast.seqmodel');
    await wb.waitForLanguage('SeqModel');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`language-server-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
  });

  it('hovers LSTM and reads its 10,400 parameters from the hover widget', async () => {
    // The first hover may come while the extension and its server are still starting.
    const text = await wb!.hover('LSTM', { inLine: /^\s*LSTM\(50/, expect: /10,400/, timeoutMs: 60_000 });
    assert.match(text, /4 × \(50 × \(1 \+ 50\) \+ 50\) = 10,400/, text);
    assert.match(text, /\(None, 50\)/, text);
    await wb!.screenshot('language-server-hover-lstm');
  });

  it('renders inlay hints with the output shape and the parameter count after the layers', async () => {
    await wb!.page.mouse.move(1, 1);
    await wb!.page.keyboard.press('Escape');
    const deadline = Date.now() + 30_000;
    let hints: string[] = [];
    while (Date.now() < deadline && !hints.some((h) => /10,400/.test(h))) {
      hints = await wb!.inlayHints();
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(hints.some((h) => /\(None, 50\)/.test(h) && /10,400/.test(h)), `hints: ${JSON.stringify(hints)}`);
    assert.ok(hints.some((h) => /\(None, 2\)/.test(h)), `the Dense(n_steps) output: ${JSON.stringify(hints)}`);
    await wb!.screenshot('language-server-inlay-hints');
  });
});
