// Temporary folders for tests: each made fresh under the system's temp folder and removed with
// everything in it afterwards, so no test sees another's files or leaves its own behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A new empty folder, `<tmp>/seqmodel-<name>-XXXXXX`. */
export function makeTempDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `seqmodel-${name}-`));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary folder for the tests of the enclosing `describe`: one for them all, or a new one
 * for each test with `{ each: true }` (made in before/beforeEach, removed in after/afterEach; a
 * hook registered after this call sees it). Returns a getter: the folder exists once the hook ran.
 */
export function useTempDir(name: string, options: { each?: boolean } = {}): () => string {
  let dir: string | undefined;
  const make = () => {
    dir = makeTempDir(name);
  };
  const remove = () => {
    if (dir !== undefined) removeTempDir(dir);
    dir = undefined;
  };
  if (options.each) {
    beforeEach(make);
    afterEach(remove);
  } else {
    before(make);
    after(remove);
  }
  return () => {
    if (dir === undefined) throw new Error(`the temporary folder '${name}' is read outside the tests it was made for`);
    return dir;
  };
}

/**
 * A maker of temporary folders, a new one each call, all removed after the enclosing `describe`
 * (after the whole run when called outside any).
 */
export function tempDirMaker(name: string): () => string {
  const made: string[] = [];
  after(() => made.splice(0).forEach(removeTempDir));
  return () => {
    const dir = makeTempDir(name);
    made.push(dir);
    return dir;
  };
}

/** Runs `body` with a new temporary folder, removed afterwards however `body` ends. */
export async function withTempDir<T>(name: string, body: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = makeTempDir(name);
  try {
    return await body(dir);
  } finally {
    removeTempDir(dir);
  }
}
