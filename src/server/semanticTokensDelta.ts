import type { SemanticTokens, SemanticTokensDelta } from 'vscode-languageserver';

// After an edit an editor asks for the tokens again, naming its last answer
// (semanticTokens/full/delta). The tokens before and after an edit are mostly the same numbers,
// so the answer is one edit of the number array: what lies between the common beginning and the
// common end. On a file of 90,000 tokens that is a few numbers instead of 450,000.

export class SemanticTokensResults {
  /** Each document's last full answer: its id and numbers (the array sent, kept as it is: no copy per answer). */
  private readonly last = new Map<string, { id: string; data: readonly number[] }>();
  private counter = 0;

  /** A full answer, remembered under a new result id. */
  full(uri: string, data: number[]): SemanticTokens {
    const resultId = this.remember(uri, data);
    return { resultId, data };
  }

  /** The edit from the answer `previousResultId` to `tokens`; the full answer when that one is not the last remembered. */
  delta(uri: string, previousResultId: string, after: number[]): SemanticTokens | SemanticTokensDelta {
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
    return { resultId, edits: [{ start, deleteCount: before.length - start - end, data: after.slice(start, after.length - end) }] };
  }

  delete(uri: string): void {
    this.last.delete(uri);
  }

  private remember(uri: string, data: readonly number[]): string {
    const id = String(++this.counter);
    this.last.set(uri, { id, data });
    return id;
  }
}
