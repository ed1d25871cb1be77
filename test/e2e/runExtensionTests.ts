// Runs the extension-host mocha suites (test/vscode/**, bundled to out/test/vscode/) inside a
// real VS Code, code-server, against the repository's extension (extensionHostSuites.ts), and
// exits with their exit code; the workbench's log files go to the test artifacts.
//
//   node --import tsx test/e2e/runExtensionTests.ts
//
// SEQMODEL_VSCODE_TEST_GREP filters the suites; SEQMODEL_E2E_TIMEOUT_MS bounds the run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS_DIR, REPO_ROOT } from './codeServer';
import { exitWith, runExtensionHostSuites } from './extensionHostSuites';

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
  const code = await runExtensionHostSuites({ label: 'extension-tests', env, extensionPath: REPO_ROOT, timeoutMs: TIMEOUT_MS, onLogs: saveWorkbenchLogs });
  console.log(`extension tests in code-server: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

exitWith(main);
