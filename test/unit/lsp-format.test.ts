import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EXAMPLES_DIR, exampleNames } from '../helpers/engine';
import { analyze } from '../../src/language';
import { format, formatEdits, MAX_FORMAT_EDITS, type FormatEdit } from '../../src/language';
import { tokenize } from '../../src/language';
import { fuzzRuns } from '../helpers/fuzzRuns';

// The canonical layout: idempotent on every example and on any input, changes only
// whitespace (the same tokens, comments included), and keeps what the file means.

const examples = exampleNames();

/** The edits applied to the text, checking they are in order, apart and each a real change. */
function applyEdits(text: string, edits: FormatEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    assert.ok(e.start >= at && e.end >= e.start, `edit ${JSON.stringify(e)} overlaps or precedes the one before (${at})`);
    assert.notEqual(text.slice(e.start, e.end), e.newText, 'an edit changes something');
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The tokens without whitespace: what formatting must preserve. */
const significant = (text: string) =>
  tokenize(text)
    .filter((t) => t.kind !== 'newline')
    .map((t) => (t.kind === 'comment' ? t.text.trimEnd() : t.text));

describe('formatter (src/language/format.ts)', () => {
  for (const file of examples) {
    it(`is idempotent on examples/${file} and keeps its analysis`, () => {
      const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      const once = format(text)!;
      assert.equal(format(once), once);
      assert.deepEqual(significant(once), significant(text));
      const a = analyze(text);
      const b = analyze(once);
      assert.deepEqual(b.models.map((m) => [m.name, m.params.total, m.layers.map((l) => l.outputShapes)]), a.models.map((m) => [m.name, m.params.total, m.layers.map((l) => l.outputShapes)]));
      assert.deepEqual(b.diagnostics.map((d) => d.code), a.diagnostics.map((d) => d.code));
    });
  }

  it('leaves the examples as they are: they are written in the canonical layout', () => {
    for (const file of examples) {
      const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      assert.equal(format(text), text, file);
    }
  });

  it('lays out a messy file canonically', () => {
    const messy = [
      '',
      '',
      'let  seq_len=3    # aligned comment',
      'let x=- 2 ** 3',
      'data d = window( [1,2,3 ,4,5,6], steps = seq_len )',
      'model m { input(seq_len,1)',
      '',
      '    LSTM(50,return_sequences = True) # one space before',
      '\tDense(1)}',
      '',
      '',
      '',
      'train m on d{',
      '',
      'epochs=3',
      'metrics=["mae",',
      '"mse"]',
      '',
      '}',
      'predict m [ 1 , 2, 3 ]   ',
    ].join('\n');
    assert.equal(
      format(messy),
      [
        'let seq_len = 3    # aligned comment',
        'let x = -2 ** 3',
        'data d = window([1, 2, 3, 4, 5, 6], steps=seq_len)',
        'model m {',
        '  input(seq_len, 1)',
        '',
        '  LSTM(50, return_sequences=True)  # one space before',
        '  Dense(1)',
        '}',
        '',
        'train m on d {',
        '  epochs = 3',
        '  metrics = ["mae",',
        '    "mse"]',
        '}',
        'predict m [1, 2, 3]',
        '',
      ].join('\n'),
    );
  });

  it('keeps CRLF line ends and never glues tokens (= = stays two tokens)', () => {
    assert.equal(format('let a = 1\r\nlet b=a\r\n'), 'let a = 1\r\nlet b = a\r\n');
    const glued = format('model m {\n  LSTM(units= =3)\n}\n')!;
    assert.deepEqual(significant(glued), significant('model m {\n  LSTM(units= =3)\n}\n'));
  });

  it('is idempotent and keeps every token on arbitrary input', () => {
    const pieces = ['let', 'data', 'model', 'train', 'on', 'predict', 'x', 'LSTM', '(', ')', '[', ']', '{', '}', ',', '=', '==', '-', '+', '*', '**', '/', '//', '%', ';', '\n', '\r\n', ' ', '\t', '# c', '"s"', "'u", '3', '1e-3', '.5', 'None', 'True', ':', '.', '@', 'é'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const once = format(text)!;
        assert.equal(format(once), once);
        assert.deepEqual(significant(once), significant(text));
      }),
      { numRuns: fuzzRuns(1500), seed: 7 },
    );
  });

  it('edits only the parts that change: applied in order they give exactly the layout', () => {
    const pieces = ['let', 'model', 'x', 'LSTM', '(', ')', '[', '{', '}', ',', '=', '-', '\n', '\r\n', '\r', ' ', '  ', '\t', '# c ', '"s"', "'u", '3', '@', 'é', '\ud83d\ude00', '\ud800', '\u2003', '\u000b', '\u00a0', '\ufeff', '# x\u2003 '];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        const once = format(text)!;
        const edits = formatEdits(text);
        assert.equal(applyEdits(text, edits), once);
        assert.equal(edits.length === 0, once === text);
        for (const e of edits) {
          // A pair is never cut: no edit starts or ends between \r and \n, or inside a surrogate pair.
          for (const at of [e.start, e.end]) {
            assert.ok(!(text[at - 1] === '\r' && text[at] === '\n'), `edit boundary ${at} cuts a CRLF`);
            assert.ok(!/[\ud800-\udbff]/.test(text[at - 1] ?? '') || !/[\udc00-\udfff]/.test(text[at] ?? ''), `edit boundary ${at} cuts a surrogate pair`);
          }
        }
      }),
      { numRuns: fuzzRuns(1500), seed: 11 },
    );
  });

  it('sends each distant change as its own small edit, and close ones as one', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `let x${i} = ${i}`);
    const text = [...lines.slice(0, 50), 'let a=1', ...lines.slice(50, 150), 'let  b = [1,2]', ...lines.slice(150)].join('\n') + '\n';
    const edits = formatEdits(text);
    assert.deepEqual(
      edits.map((e) => [text.slice(e.start, e.end), e.newText]),
      [
        ['=', ' = '],
        [' b = [1,', 'b = [1, '],
      ],
    );
    assert.equal(applyEdits(text, edits), format(text));
  });

  it('keeps the number of edits bounded when every character changes (a megabyte of `}`)', () => {
    const closes = '}'.repeat(200_000);
    const edits = formatEdits(closes);
    assert.equal(edits.length, 1, 'a change after every character is one edit');
    assert.equal(applyEdits(closes, edits), format(closes));
    // A change on every line, lines of 100 to 220 characters: too far apart to merge at first,
    // more changes than the cap, merged down to it over the shorter stretches.
    const spread = Array.from({ length: 3 * MAX_FORMAT_EDITS }, (_, i) => `let v${i}=1  # ${'c'.repeat(90 + 20 * (i % 7))}`).join('\n');
    const many = formatEdits(spread);
    assert.ok(many.length <= MAX_FORMAT_EDITS && many.length > 1, `${many.length} edits`);
    assert.equal(applyEdits(spread, many), format(spread));
  });

  it('keeps a lone surrogate of a comment as it is in the edit', () => {
    const text = 'let a=1  # \ud800 junk\n';
    assert.equal(applyEdits(text, formatEdits(text)), 'let a = 1  # \ud800 junk\n');
  });

  it('keeps a U+FEFF that starts an edit, and an ASCII or non-ASCII text gives the same edits', () => {
    // The unterminated string keeps its U+FEFF; the edit after it starts with it (a decoder drops a leading BOM unless told not to).
    for (const text of ['"#\ufeff\n\n', '("\ufeff\n\n\ufeff\nx\n}']) assert.equal(applyEdits(text, formatEdits(text)), format(text), JSON.stringify(text));
    // The same layout whichever way the new text is decoded: all ASCII, with é, with a lone surrogate.
    const body = 'model m {\ninput(3,1)\nLSTM(4)   # c\n}\nlet x=-1';
    for (const extra of ['', ' # é', ' # \ud800']) {
      const text = body + extra;
      assert.equal(applyEdits(text, formatEdits(text)), 'model m {\n  input(3, 1)\n  LSTM(4)   # c\n}\nlet x = -1' + (extra && '  ' + extra.trim()) + '\n');
    }
  });
});
