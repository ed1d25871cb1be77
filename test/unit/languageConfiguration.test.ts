import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// VS Code reads these regular expressions from language-configuration.json; checking them on
// real lines catches an escape lost in the JSON, which VS Code would ignore silently.

const config = JSON.parse(readFileSync(path.resolve(__dirname, '../../language-configuration.json'), 'utf8'));

describe('language-configuration.json', () => {
  it('comments lines with #, and pairs every bracket and quote', () => {
    assert.equal(config.comments.lineComment, '#');
    const opens = config.autoClosingPairs.map((p: { open: string }) => p.open);
    assert.deepEqual([...opens].sort(), ['"', "'", '(', '[', '{'].sort());
    const surround = config.surroundingPairs.map((p: string[]) => p[0]);
    assert.deepEqual([...surround].sort(), [...opens].sort());
    for (const q of config.autoClosingPairs.filter((p: { open: string }) => p.open === '"' || p.open === "'")) {
      assert.deepEqual(q.notIn, ['string', 'comment'], 'quotes do not auto-close inside strings or comments');
    }
  });

  it('indents after an opening brace or bracket, dedents on a closing one', () => {
    const inc = new RegExp(config.indentationRules.increaseIndentPattern);
    const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const line of ['model lstm {', 'train a, b on s {  # go', 'data d = window([', '  LSTM(50,']) assert.match(line, inc);
    for (const line of ['  LSTM(50)', 'let a = 3', '# model {', 'model m { LSTM(4) }']) assert.doesNotMatch(line, inc);
    for (const line of ['}', '  ]', ')']) assert.match(line, dec);
    assert.doesNotMatch('  Dense(1)', dec);
  });

  it('folds #region blocks', () => {
    assert.match('  # region inputs', new RegExp(config.folding.markers.start));
    assert.match('# endregion', new RegExp(config.folding.markers.end));
  });

  it('takes numbers and identifiers as whole words', () => {
    const word = new RegExp(config.wordPattern, 'g');
    const words = (s: string) => s.match(word);
    assert.deepEqual(words('let lr = 1e-3 * 1_000 + .5'), ['let', 'lr', '1e-3', '1_000', '.5']);
    assert.deepEqual(words('LSTM(50, return_sequences=True)'), ['LSTM', '50', 'return_sequences', 'True']);
    assert.deepEqual(words('Conv1D(2.5E+10)'), ['Conv1D', '2.5E+10']);
  });
});
