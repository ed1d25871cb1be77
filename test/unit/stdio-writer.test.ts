import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { jsonEncoder, stdioWriter } from '../../src/server/stdioWriter';

// The server's writer over stdio (src/server/stdioWriter.ts) encodes each message's JSON as
// vscode-jsonrpc's does (UTF-8), copying an ASCII one byte for byte: the bytes must be the
// UTF-8 of the JSON whatever the message holds (non-ASCII text, surrogate pairs, a lone
// surrogate, which JSON.stringify escapes). The protocol tests speak to the real server through
// it (test/unit/lsp-protocol.test.ts, "over stdio").

const messages = [
  { jsonrpc: '2.0', id: 1, result: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: '}\n}\n}\n' }] },
  { jsonrpc: '2.0', id: 2, result: { contents: { kind: 'markdown', value: 'é → ∞ 😀 \u00ff' } } },
  { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'lone \ud800 surrogate, NUL \u0000, tab \t' } },
];

describe('stdio writer (src/server/stdioWriter.ts)', () => {
  it('encodes every message as the UTF-8 of its JSON, ASCII or not', async () => {
    for (const m of messages) {
      const bytes = await jsonEncoder.encode(m, { charset: 'utf-8' });
      assert.deepEqual(Buffer.from(bytes), Buffer.from(JSON.stringify(m), 'utf8'));
      assert.deepEqual(JSON.parse(Buffer.from(bytes).toString('utf8')), JSON.parse(JSON.stringify(m)));
    }
  });

  it('writes each message with its Content-Length in bytes', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = stdioWriter(out);
    for (const m of messages) await writer.write(m);
    let rest = Buffer.concat(chunks);
    for (const m of messages) {
      const header = /^Content-Length: (\d+)\r\n\r\n/.exec(rest.toString('latin1'))!;
      const length = Number(header[1]);
      const body = rest.subarray(header[0].length, header[0].length + length);
      assert.deepEqual(JSON.parse(body.toString('utf8')), JSON.parse(JSON.stringify(m)));
      rest = rest.subarray(header[0].length + length);
    }
    assert.equal(rest.length, 0);
  });
});
