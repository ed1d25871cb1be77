import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, LAYERS } from '../../src/language';
import { ROOT } from '../helpers/engine';

// The documentation lists what the engine implements: a new code or layer without its line in
// docs/ fails here.

describe('docs stay in step with the engine', () => {
  it('docs/diagnostics.md documents every diagnostic code', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8');
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !doc.includes('`' + c + '`'));
    assert.deepEqual(missing, []);
  });
  it('docs/language.md lists every layer', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'language.md'), 'utf8');
    const missing = [...LAYERS.keys()].filter((l) => !doc.includes('`' + l + '`'));
    assert.deepEqual(missing, []);
  });
});
