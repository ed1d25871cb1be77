// The extensionTestsPath module: VS Code's extension host loads it and awaits run(). The same
// file serves @vscode/test-electron (desktop VS Code) and code-server (through the workbench
// URL payload), so it depends on neither: it runs every compiled *.test.js beside it.
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

// Bundled to out/test/vscode/, three levels below the repository.
const REPO_ROOT = path.resolve(__dirname, '../../..');
// The project's reporter (spec plus a counts record for `npm test`'s total), when present.
const PROJECT_REPORTER = path.join(REPO_ROOT, 'test/reporter.cjs');

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: existsSync(PROJECT_REPORTER) ? PROJECT_REPORTER : 'spec',
    // The output goes to a log or a browser console, where colour codes are noise.
    color: false,
    timeout: 60_000,
  });
  const grep = process.env.SEQMODEL_VSCODE_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js suites in ${__dirname}: run scripts/build-tests.mjs`);
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
