import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../helpers/engine';
import { useTempDir } from '../helpers/temp-dir';

// `npm run lint` enforces the layering of docs/architecture.md. These tests show that it
// catches what it forbids: a small project laid out like this one, with one wrong import per
// rule (and the imports the rules allow), is cruised with the repository's own rules; and the
// engine's TypeScript settings reject Node and DOM globals in it.

/** A file of the probe project and the imports it makes. */
const PROBE: Record<string, string[]> = {
  'src/language/index.ts': ["export * from './parser';"],
  'src/language/parser.ts': ['export const parse = 1;'],
  'src/language/leak.ts': ["import { readFileSync } from 'node:fs';", "import { hover } from '../server/hover';", "import * as tf from '@tensorflow/tfjs-core';", 'export { readFileSync, hover, tf };'],
  'src/server/hover.ts': ["import { parse } from '../language/parser';", "import { host } from '../extension/host';", "import { analyze } from '../language';", 'export const hover = [parse, host, analyze];'],
  'src/extension/host.ts': ["import { page } from '../../webview/page';", "import type { Message } from '../../webview/protocol';", "import * as tf from '@tensorflow/tfjs-core';", "import * as vscode from 'vscode';", 'export const host = [page, tf, vscode] as unknown as Message;'],
  'src/training/train.ts': ["import { hover } from '../server/hover';", "import * as tf from '@tensorflow/tfjs-core';", "import seedrandom from 'seedrandom';", "import { pad } from 'no-such-package';", 'export const train = [hover, tf, seedrandom, pad];'],
  'src/cli/main.ts': ["import { host } from '../extension/host';", "import { parse } from '../language';", 'export const cli = [host, parse];'],
  'webview/protocol.ts': ['export type Message = { type: string };'],
  'src/training/report.ts': ['export type Report = { loss: number };'],
  'webview/page.ts': ["import { join } from 'node:path';", "import * as vscode from 'vscode';", "import { host } from '../src/extension/host';", "import { parse } from '../src/language';", "import type { Report } from '../src/training/report';", "import type { Message } from './protocol';", 'export const page = [join, vscode, host, parse] as unknown as Message & Report;'],
};

/** Every violation the probe must produce, as "rule: from → to" (a package or Node module by its name). */
const EXPECTED = [
  'engine-is-self-contained: src/language/leak.ts → fs',
  'engine-is-self-contained: src/language/leak.ts → src/server/hover.ts',
  'engine-is-self-contained: src/language/leak.ts → @tensorflow/tfjs-core',
  'tfjs-only-in-training: src/language/leak.ts → @tensorflow/tfjs-core',
  'engine-through-its-entry: src/server/hover.ts → src/language/parser.ts',
  'server-adapts-the-engine: src/server/hover.ts → src/extension/host.ts',
  'host-code-not-under-webview: src/extension/host.ts → webview/page.ts',
  'tfjs-only-in-training: src/extension/host.ts → @tensorflow/tfjs-core',
  'training-is-not-an-editor: src/training/train.ts → src/server/hover.ts',
  'declared-packages-only: src/training/train.ts → seedrandom',
  'resolvable: src/training/train.ts → no-such-package',
  'cli-is-not-the-extension: src/cli/main.ts → src/extension/host.ts',
  'webview-is-browser-code: webview/page.ts → path',
  'vscode-only-in-the-extension: webview/page.ts → vscode',
  'webview-talks-by-messages: webview/page.ts → src/extension/host.ts',
  'webview-types-from-training-only: webview/page.ts → src/extension/host.ts',
];

interface CruiseResult {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  modules: { source: string; dependencies: { module: string; resolved: string }[] }[];
}

describe('layering (npm run lint)', function () {
  this.timeout(120_000);
  let dir: string;
  const probeDir = useTempDir('layering');

  before(() => {
    dir = probeDir();
    for (const [file, lines] of Object.entries(PROBE)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), lines.join('\n') + '\n');
    }
    // The probe resolves packages as the project does, against the project's declarations.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    const declared = { dependencies: { '@tensorflow/tfjs-core': '*' }, devDependencies: { '@types/vscode': '*' } };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', ...declared }));
    // The repository's rules, resolving through the link instead of to the repository's files.
    const rules = JSON.stringify(join(ROOT, '.dependency-cruiser.cjs'));
    writeFileSync(join(dir, '.dependency-cruiser.cjs'), `module.exports = { extends: ${rules}, options: { preserveSymlinks: true } };\n`);
  });

  it('the dependency rules catch one wrong import of each kind, and only those', () => {
    const cli = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const run = spawnSync(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'src', 'webview'], { cwd: dir, encoding: 'utf8' });
    assert.ok(run.stdout, run.stderr);
    const result = JSON.parse(run.stdout) as CruiseResult;
    // A package or Node module as the import names it, a project file by its path.
    const written = (from: string, resolved: string) =>
      result.modules.find((m) => m.source === from)?.dependencies.find((d) => d.resolved === resolved)?.module ?? resolved;
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${/^(src|webview)\//.test(v.to) ? v.to : written(v.from, v.to)}`);
    assert.deepEqual([...found].sort(), [...EXPECTED].sort());
    // As npm run lint runs it: a violation fails the command.
    const lint = spawnSync(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'webview/page.ts'], { cwd: dir, encoding: 'utf8' });
    assert.notEqual(lint.status, 0);
    assert.match(lint.stdout, /error webview-is-browser-code: webview\/page\.ts → path/);
  });

  it('the engine is type-checked without Node or DOM', () => {
    const errors = (part: string, code: string): string[] => {
      const file = join(dir, part, 'probe-globals.ts');
      writeFileSync(file, code);
      const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, part, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      const program = ts.createProgram({ rootNames: [file], options: { ...config!.options, noEmit: true } });
      return program.getSemanticDiagnostics(program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    const engine = errors('src/language', 'export const a = process.env.HOME;\nexport const b = document.title;\nexport const c = new Map<string, number>();\n');
    assert.equal(engine.length, 2, engine.join('\n'));
    assert.match(engine[0], /Cannot find name 'process'/);
    assert.match(engine[1], /Cannot find name 'document'/);
  });
});
