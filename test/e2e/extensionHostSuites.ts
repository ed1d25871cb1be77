// Runs the extension-host mocha suites (test/vscode/**, bundled to out/test/vscode/ by
// scripts/build-tests.mjs) inside code-server, opened in Debian's chromium, against one copy of
// the extension: the repository's (runExtensionTests.ts) or the unpacked .vsix
// (test/vsix/runPackaged.ts). The workbench URL's payload names the extension and the tests;
// the workbench reports the suites' output through window.codeAutomationLog, printed here, and
// their exit code through window.codeAutomationExit.
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { CodeServer, FIXTURE_WORKSPACE, REPO_ROOT, launchBrowser } from './codeServer';
import { Workbench } from './workbench';

const TESTS_INDEX = path.join(REPO_ROOT, 'out/test/vscode/index.js');

export interface SuitesRun {
  /** Names code-server's folders and logs. */
  label: string;
  /** Added to the server's environment, which the extension host inherits. */
  env: Record<string, string>;
  /** The extension under test. */
  extensionPath: string;
  timeoutMs: number;
  /** The workbench's own log files, which it sends with the exit code. */
  onLogs?: (logs: unknown) => void;
}

/**
 * The suites' exit code: the workbench's, 124 when they did not finish within timeoutMs. A
 * failed run leaves a screenshot of the workbench, named in the output.
 */
export async function runExtensionHostSuites({ label, env, extensionPath, timeoutMs, onLogs }: SuitesRun): Promise<number> {
  const server = await CodeServer.start({ label, env });
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  try {
    browser = await launchBrowser();
    let settle: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (settle = resolve));
    wb = await Workbench.open(server, browser, FIXTURE_WORKSPACE, {
      payload: CodeServer.developmentPayload(extensionPath, TESTS_INDEX),
      // Both must exist before the workbench loads: it looks for them once, at start-up.
      beforeLoad: async (page) => {
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
          const line = format(...(Array.isArray(args) ? args : [args]));
          (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
        });
        await page.exposeFunction('codeAutomationExit', (code: number, logs?: unknown) => {
          onLogs?.(logs);
          settle(typeof code === 'number' ? code : 1);
        });
      },
    });
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`extension tests did not finish within ${timeoutMs} ms`);
        resolve(124);
      }, timeoutMs).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    if (code !== 0) console.error(`screenshot: ${await wb.screenshot(`${label}-end`)}`);
    return code;
  } finally {
    await wb?.close();
    await browser?.close();
    await server.stop();
  }
}

/** Runs a script's main and exits with the code it resolves to (1, the error printed, if it throws). */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
