// Bundles every entry point into dist/. One esbuild call per target platform:
// Node entry points (CLI, language server, extension, training worker) are CommonJS
// bundles; the extension keeps `vscode` external because the host provides it.
import * as esbuild from 'esbuild';
import { existsSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeEntries = {
  cli: 'src/cli/main.ts',
  server: 'src/server/main.ts',
  extension: 'src/extension/extension.ts',
  worker: 'src/training/worker.ts',
  predict: 'src/training/predictWorker.ts',
  // The fused kernels' second thread, which both workers start (src/training/fused/threadHost.ts).
  'kernel-thread': 'src/training/fused/kernelThread.ts',
  // The engine alone, as it ships inside the others: what bench/engine.ts measures.
  engine: 'src/language/index.ts',
};

/**
 * The packages the Node bundles load at run time instead of bundling: the CLI's and the
 * workers' npm dependencies (package.json `dependencies`), and what the .vsix ships of
 * node_modules (scripts/package-vsix.mjs, from the metafile written below).
 */
const RUNTIME_PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node'];

/**
 * Marks exactly these package names external. Unlike esbuild's `external`, their deeper paths
 * are bundled: tfjs-core's gradients and chained ops exist only as ES modules under dist/
 * (src/training/tf.ts), which Node could not `require`; they register into tfjs's globals.
 */
function externalPackages(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.-]/g, '\\$&')).join('|')})$`);
  return { name: 'external-packages', setup: (build) => build.onResolve({ filter }, (args) => ({ path: args.path, external: true })) };
}

const entryPoints = Object.fromEntries(
  Object.entries(nodeEntries).filter(([, file]) => existsSync(file)),
);

const options = {
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  // `vscode` is the host's. TensorFlow.js stays external: Node loads it at run time from
  // node_modules (one tfjs-core instance, which the wasm and optional native backends register
  // with); see RUNTIME_PACKAGES.
  external: ['vscode'],
  plugins: [externalPackages(RUNTIME_PACKAGES)],
  logLevel: 'info',
  // dist/metafile.json: which bundle imports which external package, for scripts/package-vsix.mjs.
  metafile: true,
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const { metafile } = await esbuild.build(options);
  writeFileSync('dist/metafile.json', JSON.stringify(metafile));
}

// The fused recurrent kernels' WebAssembly (loaded at run time from dist/, next to the bundles).
const { buildWasm } = await import('./build-wasm.mjs');
await buildWasm();
// Their native AVX2 build where this machine can compile it (skipped with a line otherwise).
const { buildNative } = await import('./build-native.mjs');
buildNative();

// The webview bundles (browser targets: loss, prediction, summary) have their own script; the
// playground's (dist/playground/, a static web app) builds them too.
if (watch) {
  const { buildWebview } = await import('./build-webview.mjs');
  await buildWebview({ watch, production });
} else {
  const { buildPlayground } = await import('./build-playground.mjs');
  await buildPlayground({ production });
}
