// The layer registry is the one list of layers: the trainer has a builder for each of them and
// for nothing else, so a layer added to the engine cannot reach training without one.
import { strict as assert } from 'node:assert';
import { LAYERS } from '../../src/language';
import { BUILDERS } from '../../src/training/builders';

describe('training/builders: one tfjs builder per registered layer', () => {
  it('has a builder for every layer of the registry', () => {
    const missing = [...LAYERS.keys()].filter((name) => !BUILDERS.has(name));
    assert.deepEqual(missing, []);
  });
  it('has no builder for a layer the engine does not know', () => {
    const unknown = [...BUILDERS.keys()].filter((name) => !LAYERS.has(name));
    assert.deepEqual(unknown, []);
  });
});
