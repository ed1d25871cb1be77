// The playground's share link (webview/playground/share.ts) under Node, which has the same
// CompressionStream, atob and btoa as browsers: round trips, and damaged links.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeShare, encodeShare } from '../../webview/playground/share';

const FORECAST = readFileSync(path.resolve(__dirname, '..', '..', 'examples', 'forecast.seqmodel'), 'utf8');

describe('playground share link', () => {
  for (const [name, text] of [
    ['the forecast example', FORECAST],
    ['an empty file', ''],
    ['non-ASCII text and every byte-pair boundary', '# ünïcode → ✓ 🚀\nmodel m {\n  Dense(1)\n}\n'.repeat(7)],
    ['a large file (200 KB)', FORECAST.repeat(150)],
  ] as const) {
    it(`round-trips ${name}`, async () => {
      const hash = await encodeShare(text);
      assert.match(hash, /^#code=[A-Za-z0-9_-]*$/, 'URL-safe, no padding');
      assert.equal(await decodeShare(hash), text);
    });
  }

  it('compresses: the forecast example travels in far fewer characters than it has', async () => {
    const hash = await encodeShare(FORECAST);
    assert.ok(hash.length < FORECAST.length * 0.75, `${hash.length} characters for ${FORECAST.length}`);
  });

  it('ignores a fragment that is not a share link', async () => {
    assert.equal(await decodeShare(''), undefined);
    assert.equal(await decodeShare('#section-2'), undefined);
  });

  it('reports a link cut short or mangled, never throws', async () => {
    const hash = await encodeShare(FORECAST);
    for (const damaged of [hash.slice(0, hash.length - 12), '#code=!!!not-base64', '#code=AAAA']) {
      const result = await decodeShare(damaged);
      assert.ok(result instanceof Error, `${damaged.slice(0, 30)} gave ${String(result).slice(0, 40)}`);
      assert.match(result.message, /share link is damaged/);
    }
  });
});
