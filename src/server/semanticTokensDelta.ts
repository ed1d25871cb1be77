import type { SemanticTokens, SemanticTokensDelta } from 'vscode-languageserver';

// After an edit an editor asks for the tokens again, naming its last answer
// (semanticTokens/full/delta). The tokens before and after an edit are mostly the same numbers,
// so the answer is one edit of the number array: what lies between the common beginning and the
// common end. On a file of 90,000 tokens that is a few numbers instead of 450,000.

export class SemanticTokensResults {
  /** Each document's last full answer: its id and numbers (as 32-bit integers: half the memory of a number array). */
  private readonly last = new Map<string, { id: string; data: Uint32Array }>();
  private counter = 0;

  /** A full answer, remembered under a new result id. */
  full(uri: string, data: Uint32Array): SemanticTokens {
    const resultId = this.remember(uri, data);
    return { resultId, data: numbers(data) };
  }

  /** The edit from the answer `previousResultId` to `tokens`; the full answer when that one is not the last remembered. */
  delta(uri: string, previousResultId: string, after: Uint32Array): SemanticTokens | SemanticTokensDelta {
    const previous = this.last.get(uri);
    if (!previous || previous.id !== previousResultId) return this.full(uri, after);
    const before = previous.data;
    const max = Math.min(before.length, after.length);
    let start = 0;
    while (start < max && before[start] === after[start]) start++;
    let end = 0;
    while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    const resultId = this.remember(uri, after);
    if (start === before.length && start === after.length) return { resultId, edits: [] };
    return { resultId, edits: [{ start, deleteCount: before.length - start - end, data: numbers(after.subarray(start, after.length - end)) }] };
  }

  delete(uri: string): void {
    this.last.delete(uri);
  }

  private remember(uri: string, data: Uint32Array): string {
    const id = String(++this.counter);
    this.last.set(uri, { id, data });
    return id;
  }
}

/** How many numbers numbers() appends to one array before joining them. */
const CHUNK = 8192;

/**
 * The numbers of an answer as the plain array JSON needs, made so that JSON.stringify takes its
 * fast path. Whatever the transport (vscode-jsonrpc's stdio writer, Node's IPC channel), the
 * answer is one JSON.stringify of the message, and V8 writes an array of small integers about
 * four times faster when it has no holes: 500,000 numbers in ~4.5 ms packed against ~19 ms for
 * an array made with `new Array(n)` (holey, even once filled). Appending keeps an array packed,
 * but growing one array to 500,000 costs ~13 ms; appending to arrays of CHUNK and joining them
 * with concat (which keeps them packed) ~7 ms. Array.from on a typed array: ~25 ms.
 * (docs/benchmarks.md, "Pathological documents".)
 */
export function numbers(data: Uint32Array): number[] {
  if (data.length <= CHUNK) return chunk(data, 0, data.length);
  const parts: number[][] = [];
  for (let start = 0; start < data.length; start += CHUNK) parts.push(chunk(data, start, Math.min(data.length, start + CHUNK)));
  return ([] as number[]).concat(...parts);
}

function chunk(data: Uint32Array, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(data[i]);
  return out;
}
