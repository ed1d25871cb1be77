// Where two versions of a text differ, as one changed part. An edit's analysis (incremental.ts)
// and the formatter's kept layout (layoutMemory.ts) start from it after each keystroke. The
// language server finds it once per edit from the edit's own ranges (src/server/openDocuments.ts)
// and hands it to both; only where nothing says where a text changed (a whole-text change, a
// caller that keeps no versions) are the two texts compared, which reads all of a megabyte.

/**
 * One changed part: the old text's [start, oldEnd) became the new text's [start, newEnd); the
 * texts are the same before `start` and after the two ends. Any such description is valid (an
 * editor's range may span more than what differs); the engine's results do not depend on it.
 */
export interface TextChange {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** Characters compared at once: comparing two slices is a memory comparison, far faster than a loop over characters. */
const CHUNK = 4096;

/** The length of the longest common beginning of two texts, from `from` on (they are the same before it), at most `max`. */
function commonStart(a: string, b: string, from: number, max: number): number {
  let p = from;
  while (p + CHUNK <= max && a.slice(p, p + CHUNK) === b.slice(p, p + CHUNK)) p += CHUNK;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the longest common end of two texts before their last `from` characters (the same), at most `max` in all. */
function commonEnd(a: string, b: string, from: number, max: number): number {
  let s = from;
  while (s + CHUNK <= max && a.slice(a.length - s - CHUNK, a.length - s) === b.slice(b.length - s - CHUNK, b.length - s)) s += CHUNK;
  while (s < max && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}

/** How `old` became `text`, found by comparing the two whole texts: their longest common beginning, then end. */
export function changeBetween(old: string, text: string): TextChange {
  const p = commonStart(old, text, 0, Math.min(old.length, text.length));
  const s = commonEnd(old, text, 0, Math.min(old.length, text.length) - p);
  return { start: p, oldEnd: old.length - s, newEnd: text.length - s };
}

/**
 * `change` (of `old` into `text`) narrowed to what differs inside it, comparing only inside it:
 * a range replaced by text partly or wholly the same (an undo, a formatting's edit) is no larger
 * a change than what it really changes. Empty exactly when the texts are the same.
 */
export function narrowed(old: string, text: string, change: TextChange): TextChange {
  const { start, oldEnd, newEnd } = change;
  const p = commonStart(old, text, start, start + Math.min(oldEnd - start, newEnd - start));
  const s = commonEnd(old, text, old.length - oldEnd, old.length - oldEnd + Math.min(oldEnd - p, newEnd - p));
  return { start: p, oldEnd: old.length - s, newEnd: text.length - s };
}

/** Change `a` then change `b` (of the text `a` made) as one change of the first text into the last. */
export function joined(a: TextChange, b: TextChange): TextChange {
  // In the middle text the two parts span [start, end); after `end` it is the same as both others, moved.
  const end = Math.max(a.newEnd, b.oldEnd);
  return { start: Math.min(a.start, b.start), oldEnd: end - a.newEnd + a.oldEnd, newEnd: end + b.newEnd - b.oldEnd };
}

/** Whether a change fits texts of these lengths (the same length after it in both): a caller's change that does not is not used. */
function fits(change: TextChange, oldLength: number, newLength: number): boolean {
  const { start, oldEnd, newEnd } = change;
  return start >= 0 && start <= oldEnd && start <= newEnd && oldEnd <= oldLength && oldLength - oldEnd === newLength - newEnd;
}

/** How `old` became `text`: the caller's `change` when it gives one that fits the two, else found by comparing them. */
export function changeOf(old: string, text: string, change?: TextChange): TextChange {
  return change && fits(change, old.length, text.length) ? change : changeBetween(old, text);
}
