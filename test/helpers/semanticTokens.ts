/** Absolute [line, character, length, type, modifiers] tokens from the relative LSP encoding of semantic tokens. */
export function decodeSemanticTokens(data: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] ? data[i + 1] : char + data[i + 1];
    out.push([line, char, data[i + 2], data[i + 3], data[i + 4]]);
  }
  return out;
}
