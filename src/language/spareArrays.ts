// Typed arrays the engine's per-version structures no longer read, kept for the next version's.
// Typing in a megabyte rebuilds some structures whole on each keystroke (a long model's walk
// columns, the parse's problem lists): each made new typed arrays of hundreds of kilobytes and
// left the last version's as garbage outside V8's heap, which V8 collects only once such memory
// has grown by 64 MB, so the language server's resident memory carried tens of megabytes of it.
// A structure that knows the last version's arrays are dead (its analysis spent) gives them
// back here, and the next one takes them. Bounded: a few versions' worth.

type Spare = Int32Array | Float64Array | Uint8Array;

const spare: Spare[] = [];
const MAX_SPARE = 32;
const MAX_SPARE_BYTES = 48 << 20;
/** Shorter arrays are cheap to make and not worth the search. */
const MIN_SPARE_LENGTH = 1024;

/** A spare array of this kind with room for `length` values and not more than about twice that (its contents are the last user's). */
function spareArray<T extends Spare>(kind: new (length: number) => T, length: number): T | undefined {
  let best = -1;
  for (let k = 0; k < spare.length; k++) {
    const a = spare[k];
    if (!(a instanceof kind) || a.length < length || a.length > 2 * length + 64) continue;
    if (best < 0 || a.length < spare[best].length) best = k;
  }
  if (best < 0) return undefined;
  const array = spare[best] as T;
  spare.splice(best, 1);
  return array;
}

/** How many arrays of a spare's size were made anew rather than taken (read by the tests). */
let made = 0;

export function arraysMade(): number {
  return made;
}

/** An array with room for `length` values: a spare one, or a new one with a thirty-second more room (for the next version, a little longer). */
export function arrayFor<T extends Spare>(kind: new (length: number) => T, length: number): T {
  const taken = spareArray(kind, length);
  if (taken) return taken;
  if (length < MIN_SPARE_LENGTH) return new kind(length);
  made++;
  return new kind(length + (length >> 5));
}

/** Gives back an array nothing will read again; the oldest spares are dropped to stay within bounds. */
export function giveBack(array: Spare): void {
  if (array.length < MIN_SPARE_LENGTH || array.byteLength > MAX_SPARE_BYTES) return;
  spare.push(array);
  let bytes = 0;
  for (const a of spare) bytes += a.byteLength;
  while (spare.length > MAX_SPARE || bytes > MAX_SPARE_BYTES) bytes -= spare.shift()!.byteLength;
}
