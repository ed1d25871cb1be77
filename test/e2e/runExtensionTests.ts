// Runs the extension-host mocha suites (test/vscode/**, bundled to out/test/vscode/) inside a
// real VS Code: code-server, opened in Debian's chromium with the extension development and
// tests paths in the workbench URL's payload. The workbench reports the suites' output through
// window.codeAutomationLog and the exit code through window.codeAutomationExit; this script
// prints the one and exits with the other.
//
//   node --import tsx test/e2e/runExtensionTests.ts
//
// SEQMODEL_VSCODE_TEST_GREP filters the suites; SEQMODEL_E2E_TIMEOUT_MS bounds the run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR, CodeServer, FIXTURE_WORKSPACE, REPO_ROOT, launchBrowser } from './codeServer';
import { Workbench } from './workbench';

const TESTS_INDEX = path.join(REPO_ROOT, 'out/test/vscode/index.js');
const TIMEOUT_MS = Number(process.env.SEQMODEL_E2E_TIMEOUT_MS ?? 10 * 60_000);

interface LogFile {
  relativePath: string;
  contents: string;
}

/** Keeps the workbench's own log files (sent with the exit code) as test artifacts. */
function saveWorkbenchLogs(logs: unknown): void {
  if (!Array.isArray(logs)) return;
  const dir = path.join(ARTIFACTS_DIR, 'extension-tests-logs');
  for (const log of logs as LogFile[]) {
    if (typeof log?.relativePath !== 'string' || typeof log.contents !== 'string') continue;
    const file = path.join(dir, path.normalize(log.relativePath).replace(/^(\.\.[/\\])+/, ''));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, log.contents);
  }
}

async function main(): Promise<number> {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-tests.mjs')], { stdio: 'inherit' });

  const started = Date.now();
  // The extension host inherits the server's environment: the suite name labels its counts in
  // test-artifacts/results.jsonl (see test/reporter.cjs).
  const env: Record<string, string> = { SEQMODEL_SUITE: process.env.SEQMODEL_SUITE ?? 'e2e-host' };
  if (process.env.SEQMODEL_VSCODE_TEST_GREP) env.SEQMODEL_VSCODE_TEST_GREP = process.env.SEQMODEL_VSCODE_TEST_GREP;
  const server = await CodeServer.start({ label: 'extension-tests', env });
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  try {
    browser = await launchBrowser();
    let settle: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (settle = resolve));
    wb = await Workbench.open(server, browser, FIXTURE_WORKSPACE, {
      payload: CodeServer.developmentPayload(REPO_ROOT, TESTS_INDEX),
      // Both must exist before the workbench loads: it looks for them once, at start-up.
      beforeLoad: async (page) => {
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
          const line = format(...(Array.isArray(args) ? args : [args]));
          (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
        });
        await page.exposeFunction('codeAutomationExit', (code: number, logs?: unknown) => {
          saveWorkbenchLogs(logs);
          settle(typeof code === 'number' ? code : 1);
        });
      },
    });
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`extension tests did not finish within ${TIMEOUT_MS} ms`);
        resolve(124);
      }, TIMEOUT_MS).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    if (code !== 0) console.error(`screenshot: ${await wb.screenshot('extension-tests-end')}`);
    console.log(`extension tests in code-server: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
