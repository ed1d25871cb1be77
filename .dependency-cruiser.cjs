// The layering of docs/architecture.md as rules over every import (`npm run lint`, run by
// `npm test`). Type-only imports count too: a type from the wrong layer is a dependency all
// the same. test/unit/layering.test.ts shows that each rule catches the import it forbids.

const ENGINE = '^src/language/';
const ENGINE_ENTRY = '^src/language/index\\.ts$';
// The panels' pages. The playground (webview/playground/) is not one: it is the browser's
// counterpart of the extension host, hosting the panels and running the language server and
// training in Web Workers, so it may use their platform-free code; it is still browser code.
const PANELS = '^webview/(?!playground/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-self-contained',
      comment:
        'The engine (src/language) imports nothing outside itself: no other part of the project, no npm package, no Node module (it also runs in the browser), no vscode, no tfjs.',
      severity: 'error',
      from: { path: ENGINE },
      to: { pathNot: ENGINE },
    },
    {
      name: 'engine-through-its-entry',
      comment: 'Everything outside the engine imports it from src/language/index.ts, never from the files behind it.',
      severity: 'error',
      from: { pathNot: ENGINE },
      to: { path: ENGINE, pathNot: ENGINE_ENTRY },
    },
    {
      name: 'webview-is-browser-code',
      comment: 'Webview pages run in a browser: no Node module.',
      severity: 'error',
      from: { path: '^webview/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'webview-talks-by-messages',
      comment:
        'A webview page reaches the extension only through messages (webview/protocol.ts); of the rest of the project it may run only the pure engine, through its entry, and name the types of what the training worker reports (type-only imports, erased from the page).',
      severity: 'error',
      from: { path: PANELS },
      to: { path: '^src/', pathNot: ENGINE_ENTRY, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'webview-types-from-training-only',
      comment: 'Even as types, a page knows nothing of the extension host, the server or the CLI.',
      severity: 'error',
      from: { path: PANELS },
      to: { path: '^src/(extension|server|cli)/' },
    },
    {
      name: 'host-code-not-under-webview',
      comment:
        'The extension host shares only the message types with the pages (webview/protocol.ts); host code (such as the page HTML) lives under src/extension.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^webview/', pathNot: '^webview/(protocol|messageCheck)\\.ts$' },
    },
    {
      name: 'vscode-only-in-the-extension',
      comment: 'Only the extension (and its in-editor tests) run inside VS Code; the server, CLI, training and webview must run without it.',
      severity: 'error',
      from: { pathNot: '^(src/extension|test/vscode|test/e2e)/' },
      to: { path: '^vscode$|node_modules/@types/vscode/' },
    },
    {
      name: 'server-adapts-the-engine',
      comment: 'The language server maps LSP onto the engine; it knows nothing of the extension, the CLI or training.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/(extension|cli|training)/' },
    },
    {
      name: 'cli-is-not-the-extension',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/extension/' },
    },
    {
      name: 'training-is-not-an-editor',
      comment: 'Training runs in a worker process (or the CLI): no editor, server or CLI code.',
      severity: 'error',
      from: { path: '^src/training/' },
      to: { path: '^src/(extension|server|cli)/' },
    },
    {
      name: 'tfjs-only-in-training',
      comment: 'TensorFlow.js is loaded by the training and predict workers only, never by the extension host, the server or a page.',
      severity: 'error',
      from: { path: '^(src|webview)/', pathNot: '^src/training/' },
      to: { path: '@tensorflow/' },
    },
    {
      name: 'declared-packages-only',
      comment: 'Every package imported is declared in package.json (a transitive one may vanish with any update).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      // seqmodel:* are the playground build's virtual modules (scripts/build-playground.mjs).
      to: { couldNotResolve: true, pathNot: '^seqmodel:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
