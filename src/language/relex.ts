import type * as A from './ast';
import { leavesOperand, Lexer, LOOKAHEAD } from './lexer';
import { TokenTable } from './tokenTable';
import { prefixLength } from './search';

// The tokens of an edited text from those of the text before it. A document that is one
// statement of a megabyte (a long sum, `[` repeated, a line of names) is parsed again whole
// after each edit inside it (incremental.ts can only start and stop between statements), and
// lexing it again was a pass over the megabyte, a million tokens pushed one by one. Here the
// text is lexed again only from just before the edit until the lexer falls back in step with
// the old tokens: a token after the edit at the old one's place (moved by the edit's length),
// of the same kind and length. From there the lexer would read the same characters in the same
// state (the only state it carries, leavesOperand, is the token's own), so the old tokens are
// the new ones, copied and moved (typed-array copies: a few milliseconds for a million).

/** A text's tokens and comments, kept with its parse for the next edit's (incremental.ts). */
export interface LexedText {
  /** Every token of the text, its end of text last. */
  tokens: TokenTable;
  /** Every comment, in order. */
  comments: A.Comment[];
}

/**
 * A text's tokens kept for the next edit, made when first read. An edit that parses little again
 * (at a statement's start, inside a model's braces) reads none of them, and re-lexing copies
 * them all (a million tokens: several milliseconds); so each edit only notes what it changed,
 * merged with the edits before it not yet applied, and the tokens are made once a reparse reads
 * many (Parser.load) from the last tokens made, in one re-lex of the merged region.
 */
export class KeptTokens {
  private made?: LexedText;

  private constructor(
    /** The last tokens made (dropped once these are made), and the length of their text. */
    private base: LexedText | undefined,
    private readonly baseLength: number,
    readonly text: string,
    /** The text differs from the base's only from `from` to `suffix` characters before its end. */
    private readonly from: number,
    private readonly suffix: number,
  ) {}

  static of(lexed: LexedText, text: string): KeptTokens {
    const kept = new KeptTokens(undefined, text.length, text, text.length, text.length);
    kept.made = lexed;
    return kept;
  }

  /** The tokens of the text. */
  get(): LexedText {
    if (!this.made) {
      this.made = relexed(this.base!, this.text, this.from, this.baseLength - this.suffix, this.text.length - this.suffix);
      // The base (and its text) is garbage once re-lexed.
      this.base = undefined;
    }
    return this.made;
  }

  /** The tokens of `text`, this text with the characters from `p` to `oldEnd` replaced by those from `p` to `newEnd`. */
  edited(text: string, p: number, oldEnd: number, newEnd: number): KeptTokens {
    const suffix = text.length - newEnd;
    if (this.made) return new KeptTokens(this.made, this.text.length, text, p, suffix);
    // Merged with the edits not applied yet: from the first change to the last, one region.
    const from = Math.min(this.from, p);
    const merged = Math.min(this.suffix, this.text.length - oldEnd);
    // Edits far apart would make a region of all between them to lex again: the ones before are applied first.
    if (text.length - merged - from > MERGED_REGION) return new KeptTokens(this.get(), this.text.length, text, p, suffix);
    return new KeptTokens(this.base, this.baseLength, text, from, merged);
  }
}

/** The widest region of merged edits re-lexed at once (see KeptTokens.edited), in characters. */
const MERGED_REGION = 1 << 16;

/**
 * The tokens and comments of `text`, which is `before`'s text with the characters from `p` to
 * `oldEnd` replaced by those from `p` to `newEnd`: exactly what lexing `text` from its start
 * gives. `before` is left as it was.
 */
export function relexed(before: LexedText, text: string, p: number, oldEnd: number, newEnd: number): LexedText {
  const old = before.tokens;
  const delta = newEnd - oldEnd;
  // The first token the edit may have changed: the lexer starts again right after the one before.
  const first = old.indexEndingAt(p - LOOKAHEAD + 1);
  const resume = first > 0 ? old.end(first - 1) : 0;
  const operand = first > 0 && leavesOperand(old.kind(first - 1), old.firstChar(first - 1), old.end(first - 1) - old.start(first - 1));
  const lexer = new Lexer(text).resumeAt(resume, operand);
  // Room for the old tokens and a few more: an edit adds few (a paste more, then the table grows).
  const tokens = new TokenTable(text, old.length + 64);
  tokens.append(old, 0, first, 0);
  const comments = before.comments.slice(0, firstComment(before.comments, resume));
  let j = first;
  for (;;) {
    const kind = lexer.advance();
    const { start, end } = lexer;
    if (kind === 'comment') {
      comments.push({ span: { start, end }, text: text.slice(start, end) });
      continue;
    }
    if (start >= newEnd) {
      // In step again: the old token at this one's place (moved) is this one.
      const was = start - delta;
      while (j < old.length && old.start(j) < was) j++;
      if (j < old.length && old.start(j) === was && old.end(j) === end - delta && old.kind(j) === kind) {
        tokens.append(old, j, old.length, delta);
        const k = firstComment(before.comments, was);
        for (let c = k; c < before.comments.length; c++) {
          const { span, text: written } = before.comments[c];
          comments.push({ span: { start: span.start + delta, end: span.end + delta }, text: written });
        }
        return { tokens, comments };
      }
    }
    tokens.push(kind, start, end, lexer.error !== undefined);
    if (kind === 'eof') return { tokens, comments };
  }
}

/** The index of the first comment that starts at `at` or after. */
export function firstComment(comments: A.Comment[], at: number): number {
  return prefixLength(comments.length, (i) => comments[i].span.start < at);
}
