// Binary search, in one place: the engine keeps its positions in ascending order (statements,
// tokens, line starts, problems, comments, the parse's turns) and finds its way in them by
// one question, "does this entry still come before what I look for?".

/**
 * How many of the indices 0 … length - 1 `holds` is true for, given that it holds for a prefix
 * of them: the first index it fails for (length when it never does), in log₂(length) calls.
 */
export function prefixLength(length: number, holds: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the last item (ordered by start) that starts at or before `offset`, or -1. */
export function lastStartingBy(items: readonly { span: { start: number } }[], offset: number): number {
  return prefixLength(items.length, (i) => items[i].span.start <= offset) - 1;
}
