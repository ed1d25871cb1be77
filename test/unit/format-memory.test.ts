import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatEdits, formatEditSteps, FormatMemory, runSteps } from '../../src/language';
import { fuzzRuns } from '../helpers/fuzzRuns';

// Formatting a document again after edits lays out only around the parts changed since its last
// formatting (src/language/layoutMemory.ts, Formatter.relayout in format.ts): the old layout is
// taken over wherever the new one stands as the old one stood. The result must be exactly a fresh
// formatting of the new text, whatever the edits change: brackets and braces opened or closed
// (every later line indented otherwise), a line ending of another style, a string or comment
// opened over the rest of a line, a `//` that is floor division after an operand and a comment
// elsewhere, a number's fraction or exponent, blank lines, and edits that are never told to the
// memory (found at the formatting as one change). A told edit comes with its range (as the
// language server tells it, widened here: a range may span more than what differs) or without
// (then compared); a range from a version the memory was not told of is not taken.


const PIECES = [
  '{', '}', '(', ')', '[', ']', ',', ';', '=', '==', '+', '-', '*', '**', '/', '//', '.', '1', '1.5', 'e', 'e+', '5', 'x', 'abc', 'let', 'model m',
  'Dense(1)', ' ', '  ', '\t', '\n', '\n\n', '\r', '\r\n', '"', "'", '"s"', '\\', '#', '# note', '@', '\u00a0', '\ud83d\ude00', '\ud800',
];
const piece = fc.constantFrom(...PIECES);
const text = fc.array(piece, { maxLength: 80 }).map((parts) => parts.join(''));
/** An edit: where (a fraction of the text), how many characters it deletes, what it inserts; whether the memory is told, and the range with it. */
const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), deleted: fc.nat(6), inserted: fc.array(piece, { maxLength: 3 }).map((p) => p.join('')), told: fc.boolean(), ranged: fc.boolean(), format: fc.boolean() });
type Edit = { at: number; deleted: number; inserted: string; told: boolean; ranged: boolean; format: boolean };

/** Formats `t` with the memory (laying out `batch` tokens between marks) and checks the edits are a fresh formatting's. */
function check(memory: FormatMemory, t: string, batch: number, history: string[]): void {
  const remembered = runSteps(formatEditSteps(t, memory, batch));
  assert.deepStrictEqual(remembered, formatEdits(t), JSON.stringify(history));
}

/** Formats `start`, then applies the edits, telling the memory and formatting after those that say so, then formats the end. */
function chain(start: string, edits: Edit[], batch: number): void {
  const memory = new FormatMemory();
  let t = start;
  const history = [t];
  check(memory, t, batch, history);
  for (const e of edits) {
    const p = Math.floor(e.at * (t.length + 1));
    const before = t;
    const end = Math.min(t.length, p + e.deleted);
    t = t.slice(0, p) + e.inserted + t.slice(end);
    history.push(t);
    // The range widened by up to two characters each side, replaced by themselves.
    const start = Math.max(0, p - (e.deleted % 3));
    const oldEnd = Math.min(before.length, end + (e.deleted % 3));
    if (e.told) memory.update(t, e.ranged ? { before, change: { start, oldEnd, newEnd: oldEnd + e.inserted.length - (end - p) } } : undefined);
    if (e.format) check(memory, t, batch, history);
  }
  check(memory, t, batch, history);
}

