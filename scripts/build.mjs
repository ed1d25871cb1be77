// Bundles every entry point into dist/. One esbuild call per target platform:
// Node entry points (CLI, language server, extension, training worker) are CommonJS
// bundles; the extension keeps `vscode` external because the host provides it.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeEntries = {
  cli: 'src/cli/main.ts',
  server: 'src/server/main.ts',
  extension: 'src/extension/extension.ts',
  worker: 'src/training/worker.ts',
  predict: 'src/training/predictWorker.ts',
  // The engine alone, as it ships inside the others: what bench/engine.ts measures.
  engine: 'src/language/index.ts',
};

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
  // Native or optional backends are resolved at run time, never bundled.
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs'],
  logLevel: 'info',
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}

// The fused recurrent kernels' WebAssembly (loaded at run time from dist/, next to the bundles).
const { buildWasm } = await import('./build-wasm.mjs');
await buildWasm();

// The webview bundles (browser targets: loss, prediction, summary) have their own script; the
// playground's (dist/playground/, a static web app) builds them too.
if (watch) {
  const { buildWebview } = await import('./build-webview.mjs');
  await buildWebview({ watch, production });
} else {
  const { buildPlayground } = await import('./build-playground.mjs');
  await buildPlayground({ production });
}
