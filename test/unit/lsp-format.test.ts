import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EXAMPLES_DIR, exampleNames } from '../helpers/engine';
import { analyze } from '../../src/language';
import { format } from '../../src/language';
import { tokenize } from '../../src/language';

// The canonical layout: idempotent on every example and on any input, changes only
// whitespace (the same tokens, comments included), and keeps what the file means.

const examples = exampleNames();

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
      { numRuns: 1500, seed: 7 },
    );
  });
});
