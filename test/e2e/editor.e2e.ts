import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CodeServer, FIXTURE_WORKSPACE, launchBrowser } from './codeServer';
import { Workbench } from './workbench';

// The .seqmodel language as a user sees it in a real VS Code: the language mode and the
// grammar's colours.

describe('SeqModel editor in code-server', function () {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;

  before(async function () {
    server = await CodeServer.start({ label: 'editor' });
    browser = await launchBrowser();
    // The extension is loaded from this repository, as in an Extension Development Host.
    wb = await Workbench.open(server, browser, FIXTURE_WORKSPACE, { payload: CodeServer.developmentPayload() });
    await wb.openFile('forecast.seqmodel');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`editor-failed-${this.currentTest.title}`);
  });

  after(async function () {
    await wb?.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows SeqModel as the language of a .seqmodel file', async () => {
    assert.equal(await wb!.waitForLanguage('SeqModel'), 'SeqModel');
  });

  it('colours a layer name through the grammar (support.class.layer.seqmodel)', async () => {
    const scopes = await wb!.tokenScopes('LSTM');
    assert.match(scopes, /support\.class\.layer\.seqmodel/, scopes);
    assert.match(scopes, /source\.seqmodel/, scopes);
    await wb!.screenshot('editor-token-scopes');
    await wb!.page.keyboard.press('Escape');
  });

  it('draws a layer name in another colour than a plain name and a keyword', async () => {
    const layer = await wb!.wordColor('LSTM');
    const name = await wb!.wordColor('seq_len', 1); // the use inside input(...), a variable
    const keyword = await wb!.wordColor('model');
    assert.notEqual(layer, '');
    assert.notEqual(layer, name, `LSTM ${layer} vs seq_len ${name}`);
    assert.notEqual(layer, keyword, `LSTM ${layer} vs model ${keyword}`);
    await wb!.screenshot('editor-forecast');
  });
});
