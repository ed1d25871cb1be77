// Where a data file may be read from. Paths in a .seqmodel file are relative to that file's
// folder; a path that leads outside the workspace folder (../../etc/passwd, an absolute path,
// a symbolic link pointing out) is only read with the user's explicit consent, because opening
// a .seqmodel file from someone else must not be a way to read the user's other files.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataError } from './errors';

/** Asked for a file outside the workspace; true lets it be read. */
export type OutsideConsent = (absolutePath: string) => boolean | Promise<boolean>;

export interface FileAccess {
  /** The .seqmodel file's folder: relative data paths resolve against it. */
  baseDir: string;
  /** The workspace folder (defaults to baseDir). */
  workspaceFolder?: string;
  /** Consent to read files outside the workspace: a decision, or a question to ask. Default: refuse. */
  allowOutside?: boolean | OutsideConsent;
}

export function isInsideFolder(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The absolute, link-resolved path of a data file the caller may read, or a DataError saying
 * why not (missing, a folder, outside the workspace without consent). A path outside the
 * workspace is refused before the file system is asked anything about it, so "not found" and
 * "refused" look the same there: a .seqmodel file cannot probe which outside files exist.
 */
export async function resolveDataFile(written: string, access: FileAccess): Promise<string> {
  const resolved = path.resolve(access.baseDir, written);
  const workspace = access.workspaceFolder ?? access.baseDir;
  // Compare real paths too: a workspace reached through a link is still inside.
  const realWorkspace = await fs.realpath(workspace).catch(() => path.resolve(workspace));
  const consent = access.allowOutside;
  const allowed = async (file: string) => (typeof consent === 'function' ? await consent(file) : consent === true);
  const refused = () =>
    new DataError(
      `Refusing to read "${written}": it is outside the workspace folder ${realWorkspace}. ` +
        'Move it into the workspace, or allow reading data files outside it (seqmodel train --allow-outside; VS Code asks first).',
      resolved,
    );

  const inside = isInsideFolder(resolved, path.resolve(workspace)) || isInsideFolder(resolved, realWorkspace);
  if (!inside && !(await allowed(resolved))) throw refused();

  let real: string;
  try {
    real = await fs.realpath(resolved);
  } catch {
    throw new DataError(`Data file "${written}" was not found (looked for ${resolved}).`, resolved);
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new DataError(`Data file "${written}" is not a file (${real}).`, real);
  // A link inside the workspace may lead out of it: that needs consent too.
  if (inside && !isInsideFolder(real, realWorkspace) && !(await allowed(real))) throw refused();
  return real;
}
