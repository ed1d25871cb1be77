// Proves the .vsix runs as shipped: packages the extension (`npm run package`: production
// bundles, only the files .vscodeignore lets through, no node_modules), unpacks it, and runs
// the language server's extension-host suite against the unpacked copy inside code-server.
//
//   node --import tsx test/vsix/runPackaged.ts          (SEQMODEL_VSCODE_TEST_GREP to pick suites)
//
// It drives code-server with the e2e harness (test/e2e/), as runExtensionTests.ts does for the
// repository itself; only the extension path differs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { CACHE_DIR, CodeServer, FIXTURE_WORKSPACE, REPO_ROOT, launchBrowser } from '../e2e/codeServer';
import { Workbench } from '../e2e/workbench';

const TESTS_INDEX = path.join(REPO_ROOT, 'out/test/vscode/index.js');
const UNPACKED = path.join(path.dirname(CACHE_DIR), 'vsix-check');
const TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: 'inherit' });
  rmSync(UNPACKED, { recursive: true, force: true });
  mkdirSync(UNPACKED, { recursive: true });
  execFileSync('unzip', ['-q', vsix, '-d', UNPACKED]);
  const extension = path.join(UNPACKED, 'extension');
  const files = execFileSync('find', [extension, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
  console.log(`${path.basename(vsix)}: ${files.length} files, ${files.filter((f) => f.includes('node_modules')).length} from node_modules`);
  // The suites are bundled from test/vscode; the extension under test is the unpacked one.
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-tests.mjs')], { stdio: 'inherit' });

  const env: Record<string, string> = { SEQMODEL_SUITE: 'vsix', SEQMODEL_VSCODE_TEST_GREP: process.env.SEQMODEL_VSCODE_TEST_GREP ?? 'language server' };
  const server = await CodeServer.start({ label: 'vsix-check', env });
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  try {
    browser = await launchBrowser();
    let settle: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (settle = resolve));
    wb = await Workbench.open(server, browser, FIXTURE_WORKSPACE, {
      payload: CodeServer.developmentPayload(extension, TESTS_INDEX),
      beforeLoad: async (page) => {
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
          (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${format(...(Array.isArray(args) ? args : [args]))}\n`);
        });
        await page.exposeFunction('codeAutomationExit', (code: number) => settle(typeof code === 'number' ? code : 1));
      },
    });
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(124), TIMEOUT_MS).unref());
    const code = await Promise.race([exitCode, timeout]);
    console.log(`packaged extension in code-server: exit code ${code}`);
    return code;
  } finally {
    await wb?.close();
    await browser?.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
