import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WALKTHROUGH_ID } from '../../src/extension/newModel/walkthroughId';
import { MEDIA_DIR, walkthroughMedia } from '../../scripts/make-walkthrough-media';
import { ROOT } from '../helpers/engine';

// The Getting Started walkthrough is data in package.json: a button naming a command that does
// not exist, or an image that is not shipped, shows up only as a dead link in front of a new
// user. Every step is checked here, and the pictures against the engine that draws them.

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: {
    commands: { command: string }[];
    walkthroughs: { id: string; title: string; steps: Step[] }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
};
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
/** VS Code's own commands a step may use (the quick fix menu at the cursor). */
const BUILT_IN = new Set(['editor.action.quickFix']);
const vscodeignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');

/** The command links of a step's description: [label](command:id?args). */
function commandLinks(description: string): { id: string; args?: unknown }[] {
  return [...description.matchAll(/\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map((m) => ({ id: m[1], ...(m[2] ? { args: JSON.parse(decodeURIComponent(m[2])) } : {}) }));
}

describe('Getting Started walkthrough', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const steps = walkthrough.steps;

  it('walks through opening an example, hover, quick fix, training, comparing runs and Export to Keras', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}#${walkthrough.id}`, WALKTHROUGH_ID, 'SeqModel: Getting Started opens this walkthrough');
    assert.deepEqual(steps.map((s) => s.id), ['newModel', 'hover', 'quickFix', 'train', 'compare', 'exportKeras']);
  });

  for (const step of manifest.contributes.walkthroughs[0].steps) {
    it(`step "${step.title}": its buttons and completion events name real commands, its image ships`, () => {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, 'a button that does it');
      for (const link of links) {
        assert.ok(contributed.has(link.id) || BUILT_IN.has(link.id), `${link.id} is a command`);
        if (link.args !== undefined) assert.ok(Array.isArray(link.args), 'command link arguments are a JSON array');
      }
      for (const event of step.completionEvents ?? []) {
        const [kind, id] = event.split(':');
        assert.equal(kind, 'onCommand');
        assert.ok(contributed.has(id), `${event} names a contributed command`);
      }
      const image = step.media.image;
      assert.ok(image, 'an image');
      assert.ok(existsSync(join(ROOT, image)), `${image} exists`);
      assert.ok(step.media.altText && step.media.altText.length > 20, 'a description of the image for screen readers');
      const shipped = vscodeignore.split('\n').some((line) => line === `!${image}` || (line.startsWith('!') && new RegExp(`^${line.slice(1).replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(image)));
      assert.ok(shipped, `${image} is listed in .vscodeignore, so the .vsix holds it`);
    });
  }

  it('opens the templates the New Model File command knows', () => {
    const templates = steps.flatMap((s) => commandLinks(s.description)).filter((l) => l.id === 'seqmodel.newModelFile' && l.args);
    assert.deepEqual(templates.map((l) => (l.args as string[])[0]), ['forecasting', 'fix-shapes']);
  });

  it('has illustrations that match what the engine draws now, each well-formed XML', () => {
    for (const [name, content] of Object.entries(walkthroughMedia())) {
      // An <img> refuses an SVG that is not XML (the HTML parser of an inline <svg> would not):
      // every tag's attributes are unique, every & is an entity.
      for (const tag of content.match(/<[a-z][^>]*>/g) ?? []) {
        const names = [...tag.matchAll(/\s([\w:-]+)=/g)].map((m) => m[1]);
        assert.equal(new Set(names).size, names.length, `${name}: a repeated attribute in ${tag}`);
      }
      assert.doesNotMatch(content, /&(?!(amp|lt|gt|quot|apos);)/, `${name}: a bare &`);
      assert.equal(readFileSync(join(MEDIA_DIR, name), 'utf8'), content, `media/walkthrough/${name} is out of date: run npx tsx scripts/make-walkthrough-media.ts`);
    }
  });

  it('offers New Model File in File > New File, and Compare in Table on runs in the Runs view', () => {
    assert.deepEqual(manifest.contributes.menus['file/newFile'], [{ command: 'seqmodel.newModelFile', group: 'file' }]);
    const table = manifest.contributes.menus['view/item/context'].find((m) => m.command === 'seqmodel.compareRunsTable');
    assert.equal(table?.when, 'view == seqmodel.runs && viewItem =~ /^run/');
  });
});
