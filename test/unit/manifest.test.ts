import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/engine';

// The extension manifest is behaviour too: what runs in Restricted Mode, what activates the
// extension, which commands exist. A slip here is invisible until a user meets it.

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; enablement?: string }[];
    menus: { commandPalette: { command: string; when?: string }[]; 'view/item/context'?: { command: string; when?: string }[] };
    views?: Record<string, { id: string }[]>;
    viewsWelcome?: { view: string; when?: string }[];
    configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[];
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const RUNS_CODE = ['seqmodel.train', 'seqmodel.trainAll', 'seqmodel.predict'];

describe('extension manifest', () => {
  it('language features work in untrusted workspaces; training is limited to trusted ones', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const id of RUNS_CODE) {
      const command = manifest.contributes.commands.find((c) => c.command === id);
      assert.ok(command, `${id} is contributed`);
      assert.match(command!.enablement ?? '', /isWorkspaceTrusted/, `${id} is disabled in Restricted Mode`);
      const palette = manifest.contributes.menus.commandPalette.find((m) => m.command === id);
      assert.match(palette?.when ?? '', /isWorkspaceTrusted/, `${id} is hidden from the palette in Restricted Mode`);
    }
    const properties = Object.keys([manifest.contributes.configuration].flat().reduce((all, c) => ({ ...all, ...c.properties }), {}));
    const training = properties.filter((p) => p.startsWith('seqmodel.training.'));
    assert.ok(training.length > 0);
    assert.deepEqual([...(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), training.sort());
  });
  it('activates only for the language, its commands and its panels', () => {
    for (const e of manifest.activationEvents) assert.match(e, /^(onLanguage:seqmodel|onCommand:seqmodel\.|onWebviewPanel:seqmodel\.|onView:seqmodel\.)/);
    for (const c of manifest.contributes.commands) assert.ok(manifest.activationEvents.includes(`onCommand:${c.command}`), `${c.command} activates the extension`);
  });
  it('contributes the Runs view with run actions that Restricted Mode allows, and Predict only when trusted', () => {
    const views = Object.values(manifest.contributes.views ?? {}).flat();
    assert.ok(views.some((v) => v.id === 'seqmodel.runs'), 'the seqmodel.runs view');
    const items = manifest.contributes.menus['view/item/context'] ?? [];
    for (const item of items) assert.match(item.when ?? '', /view == seqmodel\.runs/, `${item.command} is shown in the Runs view only`);
    const predict = manifest.contributes.commands.find((c) => c.command === 'seqmodel.runs.predict');
    assert.match(predict?.enablement ?? '', /isWorkspaceTrusted/, 'Predict with This Run is disabled in Restricted Mode');
    for (const id of ['seqmodel.runs.openLoss', 'seqmodel.runs.compare', 'seqmodel.runs.delete', 'seqmodel.runs.pin']) {
      assert.doesNotMatch(manifest.contributes.commands.find((c) => c.command === id)?.enablement ?? '', /isWorkspaceTrusted/, `${id} works in Restricted Mode`);
      assert.ok(items.some((i) => i.command === id), `${id} is a run action`);
    }
    const welcome = manifest.contributes.viewsWelcome ?? [];
    assert.ok(welcome.some((w) => w.view === 'seqmodel.runs' && /workbenchState == empty/.test(w.when ?? '')), 'a welcome text for no folder open');
  });
  it('points main at the bundled extension', () => {
    assert.equal(manifest.main, './dist/extension.js');
  });
});
