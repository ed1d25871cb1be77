import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { KeptTokens, lexText, relexed, type LexedText } from '../../src/language';
import { fuzzRuns } from '../helpers/fuzzRuns';

// After an edit, the tokens of a statement too long to lex again are made from the old ones
// (src/language/relex.ts): the text is lexed again from just before the edit until the lexer is
// back in step with the old tokens. The result must be exactly a lex of the new text from its
// start, whatever the edit changes: a string opened or closed, a comment, a `//` that is floor
// division after an operand and a comment elsewhere, a number's fraction or exponent, a CR
// that an LF joins, a backslash before a line break.


/** Every token (kind, span, whether the lexer found a problem in it) and comment, to compare. */
function dump(l: LexedText): unknown {
  const tokens: [string, number, number, boolean][] = [];
  for (let i = 0; i < l.tokens.length; i++) tokens.push([l.tokens.kind(i), l.tokens.start(i), l.tokens.end(i), l.tokens.failed(i)]);
  return { tokens, failures: l.tokens.failures, comments: l.comments };
}

const PIECES = ['"', "'", '\\', '#', '//', '/', '*', '.', '5', '1.5', 'e', 'e+', '+', '-', '_', 'x', 'abc', ' ', '\t', '\n', '\r', '\r\n', '(', ')', '[', ']', '@', '@@', 'let', 'on', ';', ',', '=', '\u00a0', '"a\\"b"', '# note\n', 'n // 2'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));
const edit = fc.tuple(fc.nat(), fc.nat(4), fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((parts) => parts.join('')));

/** Applies an edit (at, deleted length, inserted text) to `before`'s text, relexing; checks against a fresh lex. */
function step(before: LexedText, old: string, [at, length, piece]: [number, number, string]): { lexed: LexedText; text: string } {
  const p = at % (old.length + 1);
  const oldEnd = Math.min(old.length, p + length);
  const next = old.slice(0, p) + piece + old.slice(oldEnd);
  const snapshot = JSON.stringify(dump(before));
  const lexed = relexed(before, next, p, oldEnd, p + piece.length);
  assert.deepStrictEqual(dump(lexed), dump(lexText(next)), JSON.stringify([old, p, length, piece]));
  // The tokens before the edit are left as they were (an analysis that is not built on keeps them).
  assert.equal(JSON.stringify(dump(before)), snapshot);
  return { lexed, text: next };
}

describe('re-lexing after an edit (relex.ts): exactly a fresh lex of the new text', () => {
  it('random edits of random texts of strings, comments, numbers, line breaks of every style and junk, chained', () => {
    fc.assert(
      fc.property(text, fc.array(edit, { minLength: 1, maxLength: 8 }), (start, edits) => {
        let current = { lexed: lexText(start), text: start };
        for (const e of edits) current = step(current.lexed, current.text, e);
      }),
      { numRuns: fuzzRuns(600), seed: 8 },
    );
  });

  it('edits that change a token kind and the lexer state after it', () => {
    const cases: [string, number, number, string][] = [
      // A quote opens a string to the line end, and closing it gives the tokens back.
      ['let x = a + b\nlet y = 2', 8, 0, '"'],
      ['let x = "a + b\nlet y = 2', 8, 1, ''],
      // `//` after an operand is floor division; after `(` a comment (which an edit makes either).
      ['let x = n // 2 + 3', 8, 1, '('],
      ['let x = (// 2 + 3\n)', 8, 1, 'n'],
      // A CR that the LF typed after it joins, and one split from its LF.
      ['a\rb', 2, 0, '\n'],
      ['a\r\nb', 2, 0, ' '],
      // A backslash before a line break escapes nothing, before a quote it does.
      ['"a\\\nb"', 3, 0, '"'],
      ['"a\\"b"\nc', 2, 1, ''],
      // A number's fraction and exponent, a name glued to a number.
      ['1.x', 2, 1, '5'],
      ['1e+x', 3, 1, '5'],
      ['3 x', 1, 1, ''],
      // A comment opened and removed before a megabyte-like tail of tokens.
      ['a + b + c + d', 2, 0, '# '],
      ['a # + b + c + d', 2, 2, ''],
      // Junk runs joined and split.
      ['@ @', 1, 1, ''],
      ['@@', 1, 0, ' '],
    ];
    for (const [start, at, length, piece] of cases) step(lexText(start), start, [at, length, piece]);
  });

  it('an edit at the start, at the end and of the whole text', () => {
    const start = 'let x = [1, 2,\r\n  "s", # c\r\n  3]\n';
    step(lexText(start), start, [0, 0, 'x']);
    step(lexText(start), start, [start.length, 0, ' + 1']);
    step(lexText(start), start, [0, start.length, 'model m {}']);
    step(lexText(''), '', [0, 0, start]);
  });

  it('edits noted one after another and made at once (KeptTokens), whether they are near each other or tens of kilobytes apart', () => {
    const long = 'let x = [' + '1.5e+3, "s\\"q", \'c\', # note\r\n'.repeat(2500) + ']\n';
    fc.assert(
      fc.property(fc.constantFrom('', 'a + b // c', long), fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 8 }), (start, edits) => {
        let kept = KeptTokens.of(lexText(start), start);
        let current = start;
        for (const [[at, length, piece], read] of edits) {
          const p = at % (current.length + 1);
          const oldEnd = Math.min(current.length, p + length);
          current = current.slice(0, p) + piece + current.slice(oldEnd);
          kept = kept.edited(current, p, oldEnd, p + piece.length);
          // Some edits read the tokens (a reparse of a long statement), most only note the change.
          if (read) assert.deepStrictEqual(dump(kept.get()), dump(lexText(current)));
        }
        assert.equal(kept.text, current);
        assert.deepStrictEqual(dump(kept.get()), dump(lexText(current)));
      }),
      { numRuns: fuzzRuns(60), seed: 9 },
    );
  });
});
