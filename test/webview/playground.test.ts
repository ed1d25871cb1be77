// The playground (dist/playground/) in headless Chromium, served over HTTP like any static host:
// the editor with the language server in its worker (hover, inlay hints, markers, quick fix),
// the summary panel following the text, examples, share link, downloads, theme, and that no
// request leaves the page's origin, online or offline.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { countColorPixels } from './harness';
import { ARTIFACTS, clickAt, editorText, markers, openPlayground, type PlaygroundServer, screenPoint, servePlayground, setEditorText, summaryFrame, waitForEditor, waitForInlayHint } from './playgroundPage';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const FORECAST = readFileSync(path.join(EXAMPLES, 'forecast.seqmodel'), 'utf8');

describe('playground (Chromium)', function () {
  let browser: Browser;
  let server: PlaygroundServer;
  before(async () => {
    [browser, server] = await Promise.all([launchChromium(), servePlayground()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens on the forecast example, highlighted by the extension grammar, with inlay hints and no request outside its origin', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      assert.equal(await editorText(view.page), FORECAST);
      assert.equal(await view.page.locator('#examples').inputValue(), 'forecast.seqmodel');
      // TextMate scopes become monaco token classes: `LSTM` is support.class, a different colour from plain text.
      await view.page.waitForFunction(() => {
        const spans = Array.from(document.querySelectorAll('.monaco-editor .view-line span span'));
        const lstm = spans.find((s) => s.textContent === 'LSTM');
        const paren = spans.find((s) => s.textContent?.startsWith('('));
        return lstm && paren && getComputedStyle(lstm).color !== getComputedStyle(paren).color;
      });
      await waitForInlayHint(view.page, 'LSTM(50', '→ (None, 50) · 10,400 params');
      await view.page.screenshot({ path: path.join(ARTIFACTS, 'playground-light.png') });
      assert.deepEqual(view.foreign, []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('hovers over LSTM(50 with 10,400 params and the formula', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      const { x, y } = await screenPoint(view.page, 'LSTM(50', 2);
      await view.page.mouse.move(x, y);
      const hover = view.page.locator('.monaco-hover-content').filter({ hasText: 'Params' });
      await hover.waitFor({ timeout: 20000 });
      const text = await hover.innerText();
      assert.match(text, /Output shape:\s*\(None, 50\)/);
      assert.match(text, /Params:\s*10,400/);
      assert.match(text, /4 × \(50 × \(1 \+ 50\) \+ 50\) = 10,400/);
    } finally {
      await view.close();
    }
  });

  it('shows an error as a marker and repairs it with its quick fix', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      await setEditorText(view.page, 'model stacked {\n  input(3, 1)\n  LSTM(8)\n  LSTM(4)\n  Dense(1)\n}\n');
      await view.page.waitForFunction(() => document.querySelector('.monaco-editor .squiggly-error') !== null, undefined, { timeout: 20000 });
      const found = await markers(view.page);
      const error = found.find((m) => m.code === 'missing-return-sequences');
      assert.ok(error, `markers: ${JSON.stringify(found)}`);
      assert.equal(error.severity, 8, 'an error, not a warning');
      assert.equal(error.line, 4);
      // Cursor into the underlined layer, Ctrl+. opens the quick fixes, the first is applied.
      await clickAt(view.page, 'LSTM(4)', 1);
      await view.page.keyboard.press('Control+Period');
      const fix = view.page.locator('.action-widget .monaco-list-row').filter({ hasText: 'return_sequences' }).first();
      await fix.waitFor({ timeout: 20000 });
      await fix.click();
      await view.page.waitForFunction(() => !document.querySelector('.monaco-editor .squiggly-error'), undefined, { timeout: 20000 });
      assert.match(await editorText(view.page), /LSTM\(8, return_sequences=True\)/);
      assert.deepEqual((await markers(view.page)).filter((m) => m.severity === 8), []);
    } finally {
      await view.close();
    }
  });

  it('completes, shows signature help, formats, renames and lists the outline, all from the language server', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      await setEditorText(view.page, 'let   seq_len=3\nmodel m {\n  input(seq_len, 1)\n  \n}\n');
      // Completion: a layer name inside a model block.
      await clickAt(view.page, '  \n}', 2);
      await view.page.keyboard.type('LS');
      await view.page.keyboard.press('Control+Space');
      const item = view.page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'LSTM' }).first();
      await item.waitFor({ timeout: 20000 });
      await view.page.keyboard.press('Escape');
      // Signature help on the open parenthesis.
      await view.page.keyboard.type('TM(');
      const hints = view.page.locator('.parameter-hints-widget');
      await hints.waitFor({ state: 'visible', timeout: 20000 });
      assert.match(await hints.innerText(), /units/);
      await view.page.keyboard.type('8)');
      await view.page.keyboard.press('Escape');
      // Format Document as the server does it (Shift+Alt+F; on Linux, where this runs, Ctrl+Shift+I).
      await view.page.keyboard.press('Control+Shift+I');
      await view.page.waitForFunction(() => (window as unknown as { seqmodelPlayground: { editor: { getModel(): { getValue(): string } } } }).seqmodelPlayground.editor.getModel().getValue().startsWith('let seq_len = 3\n'), undefined, { timeout: 20000 });
      assert.match(await editorText(view.page), /^ {2}LSTM\(8\)$/m);
      // Rename (F2) changes the declaration and every use.
      await clickAt(view.page, 'seq_len', 2);
      await view.page.keyboard.press('F2');
      const input = view.page.locator('.rename-box input');
      await input.waitFor({ timeout: 20000 });
      await input.fill('steps');
      await input.press('Enter');
      await view.page.waitForFunction(() => !(window as unknown as { seqmodelPlayground: { editor: { getModel(): { getValue(): string } } } }).seqmodelPlayground.editor.getModel().getValue().includes('seq_len'), undefined, { timeout: 20000 });
      assert.match(await editorText(view.page), /let steps = 3\n[^]*input\(steps, 1\)/);
      // Outline (Ctrl+Shift+O) lists the document's symbols.
      await view.page.keyboard.press('Control+Shift+O');
      const symbols = view.page.locator('.quick-input-list .monaco-list-row');
      await symbols.first().waitFor({ timeout: 20000 });
      const labels = await symbols.allInnerTexts();
      assert.ok(labels.some((l) => /\bm\b/.test(l)), `outline: ${labels.join(' | ')}`);
      assert.ok(labels.some((l) => /\bsteps\b/.test(l)), `outline: ${labels.join(' | ')}`);
      await view.page.keyboard.press('Escape');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('shows the summary of the model under the cursor and follows typing', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      await clickAt(view.page, 'LSTM(50', 1);
      let frame = await summaryFrame(view.page);
      await frame.waitForFunction(() => document.getElementById('title')?.textContent?.includes('"lstm"'));
      assert.match(await frame.locator('#totals').innerText(), /^Total params: 10,502$/m);
      // LSTM(50 → LSTM(64: 4 × (64 × (1 + 64) + 64) = 16,896, plus Dense 64 × 2 + 2 = 130.
      const { x, y } = await screenPoint(view.page, 'LSTM(50', 7);
      await view.page.mouse.click(x, y);
      await view.page.keyboard.press('Backspace');
      await view.page.keyboard.press('Backspace');
      await view.page.keyboard.type('64');
      frame = await summaryFrame(view.page);
      await frame.waitForFunction(() => /Total params: 17,026(?![\d,])/.test(document.getElementById('totals')?.textContent ?? ''), undefined, { timeout: 20000 });
      assert.ok(await frame.locator('svg.diagram g.node.layer[data-layer="lstm"]').count());
      // A click on a layer in the diagram selects it in the editor.
      await frame.locator('svg.diagram g.node.layer[data-layer="dense"]').click();
      // The frame's message reaches the page asynchronously.
      await view.page.waitForFunction(() => {
        const { editor } = (window as unknown as { seqmodelPlayground: { editor: import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor } }).seqmodelPlayground;
        return editor.getModel()!.getValueInRange(editor.getSelection()!) === 'Dense(n_steps)';
      });
    } finally {
      await view.close();
    }
  });

  it('opens every example from the menu', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      const names = await view.page.$$eval('#examples option', (options) => options.map((o) => (o as HTMLOptionElement).value));
      const onDisk = (await import('node:fs')).readdirSync(EXAMPLES).filter((f) => f.endsWith('.seqmodel')).sort();
      assert.deepEqual(names, onDisk);
      for (const name of names) {
        await view.page.selectOption('#examples', name);
        assert.equal(await editorText(view.page), readFileSync(path.join(EXAMPLES, name), 'utf8'), name);
        const frame = await summaryFrame(view.page);
        const firstModel = /^model\s+(\w+)/m.exec(readFileSync(path.join(EXAMPLES, name), 'utf8'))![1];
        await frame.waitForFunction((m) => document.getElementById('title')?.textContent?.includes(`"${m}"`), firstModel);
      }
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('round-trips the file through the share link, and says so when a link is damaged', async () => {
    const view = await openPlayground(browser, server.origin);
    const edited = FORECAST.replace('LSTM(50', 'LSTM(64').concat('# ünïcode → kept\n');
    try {
      await setEditorText(view.page, edited);
      await view.page.click('#share');
      await view.page.waitForFunction(() => location.hash.startsWith('#code='));
      const link = await view.page.evaluate(() => location.href);
      const other = await openPlayground(browser, server.origin, { url: link });
      try {
        await other.page.waitForFunction((t) => (window as unknown as { seqmodelPlayground: { editor: { getModel(): { getValue(): string } } } }).seqmodelPlayground.editor.getModel().getValue() === t, edited);
        assert.match(await other.page.locator('#status').innerText(), /from the link/);
      } finally {
        await other.close();
      }
      const damaged = await openPlayground(browser, server.origin, { url: link.slice(0, link.length - 20) });
      try {
        await damaged.page.waitForFunction(() => document.getElementById('status')?.classList.contains('error'));
        assert.match(await damaged.page.locator('#status').innerText(), /share link is damaged/);
        assert.equal(await editorText(damaged.page), FORECAST, 'falls back to the forecast example');
      } finally {
        await damaged.close();
      }
    } finally {
      await view.close();
    }
  });

  it('downloads the .seqmodel file and exports the model under the cursor to Keras', async () => {
    const view = await openPlayground(browser, server.origin, { context: { acceptDownloads: true } });
    try {
      const [file] = await Promise.all([view.page.waitForEvent('download'), view.page.click('#download')]);
      assert.equal(file.suggestedFilename(), 'forecast.seqmodel');
      assert.equal(readFileSync(await file.path(), 'utf8'), FORECAST);
      await clickAt(view.page, 'LSTM(50', 1);
      const [python] = await Promise.all([view.page.waitForEvent('download'), view.page.click('#export')]);
      assert.equal(python.suggestedFilename(), 'lstm.py');
      const code = readFileSync(await python.path(), 'utf8');
      assert.match(code, /model\.add\(LSTM\(50, activation='relu', input_shape=\(3, 1\)\)\)/);
      assert.match(code, /model\.fit\(/);
    } finally {
      await view.close();
    }
  });

  it('switches to the dark theme: editor, page and summary panel', async () => {
    const view = await openPlayground(browser, server.origin);
    try {
      await view.page.click('#theme');
      await view.page.waitForFunction(() => getComputedStyle(document.querySelector('.monaco-editor-background')!).backgroundColor === 'rgb(31, 31, 31)');
      const frame = await summaryFrame(view.page);
      await frame.waitForFunction(() => document.body.classList.contains('vscode-dark'));
      assert.equal(await view.page.evaluate(() => localStorage.getItem('seqmodel-playground-theme')), 'dark');
      await view.page.screenshot({ path: path.join(ARTIFACTS, 'playground-dark.png') });
    } finally {
      await view.close();
    }
  });

  it('trains the forecast LSTM to 1000 epochs in a worker: [70, 80, 90] → about [101, 111], with the loss chart and the forecast drawn', async function () {
    this.timeout(600000);
    const view = await openPlayground(browser, server.origin);
    try {
      await clickAt(view.page, 'LSTM(50', 1);
      await view.page.click('#train');
      await view.page.waitForFunction(() => /trained|failed/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 540000 });
      const status = await view.page.locator('#status').innerText();
      const answer = /"lstm" trained: 1000 epochs in [\d.]+ s on the (\w+) backend.*predict lstm \[70,80,90\] → \[([\d.]+),([\d.]+)\]/.exec(status);
      assert.ok(answer, status);
      assert.equal(answer[1], 'wasm', 'the fastest backend here: WebAssembly');
      const [a, b] = [Number(answer[2]), Number(answer[3])];
      assert.ok(Math.abs(a - 101) < 3 && Math.abs(b - 111) < 3.5, `predicted [${a}, ${b}]`);
      assert.equal(await view.page.locator('#train').isDisabled(), false);
      assert.equal(await view.page.locator('#stop').isDisabled(), true);

      const loss = (await (await view.page.waitForSelector('iframe.panel-loss')).contentFrame())!;
      await loss.waitForFunction(() => /completed · epoch 1000\/1000/.test(document.body.textContent ?? ''));
      assert.ok((await countColorPixels(loss, '#chart canvas', '#1a85ff', 16)) > 200, 'the loss curve is drawn');
      const prediction = (await (await view.page.waitForSelector('iframe.panel-prediction')).contentFrame())!;
      await prediction.waitForFunction(() => /Predictions: lstm/.test(document.body.textContent ?? ''));
      await view.page.screenshot({ path: path.join(ARTIFACTS, 'playground-trained.png') });
      assert.deepEqual(view.foreign, [], 'tfjs and its wasm came from the page origin');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('stops a run on Stop while the page keeps answering edits', async function () {
    this.timeout(300000);
    const view = await openPlayground(browser, server.origin);
    try {
      await setEditorText(view.page, FORECAST.replace('epochs = 1000', 'epochs = 1000000'));
      await clickAt(view.page, 'LSTM(50', 1);
      await view.page.click('#train');
      await view.page.waitForFunction(() => /epoch \d+\/1000000/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 120000 });
      // Training runs in its worker: the page re-analyses an edit and the summary follows meanwhile.
      const { x, y } = await screenPoint(view.page, 'LSTM(50', 7);
      await view.page.mouse.click(x, y);
      await view.page.keyboard.press('Backspace');
      await view.page.keyboard.press('Backspace');
      await view.page.keyboard.type('64');
      const frame = await summaryFrame(view.page);
      await frame.waitForFunction(() => /Total params: 17,026(?![\d,])/.test(document.getElementById('totals')?.textContent ?? ''), undefined, { timeout: 20000 });
      assert.match(await view.page.locator('#status').innerText(), /Training "lstm"/, 'still training');

      await view.page.click('#stop');
      await view.page.waitForFunction(() => /stopped after \d+ epochs?/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 20000 });
      const loss = (await (await view.page.waitForSelector('iframe.panel-loss')).contentFrame())!;
      await loss.waitForFunction(() => /stopped/.test(document.body.textContent ?? ''));
      assert.equal(await view.page.locator('#train').isDisabled(), false);
    } finally {
      await view.close();
    }
  });

  it('reads csv(...) data from a file the user picks, and says which file it needs until then', async function () {
    this.timeout(300000);
    const view = await openPlayground(browser, server.origin);
    const file = 'model tiny {\n  input(3, 1)\n  SimpleRNN(4)\n  Dense(1)\n}\n\ndata temps = window(csv("readings.csv", columns=["t"]), steps=3, horizon=1)\n\ntrain tiny on temps {\n  optimizer = adam(learning_rate=0.01)\n  loss = "mse"\n  epochs = 3\n}\n';
    try {
      await setEditorText(view.page, file);
      await view.page.click('#train');
      await view.page.waitForFunction(() => document.getElementById('status')!.classList.contains('error'));
      assert.match(await view.page.locator('#status').innerText(), /reads readings\.csv: choose that file/);
      const rows = ['t', ...Array.from({ length: 40 }, (_, i) => String(i % 10))].join('\n');
      await view.page.setInputFiles('#data-input', { name: 'readings.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
      await view.page.waitForFunction(() => /readings\.csv ready/.test(document.getElementById('status')!.textContent ?? ''));
      await view.page.click('#train');
      await view.page.waitForFunction(() => /"tiny" trained: 3 epochs/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 240000 });
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('trains examples/weather.seqmodel from the CSV file that ships with the page', async function () {
    this.timeout(600000);
    const view = await openPlayground(browser, server.origin);
    try {
      await view.page.selectOption('#examples', 'weather.seqmodel');
      await clickAt(view.page, 'GRU(32', 1);
      await view.page.click('#train');
      await view.page.waitForFunction(() => /trained|failed/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 540000 });
      assert.match(await view.page.locator('#status').innerText(), /"gru" trained: 30 epochs in [\d.]+ s on the wasm backend/);
      assert.deepEqual(view.foreign, []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('works offline once loaded (service worker), still within its origin', async () => {
    const view = await openPlayground(browser, server.origin, { context: { serviceWorkers: 'allow' } });
    try {
      // Installed (every file cached) and in control of the page.
      await view.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60000 });
      await view.context.setOffline(true);
      await view.page.reload();
      await waitForEditor(view.page);
      assert.equal(await editorText(view.page), FORECAST);
      // The language server's worker came from the cache too: hints still appear.
      await waitForInlayHint(view.page, 'LSTM(50', '→ (None, 50) · 10,400 params');
      assert.deepEqual(view.foreign, []);
    } finally {
      await view.close();
    }
  });
});
