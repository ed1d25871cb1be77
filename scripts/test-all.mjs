// `npm test`: type-check and build, then the layering rules (`npm run lint`,
// docs/architecture.md) and every test suite in turn (unit, webview in headless Chromium,
// end-to-end in a real VS Code), continuing past a failing one so that one run shows every
// failure, and closing with one 'N passed, N failed' line over all of them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Each suite's reporter labels its counts with SEQMODEL_SUITE (a suite may set finer labels).
const run = (script) => spawnSync(npm, ['run', '--silent', script], { stdio: 'inherit', env: { SEQMODEL_SUITE: script.replace(/^test:/, ''), ...process.env } }).status === 0;

spawnSync(process.execPath, [new URL('./test-summary.mjs', import.meta.url).pathname, '--reset'], { stdio: 'inherit' });
for (const step of ['typecheck', 'build']) {
  if (!run(step)) {
    console.error(`\nnpm test: ${step} failed; no test ran.\n0 passed, 1 failed`);
    process.exit(1);
  }
}
const suites = ['lint', 'test:unit', 'test:webview', 'test:e2e'].filter((s) => pkg.scripts[s]);
const failedSuites = suites.filter((s) => !run(s));
const summary = spawnSync(process.execPath, [new URL('./test-summary.mjs', import.meta.url).pathname], { stdio: 'inherit' });
if (failedSuites.length) console.error(`failing suites: ${failedSuites.join(', ')}`);
process.exitCode = failedSuites.length || summary.status ? 1 : 0;
