import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './engine';

/**
 * Runs test/helpers/<helper>.ts in a child Node with V8's gc exposed (a test measuring what is
 * kept alive needs full collections, which mocha's process does not offer) and returns the JSON
 * it prints; fails the test with the child's errors when it fails.
 */
export function runWithGc<T>(helper: string, ...args: string[]): T {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'test', 'helpers', `${helper}.ts`), ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}
