// Runs the same extension-host suites (out/test/vscode/index.js) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (this one cannot: there,
// runExtensionTests.ts runs them in code-server instead).
//
//   node scripts/build-tests.mjs && node --import tsx test/e2e/runTestElectron.ts
//
// VSCODE_TEST_VERSION picks the VS Code version (default "stable"; e.g. 1.91.0, the oldest that
// engines.vscode accepts); downloads are cached in .cache/vscode-test/.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { FIXTURE_WORKSPACE, REPO_ROOT } from './codeServer';

async function main(): Promise<void> {
  const extensionTestsPath = path.join(REPO_ROOT, 'out/test/vscode/index.js');
  if (!existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: run node scripts/build-tests.mjs`);
  // A throw-away profile, so the run neither sees nor changes the user's VS Code state.
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'seqmodel-vscode-test-'));
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      cachePath: path.join(REPO_ROOT, '.cache/vscode-test'),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath,
      extensionTestsEnv: {
        SEQMODEL_SUITE: process.env.SEQMODEL_SUITE ?? 'e2e-electron',
        ...(process.env.SEQMODEL_VSCODE_TEST_GREP ? { SEQMODEL_VSCODE_TEST_GREP: process.env.SEQMODEL_VSCODE_TEST_GREP } : {}),
      },
      launchArgs: [FIXTURE_WORKSPACE, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userDataDir}`],
    });
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
