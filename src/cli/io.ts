import { readFileSync, statSync } from 'node:fs';
import { MAX_DOCUMENT_CHARS } from '../language';
import { escapeControl } from '../language';
import { UsageError } from './errors';

/** The largest .seqmodel file read, in bytes: a file the engine would refuse anyway (docs/cli.md). */
export const MAX_SOURCE_BYTES = MAX_DOCUMENT_CHARS;

/** The largest file `seqmodel import` reads whole: a .keras zip carries the weights beside its config. */
export const MAX_IMPORT_BYTES = 1 << 30;

/**
 * Reads a .seqmodel file, turning every I/O failure into a plain sentence. Only a regular file
 * of at most MAX_SOURCE_BYTES is read: /dev/zero would be read forever, a FIFO would block.
 * A byte-order mark is dropped, as editors do, so columns match theirs.
 */
export function readSource(file: string): string {
  const text = readChecked(file, MAX_SOURCE_BYTES, '.seqmodel files', () => readFileSync(file, 'utf8'));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The bytes of a file to import (a .keras zip), with the same checks and plain-sentence errors. */
export function readBytes(file: string): Uint8Array {
  return readChecked(file, MAX_IMPORT_BYTES, 'files to import', () => readFileSync(file));
}

function readChecked<T>(file: string, maxBytes: number, what: string, read: () => T): T {
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file.`, 'file');
    if (code === 'EACCES') throw new UsageError(`${file}: permission denied.`, 'file');
    throw new UsageError(`${file}: cannot read it (${(e as Error).message}).`, 'file');
  }
  if (stat.isDirectory()) throw new UsageError(`${file}: is a folder, not a file.`, 'file');
  if (!stat.isFile()) throw new UsageError(`${file}: is not a regular file (a device, pipe or socket); seqmodel reads ${what} only.`, 'file');
  if (stat.size > maxBytes) {
    throw new UsageError(`${file}: is ${stat.size.toLocaleString('en-US')} bytes; seqmodel reads ${what} of up to ${maxBytes.toLocaleString('en-US')} bytes (${Math.round(maxBytes / 2 ** 20)} MB).`, 'file');
  }
  try {
    return read();
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as Error).message}).`, 'file');
  }
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The terminal: a file's text is shown, never obeyed (an escape sequence could set the title or erase lines). */
export const processOutput: Output = {
  out: (t) => process.stdout.write(escapeControl(t) + '\n'),
  err: (t) => process.stderr.write(escapeControl(t) + '\n'),
};
