// The strict CSP is really in force on each page: an injected inline script and inline style
// attribute are refused and reported, so "no violations" in the other tests means something.
import { strict as assert } from 'node:assert';
import type { PanelKind } from '../../webview/protocol';
import { openWebview, useBrowser } from './harness';

describe('webview Content Security Policy (Chromium)', function () {
  const browser = useBrowser();

  for (const panel of ['loss', 'prediction', 'summary', 'compare'] as PanelKind[]) {
    it(`${panel}: runs its nonce-tagged bundle only, refusing inline script and style`, async () => {
      const view = await openWebview(browser(), panel, 'dark');
      try {
        const csp = await view.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
        assert.match(csp!, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9]{32}'; style-src https:\/\/webview\.test 'nonce-/);
        assert.deepEqual(await view.cspViolations(), [], 'the page itself needs nothing the policy forbids');
        await view.page.evaluate(() => {
          const script = document.createElement('script');
          script.textContent = 'window.__inlineRan = true';
          document.body.append(script);
          const div = document.createElement('div');
          div.setAttribute('style', 'color: red');
          document.body.append(div);
        });
        await view.frame();
        assert.equal(await view.page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan), undefined);
        const violations = await view.cspViolations();
        assert.ok(violations.some((v) => v.startsWith('script-src')), violations.join('\n'));
        assert.ok(violations.some((v) => v.startsWith('style-src')), violations.join('\n'));
      } finally {
        await view.close();
      }
    });
  }
});
