// Proves the .vsix runs as shipped: packages the extension (`npm run package`: production
// bundles, only the files .vscodeignore lets through, no node_modules), unpacks it, and runs
// the language server's extension-host suite against the unpacked copy inside code-server.
//
//   node --import tsx test/vsix/runPackaged.ts          (SEQMODEL_VSCODE_TEST_GREP to pick suites)
//
// It runs them as runExtensionTests.ts does for the repository itself, through
// test/e2e/extensionHostSuites.ts; only the extension path differs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, REPO_ROOT } from '../e2e/codeServer';
import { exitWith, runExtensionHostSuites } from '../e2e/extensionHostSuites';

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
  const code = await runExtensionHostSuites({ label: 'vsix-check', env, extensionPath: extension, timeoutMs: TIMEOUT_MS });
  console.log(`packaged extension in code-server: exit code ${code}`);
  return code;
}

exitWith(main);
