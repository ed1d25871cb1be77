// A contained code-server (a real VS Code: web workbench, server and Node extension host) and
// the Debian chromium driven by playwright-core. VS Code's desktop build cannot be downloaded
// on this machine, so this is how the extension is exercised in a real editor here.
// docs/testing-in-vscode.md describes how it is set up and why.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../helpers/chromium';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CACHE_DIR = process.env.SEQMODEL_E2E_CACHE ?? path.join(REPO_ROOT, '.cache/code-server');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts/e2e');
/** The folder the e2e tests open as their workspace. */
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test/fixtures/workspace');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts/e2e/install-code-server.sh');

/**
 * Installs code-server into the cache when it is missing (the script is idempotent and returns
 * at once when it is there) and returns the launcher's path.
 */
export function ensureCodeServer(): string {
  const out = execFileSync('bash', [INSTALL_SCRIPT], {
    env: { ...process.env, SEQMODEL_E2E_CACHE: CACHE_DIR },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const launcher = out.trim().split('\n').pop() ?? '';
  if (!existsSync(launcher)) throw new Error(`install-code-server.sh printed no launcher (got ${JSON.stringify(out)})`);
  return launcher;
}

/** User settings that keep VS Code from reaching hosts it cannot reach, and make hovers quick. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
};

export interface StartOptions {
  /** Names the copy of the server log kept in test-artifacts/e2e/ (code-server-LABEL.log). */
  label?: string;
  /** Extra user settings, merged over BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Environment for the server and so for the extension host it starts. */
  env?: Record<string, string>;
  /**
   * Workspace Trust as a user has it: no `--disable-workspace-trust`, trust enabled in the user
   * settings and no startup prompt (`security.workspace.trust.startupPrompt: never`), so a
   * folder not trusted before (the browser context is fresh) opens in Restricted Mode without
   * a modal dialog. Default false: the workspace is trusted, as with the flag.
   */
  workspaceTrust?: boolean;
}

/** Settings of a server started with `workspaceTrust: true`. */
export const WORKSPACE_TRUST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  // Files from outside the folder open without asking (none of the tests opens one).
  'security.workspace.trust.untrustedFiles': 'open',
};

/** A free TCP port on 127.0.0.1, found by letting the OS pick one. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class CodeServer {
  private exited: Promise<void>;

  private constructor(
    readonly url: string,
    /** Everything this instance writes: settings, extensions, XDG dirs, temp files, its log. */
    readonly runDir: string,
    private readonly proc: ChildProcess,
    private readonly label: string,
    private readonly tmpDir: string,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  }

  get logFile(): string {
    return path.join(this.runDir, 'server.log');
  }

  static async start(options: StartOptions = {}): Promise<CodeServer> {
    const launcher = ensureCodeServer();
    const runDir = path.join(CACHE_DIR, 'runs', `${Date.now().toString(36)}${process.pid.toString(36)}`);
    const dirs = {
      userData: path.join(runDir, 'user-data'),
      extensions: path.join(runDir, 'extensions'),
      xdgConfig: path.join(runDir, 'xdg/config'),
      xdgData: path.join(runDir, 'xdg/data'),
      xdgCache: path.join(runDir, 'xdg/cache'),
      tmp: path.join(runDir, 'tmp'),
    };
    // VS Code puts its IPC sockets in TMPDIR, and a Unix socket path has at most 107 bytes: when
    // the cache lies too deep for that, the temp dir moves to the system's (removed on stop).
    const socketName = '/vscode-ipc-00000000-0000-0000-0000-000000000000.sock';
    if (dirs.tmp.length + socketName.length > 107) dirs.tmp = mkdtempSync(path.join(tmpdir(), 'seqmodel-cs-'));
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    writeFileSync(
      path.join(dirs.userData, 'User/settings.json'),
      JSON.stringify({ ...BASE_SETTINGS, ...(options.workspaceTrust ? WORKSPACE_TRUST_SETTINGS : {}), ...options.settings }, null, 2),
    );
    // An explicit config file, so code-server never writes one into the user's ~/.config.
    const config = path.join(runDir, 'config.yaml');
    writeFileSync(config, 'auth: none\ncert: false\n');

    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Variables from an enclosing VS Code or from our own tsx loader must not leak into the
    // server: they would attach it to the wrong IPC socket or load TypeScript hooks into it.
    for (const key of Object.keys(env)) {
      if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS') delete env[key];
    }
    Object.assign(env, options.env, {
      // No extension gallery: it is unreachable here, and its failed lookups fill the test log.
      EXTENSIONS_GALLERY: '{}',
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      TMPDIR: dirs.tmp,
    });
    const args = [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--config', config,
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
    ];
    const log = createWriteStream(path.join(runDir, 'server.log'));
    // detached: the server gets its own process group, so stop() can end it together with the
    // extension host and other children it started, and nothing else.
    const proc = spawn(launcher, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    const server = new CodeServer(`http://127.0.0.1:${port}`, runDir, proc, options.label ?? 'server', dirs.tmp);
    try {
      await server.waitHealthy(60_000);
    } catch (err) {
      await server.stop({ keepRunDir: true });
      throw err;
    }
    return server;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) break;
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(200);
    }
    const tail = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`code-server ${exited ? 'exited' : 'did not answer /healthz'} (${this.url}); log:\n${tail}`);
  }

  /**
   * Workbench payload that loads an extension from its source folder, as `--extensionDevelopmentPath`
   * would (code-server refuses those flags but the workbench reads them from the URL). Paths are
   * on the server's machine, so they take the remote authority, which is the literal "remote".
   */
  static developmentPayload(extensionPath: string = REPO_ROOT, extensionTestsPath?: string): [string, string][] {
    const remote = (p: string) => `vscode-remote://remote${path.resolve(p)}`;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['skipWelcome', 'true'],
    ];
    if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    return payload;
  }

  /** Builds the workbench URL that opens `folder`, with optional workbench payload entries. */
  workbenchUrl(folder: string, payload?: [string, string][]): string {
    const params = new URLSearchParams({ folder });
    if (payload) params.set('payload', JSON.stringify(payload));
    return `${this.url}/?${params.toString()}`;
  }

  /**
   * Ends the server's process group (SIGTERM, then SIGKILL after 5 s) and removes its run
   * folder; the server log is copied to the artifacts first so a failure can be read later.
   */
  async stop(options: { keepRunDir?: boolean } = {}): Promise<void> {
    const pid = this.proc.pid;
    if (pid !== undefined && this.proc.exitCode === null && this.proc.signalCode === null) {
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-pid, signal);
        } catch {
          // Already gone.
        }
      };
      killGroup('SIGTERM');
      const gone = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
      if (!gone) killGroup('SIGKILL');
      await Promise.race([this.exited, sleep(2000)]);
      // Children that outlived the main process are still in its group.
      killGroup('SIGKILL');
    }
    if (existsSync(this.logFile)) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      writeFileSync(path.join(ARTIFACTS_DIR, `code-server-${this.label}.log`), readFileSync(this.logFile));
    }
    if (!options.keepRunDir) {
      rmSync(this.runDir, { recursive: true, force: true });
      rmSync(this.tmpDir, { recursive: true, force: true });
    }
  }
}

/** Debian's chromium through playwright-core (test/helpers/chromium.ts). */
export const launchBrowser = launchChromium;
