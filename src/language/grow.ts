/** A copy of a typed array's first `used` elements in a new one of `length` (the lists that grow as a parse, a lexer or the formatter goes). */
export function grown<T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(array: T, length: number, used: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array.subarray(0, used));
  return bigger;
}

/**
 * Items [start, end) of `from` in a new list with room for `expected` items in all, so that the
 * items pushed after them do not copy the list again. The walk after an edit in the middle of
 * 100,000 layers begins with the 50,000 layers before the edit: a slice has exactly their room,
 * so the first push copied all of them into a list half as long again (and the next growth once
 * more), each copy a fresh block of the large-object space, for every list the walk keeps
 * (layers, calls, automatic names, shapes).
 *
 * A list with room is made as a longer slice of `from` (a copy in bulk, not an item at a time:
 * `new Array(n)` filled by a loop was several times slower, and past 100,000 items V8 makes such
 * a list a dictionary) then shortened: V8 keeps the room when at least about half of it stays
 * used, and trims it otherwise, so the room asked for is at most about twice the items (beyond
 * it the list grows as any list does). Only the cost depends on that: the list is the same
 * either way.
 */
export function sliceWithRoom<T>(from: readonly T[], start: number, end: number, expected: number): T[] {
  const n = end - start;
  const room = Math.min(expected, 2 * n + 15, from.length - start);
  if (n < 64 || room <= n) return from.slice(start, end);
  const list = from.slice(start, start + room);
  list.length = n;
  return list;
}

/**
 * `list` with items [start, end) of `from` after it: pushed onto the list itself when it is at
 * least as long as what is added (a list begun by sliceWithRoom has room for as many, so
 * nothing is copied but the items), else one new list (pushed onto a short list, 95,000 items
 * made it grow and copy itself a dozen times).
 */
export function appendRange<T>(list: T[], from: readonly T[], start: number, end: number): T[] {
  if (end - start > list.length) return list.concat(from.slice(start, end));
  for (let j = start; j < end; j++) list.push(from[j]);
  return list;
}
