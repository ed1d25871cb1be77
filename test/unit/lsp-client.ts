import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ENGINE_V8_FLAGS, engineEnv } from '../../src/server/engineProcess';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

// A minimal LSP client for the protocol tests and the bench: it starts the real bundled
// server (dist/server.js, or the CLI's `lsp --stdio`) as a child process and speaks JSON-RPC
// over its stdio, exactly as Neovim or Helix would, or over Node's IPC channel, as the VS Code
// extension does (vscode-languageclient's TransportKind.ipc: `--node-ipc`).

export const ROOT = join(__dirname, '..', '..');

/** Rebuilds dist/ when a source file is newer than the server bundle, so tests never run stale code. */
export function ensureBuilt(): void {
  const bundle = join(ROOT, 'dist', 'server.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  const cli = join(ROOT, 'dist', 'cli.js');
  if (existsSync(bundle) && existsSync(cli) && statSync(bundle).mtimeMs >= newest(join(ROOT, 'src')) && statSync(cli).mtimeMs >= newest(join(ROOT, 'src'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export interface Diagnostics {
  uri: string;
  version?: number;
  diagnostics: { code?: string | number; message: string; severity?: number; range: Range; tags?: number[] }[];
}
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly diagnostics: Diagnostics[] = [];
  readonly logs: string[] = [];
  stderr = '';
  private waiters: { test: (d: Diagnostics) => boolean; resolve: (d: Diagnostics) => void }[] = [];

  constructor(
    readonly child: ChildProcess,
    transport: 'stdio' | 'ipc' = 'stdio',
  ) {
    this.connection =
      transport === 'ipc'
        ? createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
        : createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Diagnostics) => {
      this.diagnostics.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  settings: unknown = { inlayHints: { shapes: true, params: true } };

  /** Starts the server as editors do: with the extension's V8 flags and allocator setting, or through the `seqmodel` launcher. */
  static start(how: 'server' | 'cli' = 'server'): LspClient {
    const args = how === 'server' ? [...ENGINE_V8_FLAGS, join(ROOT, 'dist', 'server.js'), '--stdio'] : [join(ROOT, 'bin', 'seqmodel.js'), 'lsp', '--stdio'];
    const env = how === 'server' ? { ...process.env, ...engineEnv() } : process.env;
    return new LspClient(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** Starts dist/server.js as the VS Code extension does: a Node child process speaking over its IPC channel. */
  static startIpc(): LspClient {
    const child = fork(join(ROOT, 'dist', 'server.js'), ['--node-ipc'], { cwd: ROOT, execArgv: [...ENGINE_V8_FLAGS], env: { ...process.env, ...engineEnv() }, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    return new LspClient(child, 'ipc');
  }

  async initialize(initializationOptions: unknown = {}, configuration = true): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions,
      capabilities: {
        workspace: { configuration },
        // Semantic tokens laid over the editor's own syntax colours, as VS Code and Neovim both say.
        textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { versionSupport: true }, semanticTokens: { augmentsSyntaxTokens: true } },
      },
    });
    this.connection.sendNotification('initialized', {});
    return result;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'seqmodel', version, text } });
  }

  change(uri: string, version: number, changes: ({ range: Range; text: string } | { text: string })[]): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** The next diagnostics for `uri` (at `version` when given), published after this call. */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 10000): Promise<Diagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test: (d) => d.uri === uri && (version === undefined || d.version === version),
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
    });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => this.child.kill(), 3000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}

/** Line/character of the first occurrence of `needle` (plus `delta` characters) in `text`. */
export function positionOf(text: string, needle: string, delta = 0, from = 0): Position {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i + delta);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
