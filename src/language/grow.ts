/** A copy of a typed array's first `used` elements in a new one of `length` (the lists that grow as a parse, a lexer or the formatter goes). */
export function grown<T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(array: T, length: number, used: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array.subarray(0, used));
  return bigger;
}
