// `npm run test:e2e`: installs code-server on demand, builds the extension, then runs both
// end-to-end suites in a real VS Code, continuing past a failing one so that one run shows
// every failure:
//   1. the extension-host mocha suites (test/vscode/**) inside code-server;
//   2. the Playwright tests (test/e2e/**/*.e2e.ts) that drive the workbench in chromium.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(name, command, args, env = {}) {
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[test:e2e] ${name}: ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${seconds} s`);
  return status === 0;
}

// Screenshots and logs of an earlier run would be taken for this run's.
rmSync(path.join(root, 'test-artifacts/e2e'), { recursive: true, force: true });

// The installer prints the launcher path on stdout; only its progress (stderr) is of interest.
const install = spawnSync('bash', [path.join(root, 'scripts/e2e/install-code-server.sh')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (install.status !== 0) {
  console.error('[test:e2e] installing code-server failed; no e2e test ran');
  process.exit(1);
}
if (!step('build', npm, ['run', '--silent', 'build'])) process.exit(1);

const results = [
  step('extension-host suites in code-server', process.execPath, ['--import', 'tsx', 'test/e2e/runExtensionTests.ts'], { SEQMODEL_SUITE: 'e2e-host' }),
  step('Playwright workbench tests', process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--config', 'test/e2e/mocharc.json'], { SEQMODEL_SUITE: 'e2e-ui' }),
];
process.exitCode = results.every(Boolean) ? 0 : 1;
