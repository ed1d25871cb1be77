import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './errors';

/** Reads a .seqmodel file, turning every I/O failure into a plain sentence. */
export function readSource(file: string): string {
  return readChecked(file, () => readFileSync(file, 'utf8'));
}

/** The bytes of a file (a .keras zip), with the same plain-sentence errors. */
export function readBytes(file: string): Uint8Array {
  return readChecked(file, () => readFileSync(file));
}

function readChecked<T>(file: string, read: () => T): T {
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file.`);
    if (code === 'EACCES') throw new UsageError(`${file}: permission denied.`);
    throw new UsageError(`${file}: cannot read it (${(e as Error).message}).`);
  }
  if (stat.isDirectory()) throw new UsageError(`${file}: is a folder, not a file.`);
  try {
    return read();
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as Error).message}).`);
  }
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};
