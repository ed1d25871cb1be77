// The playground's loading from a local server, in headless Chromium, each run in a fresh
// browser context (empty cache, no service worker): how long until the editor shows the file,
// until it takes typing with the grammar's colours, and until the language server's first
// answer (the inlay hints) is on screen. Then the bytes each file costs (raw and gzip), and one
// training of the forecast LSTM (1000 epochs) from the Train button, tfjs loading included.
// Run: npm run bench -- playground (builds first; needs Debian's chromium, nothing is downloaded).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { hasChromium, launchChromium } from '../test/helpers/chromium';
import { PLAYGROUND, servePlayground } from '../test/webview/playgroundPage';
import { loadAverage, table } from './lib/measure';

const RUNS = 5;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? files(file) : [file];
  });
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  if (!hasChromium()) {
    console.log('no chromium: skipped (bash scripts/apt-ensure.sh chromium)');
    return;
  }
  console.log(`load average before: ${loadAverage()} (2 shared cores)`);
  const server = await servePlayground();
  const browser = await launchChromium();
  const rows: string[][] = [];
  const editor: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
      const page = await context.newPage();
      // The page's main-thread busy time (Chromium's TaskDuration): on a loaded machine, closer
      // than the wall clock to what an idle one would take.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const t0 = Date.now();
      await page.goto(`${server.origin}/`);
      await page.waitForSelector('.monaco-editor .view-line');
      const shown = Date.now() - t0;
      const { metrics } = await cdp.send('Performance.getMetrics');
      const busy = Math.round((metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000);
      // Colours: the TextMate grammar (fetch + wasm) has tokenised the text.
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.monaco-editor .view-line span span')).some((s) => s.textContent === 'model' && getComputedStyle(s).color !== getComputedStyle(document.querySelector('.monaco-editor .view-line span span')!.parentElement!).color));
      const coloured = Date.now() - t0;
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.monaco-editor .view-line span span')).some((s) => (s.textContent ?? '').includes('params')));
      const server1 = Date.now() - t0;
      const transferred = await page.evaluate(() => performance.getEntriesByType('resource').reduce((n, e) => n + (e as PerformanceResourceTiming).encodedBodySize, 0));
      editor.push(shown);
      rows.push([String(run), `${shown} ms`, `${busy} ms`, `${coloured} ms`, `${server1} ms`, kib(transferred)]);
      await context.close();
    }
    table(['run', 'editor shows file', 'main thread busy until then', 'highlighted', 'first LSP answer (hints)', 'bytes fetched'], rows);
    editor.sort((a, b) => a - b);
    console.log(`median: editor on screen in ${editor[Math.floor(RUNS / 2)]} ms; load average now ${loadAverage()}`);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('.monaco-editor .view-line');
    await page.evaluate(() => {
      const { editor } = (window as unknown as { seqmodelPlayground: { editor: import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor } }).seqmodelPlayground;
      const model = editor.getModel()!;
      editor.setPosition(model.getPositionAt(model.getValue().indexOf('LSTM(50') + 1));
    });
    const t0 = Date.now();
    await page.click('#train');
    await page.waitForFunction(() => /on the \w+ backend:/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 120000 });
    const ready = Date.now() - t0;
    await page.waitForFunction(() => /trained|failed/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 900000 });
    const status = await page.locator('#status').innerText();
    console.log(`\nTrain (forecast lstm): worker, tfjs and its wasm ready in ${ready} ms after the click; ${status}`);
    console.log(`load average now ${loadAverage()}`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }

  const sized = files(PLAYGROUND)
    .filter((f) => !f.endsWith('.map'))
    .map((f) => ({ file: path.relative(PLAYGROUND, f), raw: statSync(f).size, gzip: gzipSync(readFileSync(f)).length }))
    .sort((a, b) => b.raw - a.raw);
  console.log('\ndist/playground (without source maps):');
  table(['file', 'bytes', 'gzip'], sized.slice(0, 14).map((s) => [s.file, kib(s.raw), kib(s.gzip)]));
  const sum = (key: 'raw' | 'gzip', pick: (f: string) => boolean) => kib(sized.filter((s) => pick(s.file)).reduce((n, s) => n + s[key], 0));
  const first = (f: string) => !f.startsWith('tfjs/') && f !== 'train.worker.js' && !f.startsWith('panels/loss') && !f.startsWith('panels/prediction') && !f.startsWith('examples/');
  console.log(`loaded on opening: ${sum('raw', first)} (gzip ${sum('gzip', first)}); everything: ${sum('raw', () => true)} (gzip ${sum('gzip', () => true)})`);
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
