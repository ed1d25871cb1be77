import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { layerNames, sourceNames } from '../../scripts/generated';
import { objectNames } from '../../src/language';
import { tokenize, type ScopedToken } from './textmate';

// Each case tokenizes real .seqmodel lines and checks the scope VS Code themes will colour.

/** The scopes of the `nth` token whose text is exactly `text`. */
function scopesOf(tokens: ScopedToken[], text: string, nth = 0): string[] {
  const hits = tokens.filter((t) => t.text === text);
  assert.ok(hits.length > nth, `no token ${JSON.stringify(text)} (#${nth}) in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return hits[nth].scopes;
}

/** Asserts the innermost scope of a token starts with `prefix` (e.g. "support.class"). */
async function expectScope(source: string, text: string, prefix: string, nth = 0): Promise<void> {
  const scopes = scopesOf(await tokenize(source), text, nth);
  const inner = scopes[scopes.length - 1];
  assert.ok(inner.startsWith(prefix), `${JSON.stringify(text)} in ${JSON.stringify(source)}: expected ${prefix}*, got ${scopes.join(' ')}`);
}

describe('TextMate grammar (syntaxes/seqmodel.tmLanguage.json)', () => {
  it('has source.seqmodel as the root scope of every token', async () => {
    for (const t of await tokenize('let x = 1\nmodel m {\n  LSTM(4)\n}')) assert.equal(t.scopes[0], 'source.seqmodel');
  });

  describe('comments', () => {
    it('colours # to the end of the line', async () => {
      const tokens = await tokenize('let a = 1  # the "window" LSTM(3)');
      assert.ok(scopesOf(tokens, ' the "window" LSTM(3)').includes('comment.line.number-sign.seqmodel'));
      assert.ok(scopesOf(tokens, '#').includes('punctuation.definition.comment.seqmodel'));
    });
    it('colours // as a comment at the start of a line and after a comma', async () => {
      await expectScope('// forecasting', ' forecasting', 'comment.line.double-slash');
      await expectScope('f(1, // note\n  2)', ' note', 'comment.line.double-slash');
      await expectScope('train m on d { // go', ' go', 'comment.line.double-slash');
      await expectScope('model m { // stack', ' stack', 'comment.line.double-slash');
    });
    it('keeps // after an operand as floor division, as the lexer does', async () => {
      await expectScope('let a = n // 2', '//', 'keyword.operator.arithmetic');
      await expectScope('let a = (n + 1)//2', '//', 'keyword.operator.arithmetic');
      await expectScope('let a = 7 // 2 # half', ' half', 'comment.line.number-sign');
    });
  });

  describe('keywords and definitions', () => {
    it('colours let, data and model and the names they define', async () => {
      await expectScope('let seq_len = 3', 'let', 'keyword.other.let');
      await expectScope('let seq_len = 3', 'seq_len', 'entity.name.constant');
      await expectScope('data series = window([1, 2], steps=1)', 'data', 'keyword.other.data');
      await expectScope('data series = window([1, 2], steps=1)', 'series', 'entity.name');
      await expectScope('model lstm {', 'model', 'keyword.other.model');
      await expectScope('model lstm {', 'lstm', 'entity.name.type');
      await expectScope('model lstm {', '{', 'punctuation.section.block.begin');
    });
    it('colours train ... on ... with the models and the data source', async () => {
      const line = 'train rnn, rnn_bn, lstm on series {';
      await expectScope(line, 'train', 'keyword.other.train');
      await expectScope(line, 'rnn', 'variable.other.model');
      await expectScope(line, 'rnn_bn', 'variable.other.model');
      await expectScope(line, 'on', 'keyword.other.on');
      await expectScope(line, 'series', 'variable.other.data');
      await expectScope(line, '{', 'punctuation.section.block.begin');
    });
    it('colours predict and its model', async () => {
      await expectScope('predict lstm [70, 80, 90]', 'predict', 'keyword.other.predict');
      await expectScope('predict lstm [70, 80, 90]', 'lstm', 'variable.other.model');
      await expectScope('predict lstm [70, 80, 90]', '70', 'constant.numeric.integer');
    });
    it('does not take a keyword inside a longer identifier', async () => {
      await expectScope('let model_size = 3', 'model_size', 'entity.name.constant');
      await expectScope('Dense(1, name=data_out)', 'data_out', 'variable.other');
    });
  });

  describe('literals', () => {
    it('colours None and the four boolean spellings', async () => {
      await expectScope('LSTM(4, use_bias=None)', 'None', 'constant.language.none');
      for (const b of ['True', 'False', 'true', 'false']) await expectScope(`let b = ${b}`, b, 'constant.language.boolean');
    });
    it('colours integers, floats, exponents and grouped digits as one token each', async () => {
      await expectScope('let a = 12', '12', 'constant.numeric.integer');
      await expectScope('let a = 1_000', '1_000', 'constant.numeric.integer');
      await expectScope('let a = 0.001', '0.001', 'constant.numeric.float');
      await expectScope('let a = 1e-3', '1e-3', 'constant.numeric.float');
      await expectScope('let a = 2.5E+10', '2.5E+10', 'constant.numeric.float');
      await expectScope('let a = .5', '.5', 'constant.numeric.float');
      await expectScope('let a = x1', 'x1', 'variable.other');
    });
    it('marks a number run into letters as invalid', async () => {
      await expectScope('let a = 12abc', '12abc', 'invalid.illegal');
    });
    it('colours double- and single-quoted strings with their escapes', async () => {
      const tokens = await tokenize(String.raw`let s = "a\"b" + 'c\n'`);
      assert.ok(scopesOf(tokens, String.raw`\"`).includes('constant.character.escape.seqmodel'));
      assert.ok(scopesOf(tokens, String.raw`\"`).includes('string.quoted.double.seqmodel'));
      assert.ok(scopesOf(tokens, 'b').includes('string.quoted.double.seqmodel'));
      assert.ok(scopesOf(tokens, String.raw`\n`).includes('string.quoted.single.seqmodel'));
      assert.ok(!scopesOf(tokens, '+').some((s) => s.startsWith('string')), 'the + between strings is outside them');
    });
    it('ends an unterminated string at the end of its line', async () => {
      await expectScope('let s = "open\nmodel m {', 'model', 'keyword.other.model');
    });
  });

  describe('layers, sources, optimizers and arguments', () => {
    it('colours every layer name of the registry (aliases and input too) as a class', async () => {
      for (const layer of layerNames()) await expectScope(`  ${layer}(1)`, layer, 'support.class.layer');
    });
    it('colours a wrapped layer too', async () => {
      await expectScope('  Bidirectional(LSTM(10), merge_mode="sum")', 'LSTM', 'support.class.layer');
    });
    it('does not colour a layer name inside a longer identifier', async () => {
      await expectScope('  LSTM(4, input_shape=(3, 1))', 'input_shape', 'variable.parameter');
      await expectScope('let LSTMs = 2', 'LSTMs', 'entity.name.constant');
    });
    it('colours data sources and optimizers as functions', async () => {
      for (const src of sourceNames()) await expectScope(`data d = ${src}()`, src, 'support.function.data');
      for (const opt of objectNames('optimizer')) await expectScope(`  optimizer = ${opt}(learning_rate=0.01)`, opt, 'support.function.optimizer');
    });
    it('colours keyword-argument names and settings as parameters', async () => {
      const line = '  LSTM(50, activation="relu", return_sequences=True)';
      await expectScope(line, 'activation', 'variable.parameter');
      await expectScope(line, 'return_sequences', 'variable.parameter');
      await expectScope('  epochs = 1000', 'epochs', 'variable.parameter');
      await expectScope('  epochs = 1000', '=', 'keyword.operator.assignment');
    });
    it('colours bare enum words Keras accepts', async () => {
      await expectScope('  Dense(1, activation=sigmoid)', 'sigmoid', 'support.constant');
      await expectScope('  loss = categorical_crossentropy', 'categorical_crossentropy', 'support.constant');
    });
    it('colours other names as variables, and an unknown call as a call', async () => {
      await expectScope('  Dense(n_steps)', 'n_steps', 'variable.other');
      await expectScope('  Denze(4)', 'Denze', 'entity.name.function.call');
    });
  });

  describe('operators and punctuation', () => {
    it('colours arithmetic and power', async () => {
      const tokens = await tokenize('let a = -b + c * d / e % f ** 2');
      for (const op of ['-', '+', '*', '/', '%', '**']) {
        assert.ok(scopesOf(tokens, op).includes('keyword.operator.arithmetic.seqmodel'), op);
      }
    });
    it('keeps == a comparison, not an assignment', async () => {
      await expectScope('let a = b == c', '==', 'keyword.operator.comparison');
    });
    it('colours brackets, commas and semicolons', async () => {
      const tokens = await tokenize('let a = [(1, 2)]; let b = 3');
      assert.ok(scopesOf(tokens, '[').includes('punctuation.definition.list.begin.seqmodel'));
      assert.ok(scopesOf(tokens, '(').includes('punctuation.parenthesis.begin.seqmodel'));
      assert.ok(scopesOf(tokens, ',').includes('punctuation.separator.comma.seqmodel'));
      assert.ok(scopesOf(tokens, ';').includes('punctuation.terminator.statement.seqmodel'));
      assert.ok(scopesOf(tokens, 'b').includes('entity.name.constant.seqmodel'));
    });
  });

  describe('the examples', () => {
    const dir = path.resolve(__dirname, '../../examples');
    // Training keeps its runs in a `.seqmodel/` folder there: only files are examples.
    const files = readdirSync(dir).filter((f) => f.endsWith('.seqmodel') && statSync(path.join(dir, f)).isFile());
    it('exist', () => assert.ok(files.length > 0));
    for (const file of files) {
      it(`colours every token of examples/${file}, with no invalid token and no unknown call`, async () => {
        const tokens = await tokenize(readFileSync(path.join(dir, file), 'utf8'));
        const where = (t: ScopedToken) => `line ${t.line + 1} ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`;
        assert.deepEqual(tokens.filter((t) => t.text.trim() !== '' && t.scopes.length === 1).map(where), [], 'unscoped tokens');
        assert.deepEqual(tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid'))).map(where), [], 'invalid tokens');
        assert.deepEqual(tokens.filter((t) => t.scopes.at(-1) === 'entity.name.function.call.seqmodel').map(where), [], 'calls the grammar does not know');
      });
    }
  });

  it('colours the language document example line by line', async () => {
    const source = [
      '# Univariate multi-step forecasting (Tutorial 3)',
      'let seq_len = 3',
      'data series = window([10, 20, 30, 40, 50, 60, 70, 80, 90], steps=seq_len, horizon=n_steps)',
      'model lstm {',
      '  input(seq_len, 1)',
      '  LSTM(50, activation="relu")',
      '  Dense(n_steps)',
      '}',
      'train lstm on series {',
      '  optimizer = adam(learning_rate=0.001)',
      '  loss = "mse"',
      '}',
      'predict lstm [70, 80, 90]',
    ].join('\n');
    const tokens = await tokenize(source);
    const unscoped = tokens.filter((t) => t.text.trim() !== '' && t.scopes.length === 1);
    assert.deepEqual(unscoped, [], 'every non-blank token gets a scope beyond the root');
    assert.ok(!tokens.some((t) => t.scopes.some((s) => s.startsWith('invalid'))), 'nothing is invalid');
    assert.equal(scopesOf(tokens, 'LSTM').at(-1), 'support.class.layer.seqmodel');
    assert.equal(scopesOf(tokens, '0.001').at(-1), 'constant.numeric.float.seqmodel');
    assert.equal(scopesOf(tokens, 'lstm', 2).at(-1), 'variable.other.model.seqmodel');
  });
});
