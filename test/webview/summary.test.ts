// The summary panel in headless Chromium: Keras table, totals, text view, diagram, reveal on
// click, state across reload, in light, dark and high contrast.
import { strict as assert } from 'node:assert';
import { summaryTable } from '../../src/language';
import path from 'node:path';
import { ARTIFACTS, openWebview, reload, stateWrites, useBrowser, waitForStateWrite } from './harness';
import { echoModel, forecastModel, rnnBnModel, stateModel } from './fixtures';
import type { ThemeName } from './themes';

async function tableRows(page: import('playwright-core').Page): Promise<string[][]> {
  return page.$$eval('vscode-table-body vscode-table-row', (rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('vscode-table-cell')).map((cell) => (cell.textContent ?? '').trim())),
  );
}

describe('summary panel (Chromium)', function () {
  const browser = useBrowser();

  const cases: [ThemeName, typeof forecastModel][] = [
    ['light', rnnBnModel],
    ['dark', echoModel],
    ['high-contrast', forecastModel],
  ];
  for (const [theme, model] of cases) {
    it(`shows the Keras table, totals and the layer diagram of "${model.name}" in the ${theme} theme`, async () => {
      const view = await openWebview(browser(), 'summary', theme, { width: 1100, height: 700 });
      try {
        assert.equal(await view.page.locator('.empty').isVisible(), true, 'an empty panel says what to do');
        await view.send({ type: 'summary', model });
        const rows = await tableRows(view.page);
        assert.equal(rows.length, model.layers.length);
        model.layers.forEach((layer, i) => {
          assert.equal(rows[i][0], `${layer.name} (${layer.type})`);
          assert.equal(rows[i][2], layer.params.total.toLocaleString('en-US'));
        });
        const totals = await view.page.locator('#totals').innerText();
        assert.match(totals, new RegExp(`Total params: ${model.params.total.toLocaleString('en-US')}$`, 'm'));
        assert.match(totals, new RegExp(`Non-trainable params: ${model.params.nonTrainable.toLocaleString('en-US')}$`, 'm'));
        const nodes = await view.page.$$eval('svg.diagram g.node.layer', (gs) => gs.map((g) => g.getAttribute('data-layer')));
        assert.deepEqual(nodes, model.layers.map((l) => l.name));
        // Every table cell is laid out wide enough to show its text (no "batch_normalization (Bat…").
        // The cell's shadow wrapper is what clips with an ellipsis.
        const clipped = await view.page.$$eval('vscode-table-body vscode-table-cell', (cells) =>
          cells
            .map((cell) => [cell.textContent, cell.shadowRoot?.querySelector('.wrapper') ?? cell] as const)
            .filter(([, box]) => box.scrollWidth > box.clientWidth + 1)
            .map(([text]) => text),
        );
        assert.deepEqual(clipped, []);
        await view.screenshot(`summary-${model.name}-${theme}`);
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`fits the layer diagram into a 360 px wide column in the ${theme} theme`, async () => {
      const view = await openWebview(browser(), 'summary', theme, { width: 360, height: 700 });
      try {
        // rnn_bn: the longest layer names, and a wrapper-free model several boxes tall.
        await view.send({ type: 'summary', model: rnnBnModel });
        const fit = await view.page.evaluate(() => {
          const svg = document.querySelector('svg.diagram')!.getBoundingClientRect();
          const host = document.getElementById('diagram')!;
          const root = document.documentElement;
          return {
            right: svg.right,
            width: svg.width,
            height: svg.height,
            viewport: root.clientWidth,
            pageScroll: root.scrollWidth - root.clientWidth,
            hostOverflow: host.scrollWidth - host.clientWidth,
            hostScrolls: ['auto', 'scroll'].includes(getComputedStyle(host).overflowX),
          };
        });
        // Scaled to the column, not cut off on the right, and the page has no sideways scroll.
        assert.ok(fit.right <= fit.viewport, `diagram ends at ${fit.right}px, viewport is ${fit.viewport}px`);
        assert.ok(fit.pageScroll <= 0, `page scrolls ${fit.pageScroll}px sideways`);
        // Whatever the diagram does not fit is reachable by scrolling its host, never clipped.
        assert.ok(fit.hostOverflow <= 0 || fit.hostScrolls, `diagram host clips ${fit.hostOverflow}px`);
        // Scaled down, not squashed: the aspect ratio of its 420-wide viewBox holds, and it stays
        // large enough to read.
        const viewBox = await view.page.locator('svg.diagram').evaluate((el) => {
          const { width, height } = (el as SVGSVGElement).viewBox.baseVal;
          return { width, height };
        });
        assert.ok(Math.abs(fit.height / fit.width - viewBox.height / viewBox.width) < 0.01, `aspect ratio kept: ${fit.width}×${fit.height} for a ${viewBox.width}×${viewBox.height} viewBox`);
        assert.ok(fit.width >= 300 && fit.width < 420, `diagram is ${fit.width}px wide`);
        const nodes = await view.page.$$eval('svg.diagram g.node.layer', (gs) => gs.map((g) => g.getAttribute('data-layer')));
        assert.deepEqual(nodes, rnnBnModel.layers.map((l) => l.name));
        await view.page.locator('#diagram').screenshot({ path: path.join(ARTIFACTS, `summary-narrow-diagram-${theme}.png`) });
        await view.screenshot(`summary-narrow-${theme}`);
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }

  it('prints several outputs of return_state as a list of shapes, and wrappers with their inner layer', async () => {
    const view = await openWebview(browser(), 'summary', 'dark');
    try {
      await view.send({ type: 'summary', model: stateModel });
      assert.equal((await tableRows(view.page))[0][1], '[(None, 30, 64), (None, 64), (None, 64)]');
      await view.send({ type: 'summary', model: echoModel });
      const bidirectional = await view.page.locator('svg.diagram g[data-layer="bidirectional"]').textContent();
      assert.match(bidirectional!, /forward_lstm: LSTM/);
      assert.match(bidirectional!, /3,600 params/);
    } finally {
      await view.close();
    }
  });

  it('asks the host to reveal a layer clicked in the table or the diagram', async () => {
    const view = await openWebview(browser(), 'summary', 'light');
    try {
      await view.send({ type: 'summary', model: forecastModel });
      await view.page.locator('vscode-table-row[data-layer="lstm"]').click();
      await view.page.locator('svg.diagram g[data-layer="lstm"]').click();
      const reveals = (await view.posted()).filter((m) => m.type === 'reveal');
      assert.deepEqual(reveals, [
        { type: 'reveal', start: 10, end: 37 },
        { type: 'reveal', start: 10, end: 37 },
      ]);
    } finally {
      await view.close();
    }
  });

  it('shows the text form and restores model and view after a reload', async () => {
    const view = await openWebview(browser(), 'summary', 'dark');
    try {
      await view.send({ type: 'summary', model: rnnBnModel });
      const writes = await stateWrites(view.page);
      await view.page.locator('#show-text').click();
      await waitForStateWrite(view.page, writes);
      assert.equal(await view.page.locator('#summary-text').textContent(), summaryTable(rnnBnModel));
      assert.equal(await view.page.locator('#table').isVisible(), false);
      await reload(view);
      assert.equal(await view.page.locator('#title').textContent(), 'Model: "rnn_bn"');
      assert.equal(await view.page.locator('#summary-text').isVisible(), true);
      assert.equal(await view.page.locator('#summary-text').textContent(), summaryTable(rnnBnModel));
      await view.screenshot('summary-text-restored-dark');
      assert.deepEqual(await view.cspViolations(), []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});
