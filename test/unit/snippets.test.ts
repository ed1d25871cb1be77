import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expandDefaults } from './snippetExpansion';
import { tokenize } from './textmate';

// The snippets are code the user inserts: expanded with their default values they must be
// well-formed .seqmodel text that says what the course models say.

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

const snippets: Record<string, Snippet> = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../snippets/seqmodel.json'), 'utf8'),
);

function bodyOf(name: string): string {
  const s = snippets[name];
  assert.ok(s, `snippet "${name}" exists`);
  return expandDefaults(Array.isArray(s.body) ? s.body.join('\n') : s.body);
}

describe('snippets/seqmodel.json', () => {
  it('expands placeholders, choices and mirrors', () => {
    assert.equal(expandDefaults('model ${1:m} {\n  ${2|LSTM,GRU|}(4)\n}\ntrain $1 on d$0'), 'model m {\n  LSTM(4)\n}\ntrain m on d');
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    describe(name, () => {
      it('has a prefix and a description', () => {
        const prefixes = Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix];
        assert.ok(prefixes.length > 0 && prefixes.every((p) => /^[a-z][a-z0-9-]*$/.test(p)), `prefixes ${prefixes}`);
        assert.ok(snippet.description.length > 10);
      });

      it('expands to balanced brackets and closed strings', () => {
        const text = bodyOf(name);
        assert.doesNotMatch(text, /\$\{|\$\d/, 'no placeholder left after expansion');
        const stack: string[] = [];
        const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
        for (const ch of text.replace(/"[^"\n]*"|#.*$/gm, '')) {
          if ('([{'.includes(ch)) stack.push(ch);
          else if (ch in pairs) assert.equal(stack.pop(), pairs[ch], `unbalanced ${ch}`);
        }
        assert.deepEqual(stack, []);
        assert.equal((text.replace(/#.*$/gm, '').match(/"/g) ?? []).length % 2, 0, 'even number of quotes');
      });

      it('tokenizes with no invalid token and every layer coloured as a class', async () => {
        const tokens = await tokenize(bodyOf(name));
        assert.deepEqual(tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid'))), []);
        const calls = tokens.filter((t) => t.scopes.at(-1) === 'entity.name.function.call.seqmodel');
        assert.deepEqual(calls.map((t) => t.text), [], 'no call of an unknown function');
      });
    });
  }

  // The course models, line for line as the course notebooks write them.
  const seeds: [string, string[]][] = [
    ['Forecasting SimpleRNN (Tutorial 3)', ['input(seq_len, 1)', 'SimpleRNN(50, activation="sigmoid")', 'Dense(n_steps)', 'let seq_len = 3', 'let n_steps = 2']],
    ['Forecasting LSTM (Tutorial 3)', ['input(seq_len, 1)', 'LSTM(50, activation="relu")', 'Dense(n_steps)', 'predict lstm [70, 80, 90]']],
    ['Echo sequence classifier (the LSTMs lecture)', ['let length = 5', 'let features = 10', 'input(length, features)', 'LSTM(25)', 'Dense(features, activation="softmax")', 'loss = "categorical_crossentropy"', 'metrics = ["accuracy"]']],
    ['Stacked LSTM', ['input(None, 6)', 'LSTM(4, return_sequences=True)', 'LSTM(5, return_sequences=True)']],
    ['LSTM with return_state', ['Input(shape=(30, 3))', 'LSTM(64, return_sequences=True, return_state=True)']],
    ['IMDB sentiment (Embedding + LSTM)', ['let vocab = 10000', 'Embedding(vocab, 32)', 'LSTM(32)', 'Dense(1, activation="sigmoid")', 'loss = "binary_crossentropy"']],
  ];
  for (const [name, lines] of seeds) {
    it(`"${name}" holds the seed's lines`, () => {
      const text = bodyOf(name).split('\n').map((l) => l.trim());
      for (const line of lines) assert.ok(text.includes(line), `missing line: ${line}`);
    });
  }

  it('offers the small building blocks: model, train, data window', () => {
    const prefixes = Object.values(snippets).flatMap((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]));
    for (const p of ['model', 'train', 'window']) assert.ok(prefixes.includes(p), p);
    assert.equal(new Set(prefixes).size, prefixes.length, 'no prefix is used twice');
  });
});
