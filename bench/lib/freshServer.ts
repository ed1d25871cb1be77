import { LspClient } from '../../test/unit/lsp-client';

/**
 * A fresh language server (dist/server.js, with the extension's V8 flags), initialized as the
 * editor on that transport does: over IPC the VS Code extension, which colours with SeqModel's
 * grammar (semantic tokens without keywords, numbers, strings, comments); over stdio an editor
 * without it (every token). Diagnostics are published at once, without the editors' debounce.
 */
export async function freshServer(ipc: boolean): Promise<LspClient> {
  const client = ipc ? LspClient.startIpc() : LspClient.start('server');
  await client.initialize({ diagnosticDelayMs: 0, grammar: ipc });
  return client;
}
