import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from './lsp-client';
import { ROOT } from '../helpers/engine';
import { NATIVE_FILE, WASM_FILES } from '../../src/training/fused/simd/module';
import { KERNEL_THREAD_FILE } from '../../src/training/fused/threadHost';

// What the .vsix ships of node_modules is derived from the build's metafile
// (scripts/package-vsix.mjs): exactly the packages the workers require, each with the Node
// entry file Node will load, the files those load, and the wasm binaries. (The unpacked .vsix
// running in code-server is test/vsix/runPackaged.ts.)

describe('.vsix contents from the metafile', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('ships the TensorFlow.js packages the workers load, and what they load, nothing else', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package-vsix.mjs'), '--list'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { packages, files } = JSON.parse(run.stdout) as { packages: string[]; files: string[] };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // The workers need every runtime dependency, and nothing that is not one.
    assert.deepEqual(packages, Object.keys(pkg.dependencies).sort());
    for (const name of packages) {
      const dir = `node_modules/${name}`;
      const main = (JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { main: string }).main;
      assert.ok(files.includes(`${dir}/package.json`), `${name}'s package.json`);
      assert.ok(files.includes(join(dir, main)), `${name}'s Node entry ${main}`);
    }
    assert.ok(files.some((f) => f.endsWith('/tfjs-backend-wasm.wasm')), 'the wasm binary');
    assert.ok(files.includes('node_modules/seedrandom/index.js'), "tfjs-core's own dependencies");
    assert.ok(!files.some((f) => /tfjs-node|vscode-languageserver|uplot|tfjs-backend-webgl|tfjs-converter/.test(f)), 'nothing bundled, optional or unused');
    for (const f of files) assert.ok(existsSync(join(ROOT, f)), f);
  });

  it('ships the files the workers load from dist/ by path: the kernel thread and the kernels\' two WebAssembly binaries, and their native build', () => {
    const shipped = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const file of ['worker.js', 'predict.js', KERNEL_THREAD_FILE, ...WASM_FILES]) {
      assert.ok(shipped.includes(`!dist/${file}`), `.vscodeignore ships dist/${file}`);
      assert.ok(existsSync(join(ROOT, 'dist', file)), `the build makes dist/${file}`);
    }
    // Only where the build machine could compile it (scripts/build-native.mjs); vsce leaves out a listed file that is not there.
    assert.ok(shipped.includes(`!dist/${NATIVE_FILE}`), `.vscodeignore ships dist/${NATIVE_FILE}`);
  });

  it('the extension host, the language server, the CLI process and the engine load no TensorFlow.js (the workers do)', () => {
    const metafile = JSON.parse(readFileSync(join(ROOT, 'dist', 'metafile.json'), 'utf8')) as { outputs: Record<string, { imports: { path: string }[]; inputs: Record<string, unknown> }> };
    for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/engine.js']) {
      const output = metafile.outputs[bundle];
      assert.ok(output, bundle);
      assert.deepEqual(output.imports.filter((i) => i.path.includes('@tensorflow')), [], `${bundle} requires TensorFlow.js`);
      assert.deepEqual(Object.keys(output.inputs).filter((i) => i.includes('@tensorflow') || i.startsWith('src/training/tf')), [], `${bundle} bundles TensorFlow.js`);
    }
  });
});
