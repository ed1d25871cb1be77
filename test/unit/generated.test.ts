// Files derived from the layer registry must be what `npm run generate` makes of them: a layer
// added to the registry without regenerating fails here, naming the file.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED, generateGrammar, layerTable } from '../../scripts/generated';
import { LAYERS } from '../../src/language';
import { ROOT } from '../helpers/engine';

describe('files generated from the layer registry', () => {
  for (const { file, generate } of GENERATED) {
    it(`${file} is up to date (npm run generate)`, () => {
      const committed = readFileSync(join(ROOT, file), 'utf8');
      assert.ok(generate(committed) === committed, `${file} differs from the layer registry: run npm run generate`);
    });
  }

  it('the grammar matches exactly the layer names, not a prefix or a longer word', () => {
    const grammar = JSON.parse(generateGrammar(readFileSync(join(ROOT, 'syntaxes/seqmodel.tmLanguage.json'), 'utf8')));
    const re = new RegExp(grammar.repository.layers.match, 'g');
    assert.deepEqual('LSTM GRUs Dense1 xConv1D Conv1d'.match(re), ['LSTM', 'Conv1d']);
  });

  it('the layer table has one row per layer with its category', () => {
    const rows = layerTable().split('\n').slice(2);
    assert.equal(rows.length, LAYERS.size);
    for (const [name, spec] of LAYERS) assert.ok(rows.some((r) => r.startsWith(`| \`${name}\``) && r.includes(` | ${spec.category} | `)), name);
  });

  it('a regenerated grammar differs when a name is missing', () => {
    const committed = readFileSync(join(ROOT, 'syntaxes/seqmodel.tmLanguage.json'), 'utf8');
    const stale = committed.replace('|TimeDistributed|', '|');
    assert.notEqual(stale, committed);
    assert.equal(generateGrammar(stale), committed);
  });
});