describe('formatting with a kept layout (layoutMemory.ts): exactly a fresh formatting', () => {
  it('random chains of edits, formatted now and then, every line ending, marks every few tokens', () => {
    fc.assert(
      fc.property(text, fc.array(edit, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 9 }), (start, edits, batch) => chain(start, edits, batch)),
      { numRuns: fuzzRuns(1500), seed: 91 },
    );
  });

  it('long texts of many marks: edits far apart, then formatted, give the fresh layout', () => {
    const lines = ['model m {', '  input(3, 1)', 'LSTM(4,return_sequences=True)', '  Dense( 1 )', '}', 'let x = -1 + [1,2]', '# note', '', 'let y = n // 2'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { minLength: 50, maxLength: 400 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(edit, { minLength: 1, maxLength: 6 }), fc.integer({ min: 2, max: 64 }), (chosen, eol, edits, batch) =>
        chain(chosen.join(eol), edits.map((e) => ({ ...e, told: true, format: false })), batch),
      ),
      { numRuns: fuzzRuns(300), seed: 92 },
    );
  });

  it('every edit of a few characters at every place, a mark before every token: the lexer read past a token, the last character before a mark', () => {
    // A mark's standing follows from the token after it and what the lexer read past that
    // token's end (`{` then `/` becomes `{//`, a comment: no line break after the `{`); what is
    // laid out after it, from the last character of the token before (`*` `*` is written `* *`).
    const texts = ['model m {/x}\n', 'let a = 1.x\r\nlet b = 1e+x', 'a\rb{}c', 'f(*  *)(= =)\n# c\n[x]', 'x // 2 {\n}\n"a\\"b"\n', '{\n\n}\n\nlet  x=-1'];
    const inserted = ['', '/', '.', '5', 'e', '+', '\n', '\r', ' ', '{', '}', '(', '"', '#', '*', '='];
    for (const base of texts) {
      for (let p = 0; p <= base.length; p++) {
        for (const piece of inserted) {
          for (const deleted of piece ? [0, 1] : [1, 2]) {
            const t = base.slice(0, p) + piece + base.slice(p + deleted);
            for (const batch of [1, 2]) {
              const memory = new FormatMemory();
              check(memory, base, batch, [base]);
              memory.update(t);
              check(memory, t, batch, [base, t]);
            }
          }
        }
      }
    }
  });

  it('edits that change the state of every later line: a brace or bracket opened, the first line break changed', () => {
    const body = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(300) + '}\nlet x = 1\n';
    const cases: [number, number, string][] = [
      [0, 0, '{'],
      [body.indexOf('Dense'), 0, '('],
      [body.indexOf('Dense'), 0, '['],
      [body.lastIndexOf('}'), 1, ''],
      [9, 1, '\r\n'],
      [9, 1, '\r'],
      [body.indexOf('Dense'), 0, '"'],
      [body.indexOf('Dense'), 0, '# '],
      [body.length, 0, '\n\n\n'],
      [0, body.length, ''],
    ];
    for (const [at, deleted, inserted] of cases) {
      for (const batch of [3, 64, 4096]) {
        const memory = new FormatMemory();
        check(memory, body, batch, [body]);
        const t = body.slice(0, at) + inserted + body.slice(at + deleted);
        memory.update(t);
        check(memory, t, batch, [body, t]);
        // And back: the memory now holds the edited text's layout.
        memory.update(body);
        check(memory, body, batch, [t, body]);
      }
    }
  });

  it('more changed places than it keeps apart (64): one change from the first to the last, the same layout', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `let x${i} = [${i},${i}]`);
    let t = lines.join('\n');
    const memory = new FormatMemory();
    check(memory, t, 8, [t]);
    // 100 edits far apart, each told: the memory merges its list of changed places past 64.
    for (let k = 0; k < 100; k++) {
      const at = t.indexOf(`x${k * 4} `);
      t = t.slice(0, at) + 'y' + t.slice(at);
      memory.update(t);
    }
    check(memory, t, 8, [t]);
  });

  it('a text past the layout budget keeps nothing, and the next formatting lays out from the start', () => {
    const memory = new FormatMemory();
    const deep = 'model m ' + '{'.repeat(20000);
    assert.deepEqual(runSteps(formatEditSteps(deep, memory)), []);
    assert.equal(memory.bytes, 0);
    const fixed = 'model m {\nDense(1)\n}';
    memory.update(fixed);
    assert.deepStrictEqual(runSteps(formatEditSteps(fixed, memory)), formatEdits(fixed));
    assert.ok(memory.bytes > 0);
  });

  it('a formatting stopped midway keeps the layout before it', () => {
    const memory = new FormatMemory();
    const a = '}'.repeat(50000);
    runSteps(formatEditSteps(a, memory));
    const b = ' ' + a;
    const steps = formatEditSteps(b, memory);
    steps.next();
    steps.return([]);
    const c = b + '{';
    memory.update(c);
    assert.deepStrictEqual(runSteps(formatEditSteps(c, memory)), formatEdits(c));
  });
});
