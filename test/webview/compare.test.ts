// The run comparison table in headless Chromium: the differing settings as columns, sorting
// by a header click, the best value marked, CSV export and a row click sent to the host, in
// light, dark and high-contrast themes.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { openWebview, reload, useBrowser } from './harness';
import { comparedRun, settings } from './fixtures';
import type { ThemeName } from './themes';

// Three-epoch runs, as their histories are.
const trained = { ...settings, epochs: 3 };
const adam = comparedRun('2026-11-22T01-47-12-500Z', { settings: trained });
const sgd = comparedRun('2026-11-22T02-00-00-000Z', {
  settings: { ...trained, optimizer: { name: 'sgd', args: { learning_rate: 0.01, momentum: 0.9 } }, batchSize: 16 },
  finishedAt: '2026-11-22T02:00:00.000Z',
  history: { loss: [2, 1.5, 0.2], val_loss: [2.5, 1.8, 1.9] },
  seconds: 61,
  backend: 'cpu',
});
const gru = comparedRun('2026-11-22T03-00-00-000Z', {
  model: 'gru',
  settings: trained,
  params: 8_052,
  file: 'models/forecast.seqmodel',
  finishedAt: '2026-11-22T03:00:00.000Z',
  history: { loss: [0.9, 0.8, 0.6], val_loss: [1, 0.9, 0.5] },
});

async function headers(page: Page): Promise<string[]> {
  return page.$$eval('table.compare thead th', (ths) => ths.map((th) => (th.textContent ?? '').trim()));
}

async function column(page: Page, key: string): Promise<string[]> {
  return page.$$eval(`table.compare tbody td[data-key="${key}"]`, (tds) => tds.map((td) => (td.textContent ?? '').trim()));
}

describe('run comparison panel (Chromium)', function () {
  const browser = useBrowser();

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`shows the differing settings and the metrics of three runs in the ${theme} theme`, async () => {
      const view = await openWebview(browser(), 'compare', theme, { width: 1660, height: 200 });
      try {
        assert.equal(await view.page.locator('.empty').isVisible(), true, 'an empty panel says how to fill it');
        await view.send({ type: 'compareRuns', runs: [adam, sgd, gru] });
        await view.page.waitForSelector('table.compare');
        const names = await headers(view.page);
        assert.deepEqual(names.slice(0, 9), ['run', 'model', 'file', 'status', 'params', 'optimizer', 'learning rate', 'momentum', 'batch size']);
        assert.ok(!names.includes('epochs') && !names.includes('seed'), 'settings all runs share are no columns');
        assert.match(await view.page.locator('#common').innerText(), /Same in every run: data series · loss function mse · metrics mae · epochs 3 · validation split 0\.2 · shuffle true · seed 42/);
        assert.deepEqual(await column(view.page, 'model'), ['lstm', 'lstm', 'gru']);
        assert.deepEqual(await column(view.page, 'params'), ['10,502', '10,502', '8,052']);
        assert.deepEqual(await column(view.page, 'optimizer.momentum'), ['–', '0.9', '–']);
        assert.deepEqual(await column(view.page, 'duration'), ['12.5 s', '61 s', '12.5 s']);
        // The best final loss (sgd's 0.2) and best val_loss (gru's 0.5) are marked.
        assert.deepEqual(await view.page.$$eval('td.best[data-key="final:loss"]', (tds) => tds.map((td) => td.closest('tr')!.dataset.run)), [sgd.path]);
        assert.deepEqual(await view.page.$$eval('td.best[data-key="best:val_loss"]', (tds) => tds.map((td) => td.closest('tr')!.dataset.run)), [gru.path]);
        // The table scrolls inside its host: the page itself never scrolls sideways.
        assert.ok(await view.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
        await view.screenshot(`compare-${theme}`);
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }

  it('sorts by a header click, flips on a second click, and keeps the order across a reload', async () => {
    const view = await openWebview(browser(), 'compare', 'dark');
    try {
      await view.send({ type: 'compareRuns', runs: [adam, sgd, gru] });
      const loss = view.page.locator('th[data-key="final:loss"] button');
      await loss.click();
      assert.deepEqual(await column(view.page, 'final:loss'), ['0.2', '0.25', '0.6']);
      assert.equal(await view.page.locator('th[data-key="final:loss"]').getAttribute('aria-sort'), 'ascending');
      await loss.click();
      assert.deepEqual(await column(view.page, 'final:loss'), ['0.6', '0.25', '0.2']);
      assert.equal(await view.page.locator('th[data-key="final:loss"]').getAttribute('aria-sort'), 'descending');
      await view.page.locator('th[data-key="model"] button').click();
      assert.deepEqual(await column(view.page, 'model'), ['gru', 'lstm', 'lstm']);
      await view.page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      await reload(view);
      assert.deepEqual(await column(view.page, 'model'), ['gru', 'lstm', 'lstm'], 'runs and sort restored from the saved state');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('exports the table as shown through the host, and asks the host to open a clicked run', async () => {
    const view = await openWebview(browser(), 'compare', 'light');
    try {
      await view.send({ type: 'compareRuns', runs: [adam, sgd] });
      await view.page.locator('th[data-key="batch_size"] button').click();
      await view.page.locator('#export-csv').click();
      await view.page.locator(`tr[data-run="${adam.path}"]`).click();
      await view.page.locator(`tr[data-run="${sgd.path}"]`).focus();
      await view.page.keyboard.press('Enter');
      const posted = (await view.posted()).filter((m) => m.type !== 'ready');
      assert.equal(posted.length, 3);
      const [csv, click, key] = posted;
      assert.ok(csv.type === 'exportCsv' && csv.panel === 'compare');
      assert.equal(csv.suggestedName, 'lstm-comparison.csv');
      const lines = csv.content.trimEnd().split('\r\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0], /^run,model,file,status,params,optimizer,learning rate,momentum,batch size,final loss,best loss,final val_loss,best val_loss,epochs run,duration,backend,data,/);
      assert.equal(lines[1].split(',')[5], 'sgd', 'in the sorted order: batch size 16 first');
      assert.ok(lines[1].endsWith(`,${sgd.path}`));
      assert.deepEqual(click, { type: 'openRun', runPath: adam.path });
      assert.deepEqual(key, { type: 'openRun', runPath: sgd.path });
    } finally {
      await view.close();
    }
  });

  it('drops a malformed message and keeps the table', async () => {
    const view = await openWebview(browser(), 'compare', 'dark');
    try {
      await view.send({ type: 'compareRuns', runs: [adam] });
      await view.send({ type: 'compareRuns', runs: [{ ...adam, meta: null }] } as never);
      assert.deepEqual(await column(view.page, 'model'), ['lstm']);
      // One run: every setting is a column, nothing is "the same in every run".
      assert.ok((await headers(view.page)).includes('seed'));
      assert.equal(await view.page.locator('#common').isVisible(), false);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});
