import type { LineIndex } from '../../src/language';

/**
 * Where each line of an index starts, and where its last line ends: what the index answers every
 * conversion from. Two indexes with the same are the same to every caller, however they keep
 * their starts (an edited index may share its predecessor's and move part of them).
 */
export function lineStarts(index: LineIndex): number[] {
  const starts = Array.from({ length: index.lineCount }, (_, i) => index.lineStart(i));
  return [...starts, index.lineEnd(index.lineCount - 1)];
}
