// Where two versions of a text differ: their common beginning and end. An edit's analysis
// (incremental.ts) and the formatter's kept layout (layoutMemory.ts) find the changed part of
// a megabyte this way after each keystroke.

/** Characters compared at once: comparing two slices is a memory comparison, far faster than a loop over characters. */
const CHUNK = 4096;

/** The length of the longest common beginning of two texts. */
export function commonStart(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p + CHUNK <= max && a.slice(p, p + CHUNK) === b.slice(p, p + CHUNK)) p += CHUNK;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the longest common end of two texts, at most `max`. */
export function commonEnd(a: string, b: string, max: number): number {
  let s = 0;
  while (s + CHUNK <= max && a.slice(a.length - s - CHUNK, a.length - s) === b.slice(b.length - s - CHUNK, b.length - s)) s += CHUNK;
  while (s < max && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}
