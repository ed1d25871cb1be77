// Bundles the webviews (loss, prediction, summary) for the browser: one IIFE script and one
// stylesheet per panel under dist/webview/, loaded by the page src/extension/panels/html.ts produces. Run on
// its own (`node scripts/build-webview.mjs [--watch] [--production]`) or from scripts/build.mjs.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const webviewPanels = ['loss', 'prediction', 'summary', 'compare'];

export async function buildWebview({ watch = false, production = false } = {}) {
  const entryPoints = Object.fromEntries(
    webviewPanels
      .map((panel) => [panel, path.join(root, 'webview', panel, 'main.ts')])
      .filter(([, file]) => existsSync(file)),
  );
  const options = {
    entryPoints,
    outdir: path.join(root, 'dist', 'webview'),
    bundle: true,
    platform: 'browser',
    // A classic script: the page loads it with <script nonce src>, no module loader needed.
    format: 'iife',
    // VS Code 1.91's Electron ships Chromium 124.
    target: 'chrome124',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
    // Some dependencies branch on NODE_ENV; the browser has no `process`.
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    return ctx;
  }
  return esbuild.build(options);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWebview({ watch: process.argv.includes('--watch'), production: process.argv.includes('--production') });
}
