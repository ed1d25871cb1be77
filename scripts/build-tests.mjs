// Bundles the mocha suites that run inside VS Code's extension host (test/vscode/**) into
// out/test/vscode/, one CommonJS file per entry: index.js (the runner VS Code loads as
// extensionTestsPath) and one *.test.js per suite, which index.js finds next to itself.
// `vscode` is provided by the host; mocha is loaded from node_modules at run time because it
// resolves reporters and interfaces dynamically.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const srcDir = path.join(root, 'test/vscode');
const outDir = path.join(root, 'out/test/vscode');

const entryPoints = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
  .map((f) => path.join(srcDir, f));

// Stale suites from deleted sources would otherwise still run.
rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outbase: srcDir,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} extension-host test entries into ${path.relative(root, outDir)}/`);
