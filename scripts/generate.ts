// Rewrites the files derived from the layer registry (see scripts/generated.ts).
// Usage: npm run generate
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED } from './generated';

const root = join(__dirname, '..');
for (const { file, generate } of GENERATED) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = generate(before);
  if (after !== before) writeFileSync(path, after);
  console.log(`${after === before ? 'unchanged' : 'updated  '} ${file}`);
}
