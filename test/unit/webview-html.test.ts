import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, createNonce, html } from '../../src/extension/panels/html';

const base = {
  panel: 'loss' as const,
  title: 'Loss <lstm>',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/loss.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/loss.css'],
  cspSource: 'https://*.vscode-cdn.net',
};

describe('webview html()', () => {
  it('declares the strict CSP with the nonce and the cspSource', () => {
    const nonce = createNonce();
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(nonce, createNonce());
    const page = html({ ...base, nonce });
    const csp = contentSecurityPolicy(base.cspSource, nonce);
    assert.equal(
      csp,
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://*.vscode-cdn.net 'nonce-${nonce}'; img-src https://*.vscode-cdn.net data:; font-src https://*.vscode-cdn.net`,
    );
    assert.ok(page.includes(`content="${csp.replace(/'/g, "'")}"`));
    assert.ok(page.includes(`<script nonce="${nonce}" src="${base.scriptUri}"></script>`));
    assert.ok(page.includes(`<link rel="stylesheet" nonce="${nonce}" href="${base.styleUris[0]}">`));
    assert.ok(page.includes('<title>Loss &lt;lstm&gt;</title>'));
  });

  it('has no inline script: every <script> has a src', () => {
    const page = html({ ...base, nonce: createNonce() });
    const scripts = page.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
    assert.equal(scripts.length, 1);
    for (const tag of scripts) assert.match(tag, /^<script nonce="[^"]+" src="[^"]+"><\/script>$/);
    assert.ok(!/\son[a-z]+=/.test(page), 'no inline event handlers');
    assert.ok(!/style="/.test(page), 'no inline styles');
  });

  it('refuses a nonce or source that could break out of the policy', () => {
    assert.throws(() => html({ ...base, nonce: "abc' 'unsafe-inline" }), /nonce/);
    assert.throws(() => html({ ...base, nonce: 'short' }), /nonce/);
    assert.throws(() => html({ ...base, nonce: createNonce(), cspSource: "x; script-src 'unsafe-inline'" }), /cspSource/);
  });

  it('escapes URIs in attributes', () => {
    const page = html({ ...base, nonce: createNonce(), scriptUri: 'https://x/a"b.js' });
    assert.ok(page.includes('src="https://x/a&quot;b.js"'));
  });
});
