// Builds the SeqModel Playground (webview/playground/) into dist/playground/: plain static files
// any web server can serve. The page bundle (monaco-editor, the TextMate highlighting, the
// summary panel host) is an ES module whose heavy, rarely used parts (training: tfjs and its
// wasm) are split into chunks loaded on first use. Workers: the language server
// (src/server/browserMain.ts), monaco's editor worker and the training worker. The summary,
// loss and prediction panels are the webview bundles of build-webview.mjs, copied beside a
// frame page. sw.js caches every file so the page works offline once loaded.
// Run on its own (`node scripts/build-playground.mjs [--production]`) or from scripts/build.mjs.
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildWebview, webviewPanels } from './build-webview.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'webview', 'playground');
export const playgroundDir = path.join(root, 'dist', 'playground');

/**
 * `import examples, { exampleData } from 'seqmodel:examples'`: every examples/*.seqmodel (name →
 * text) and the paths of the data files under examples/data/ (copied beside the page), read at
 * build time.
 */
const examplesPlugin = {
  name: 'seqmodel-examples',
  setup(build) {
    build.onResolve({ filter: /^seqmodel:examples$/ }, () => ({ path: 'examples', namespace: 'seqmodel-examples' }));
    build.onLoad({ filter: /.*/, namespace: 'seqmodel-examples' }, () => {
      const folder = path.join(root, 'examples');
      const files = readdirSync(folder).filter((f) => f.endsWith('.seqmodel')).sort();
      const examples = Object.fromEntries(files.map((f) => [f, readFileSync(path.join(folder, f), 'utf8')]));
      const data = listFiles(path.join(folder, 'data')).map((f) => path.relative(folder, f).split(path.sep).join('/'));
      return {
        contents: `export default ${JSON.stringify(examples)};\nexport const exampleData = ${JSON.stringify(data)};\n`,
        loader: 'js',
        watchFiles: files.map((f) => path.join(folder, f)),
      };
    });
  },
};

/**
 * Node built-ins in a browser bundle: modules the shared training and editor code import for
 * paths the browser never takes (saving runs to disk, reading data files by path, tfjs-node)
 * resolve to a stub that throws if ever called, instead of failing the build.
 */
const nodeStubPlugin = {
  name: 'node-builtins-stub',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not available in a browser`)}); };
module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : fail) });`,
      loader: 'js',
    }));
  },
};

function common(production) {
  return {
    bundle: true,
    platform: 'browser',
    // Browsers of the last two years: top-level await, module workers, CompressionStream.
    target: ['chrome120', 'firefox121', 'safari17'],
    sourcemap: !production,
    // A web page is downloaded and parsed on every visit: always minified (8 MB → ~3 MB).
    minify: true,
    logLevel: 'warning',
    plugins: [nodeStubPlugin],
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  };
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file) : [file];
  });
}

export async function buildPlayground({ production = false } = {}) {
  rmSync(playgroundDir, { recursive: true, force: true });
  mkdirSync(playgroundDir, { recursive: true });
  const base = common(production);
  await Promise.all([
    // The page: an ES module with code splitting, so `import()` of training loads later.
    esbuild.build({
      ...base,
      entryPoints: { playground: path.join(source, 'main.ts') },
      outdir: playgroundDir,
      format: 'esm',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      loader: { '.ttf': 'file', '.wasm': 'file' },
      metafile: true,
      plugins: [examplesPlugin, nodeStubPlugin],
    }),
    // Workers are classic scripts: every browser runs those (module workers came late to Firefox).
    esbuild.build({
      ...base,
      entryPoints: {
        server: path.join(root, 'src', 'server', 'browserMain.ts'),
        'train.worker': path.join(root, 'src', 'training', 'browserWorker.ts'),
        'editor.worker': path.join(root, 'node_modules', 'monaco-editor', 'esm', 'vs', 'editor', 'editor.worker.js'),
        'panels/host': path.join(source, 'panelFrame.ts'),
        sw: path.join(source, 'serviceWorker.ts'),
      },
      outdir: playgroundDir,
      format: 'iife',
    }),
    buildWebview({ production }),
  ]);
  // Files loaded at run time by URL: the grammar the extension ships, the regex engine, the panels.
  copyFileSync(path.join(root, 'syntaxes', 'seqmodel.tmLanguage.json'), path.join(playgroundDir, 'seqmodel.tmLanguage.json'));
  copyFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'), path.join(playgroundDir, 'onig.wasm'));
  copyFileSync(path.join(source, 'index.html'), path.join(playgroundDir, 'index.html'));
  copyFileSync(path.join(root, 'images', 'icon.png'), path.join(playgroundDir, 'icon.png'));
  // The examples' data files, so that examples/weather.seqmodel trains as it is.
  cpSync(path.join(root, 'examples', 'data'), path.join(playgroundDir, 'examples', 'data'), { recursive: true });
  // tfjs's WebAssembly backend, fetched by the training worker (setWasmPaths) on first use.
  const wasmDist = path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  mkdirSync(path.join(playgroundDir, 'tfjs'), { recursive: true });
  for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmDist, file), path.join(playgroundDir, 'tfjs', file));
  const panelSource = path.join(root, 'dist', 'webview');
  for (const panel of webviewPanels) {
    for (const ext of ['js', 'css']) copyFileSync(path.join(panelSource, `${panel}.${ext}`), path.join(playgroundDir, 'panels', `${panel}.${ext}`));
    writeFileSync(path.join(playgroundDir, 'panels', `${panel}.html`), panelPage(panel));
  }
  writeFileSync(path.join(playgroundDir, 'precache.json'), JSON.stringify(precacheList()));
  return sizes();
}

/** The page a panel runs in (an iframe of the playground): host.js stands in for VS Code. */
function panelPage(panel) {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${panel}.css">
    <title>SeqModel ${panel}</title>
  </head>
  <body data-panel="${panel}">
    <main id="app" aria-live="polite"></main>
    <script src="host.js"></script>
    <script src="${panel}.js"></script>
  </body>
</html>
`;
}

/** Every file the page may need offline, with a version that changes whenever one of them does. */
function precacheList() {
  const files = listFiles(playgroundDir)
    .filter((f) => !f.endsWith('.map') && !f.endsWith('sw.js') && !f.endsWith('precache.json'))
    .map((f) => path.relative(playgroundDir, f).split(path.sep).join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(path.join(playgroundDir, file)));
  return { version: hash.digest('hex').slice(0, 16), files: ['./', ...files] };
}

/** Bytes per file (and gzip-compressed), largest first: the figures docs/playground.md reports. */
function sizes() {
  return listFiles(playgroundDir)
    .filter((f) => !f.endsWith('.map'))
    .map((f) => ({ file: path.relative(playgroundDir, f), bytes: statSync(f).size }))
    .sort((a, b) => b.bytes - a.bytes);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildPlayground({ production: process.argv.includes('--production') });
  const total = files.reduce((n, f) => n + f.bytes, 0);
  for (const f of files.slice(0, 12)) console.log(`${(f.bytes / 1024).toFixed(0).padStart(8)} KiB  ${f.file}`);
  console.log(`${(total / 1024).toFixed(0).padStart(8)} KiB  total in dist/playground (${files.length} files)`);
}
