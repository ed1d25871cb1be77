// The language server (src/server/browserMain.ts, the same code `seqmodel lsp` runs) in a Web
// Worker, connected to monaco by the LSP client monaco-editor ships: hover, inlay hints,
// diagnostics as markers, quick fixes, completion, signature help, formatting, rename, outline,
// code lenses, all as the server answers them in VS Code. No adapter of our own to keep in step.
//
// monaco-editor's package exports reach this client only through its all-languages index (every
// Monarch grammar and the TypeScript, CSS, HTML and JSON services): import the file itself.
import { createTransportToWorker, MonacoLspClient } from '../../node_modules/monaco-editor/esm/external/monaco-lsp-client/out/index.js';

export interface LanguageServer {
  worker: Worker;
  client: MonacoLspClient;
}

export function startLanguageServer(url: URL, onFailure: (message: string) => void): LanguageServer {
  const worker = new Worker(url, { name: 'seqmodel-language-server' });
  worker.addEventListener('error', (e) => onFailure(`The language server stopped: ${e.message || 'it could not be loaded'}.`));
  const client = new MonacoLspClient(createTransportToWorker(worker));
  return { worker, client };
}
