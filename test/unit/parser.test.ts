import { strict as assert } from 'node:assert';
import type { Ast as A } from '../../src/language';
import { tokenError, tokenize } from '../../src/language';
import { analysisSteps, analyze, parse, parseSteps, STEP_SIZE } from '../../src/language';

const slice = (text: string, node: { span: { start: number; end: number } }) => text.slice(node.span.start, node.span.end);

describe('lexer', () => {
  it('numbers with exponents and underscores, strings with escapes, comments both ways', () => {
    const t = tokenize('1e-3 1_000 0.5 .5 "a\\"b" \'c\' # note\n// another\n');
    assert.deepEqual(t.filter((x) => x.kind === 'number').map((x) => x.value), [0.001, 1000, 0.5, 0.5]);
    assert.deepEqual(t.filter((x) => x.kind === 'string').map((x) => x.value), ['a"b', 'c']);
    assert.equal(t.filter((x) => x.kind === 'comment').length, 2);
  });
  it('// after an operand is floor division, at a line start a comment', () => {
    const t = tokenize('n // 2\n// c');
    assert.deepEqual(t.filter((x) => x.kind !== 'newline' && x.kind !== 'eof').map((x) => x.kind), ['ident', 'punct', 'number', 'comment']);
  });
  it('an unterminated string and a glued identifier are errors on one token', () => {
    const [string] = tokenize('"abc\n');
    assert.equal(string.error, 'unterminated-string');
    assert.equal(tokenError(string), 'Unterminated string: add the closing ".');
    const [number] = tokenize('3x');
    assert.equal(number.error, 'not-a-number');
    assert.equal(tokenError(number), "'3x' is not a number.");
    assert.equal(tokenError(tokenize('@@')[0]), "Unexpected characters '@@'.");
  });
});

describe('parser', () => {
  it('parses every statement kind with exact spans', () => {
    const text = 'let a = 2 * (3 + 1)\ndata d = echo(samples=10)\nmodel m {\n  input(a, 1)\n  Bidirectional(LSTM(4), merge_mode="sum")\n}\ntrain m, m on d {\n  epochs = 3\n}\npredict m [1, 2]\n';
    const { document, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(document.statements.map((s) => s.kind), ['let', 'data', 'model', 'train', 'predict']);
    const model = document.statements[2] as A.ModelStmt;
    assert.equal(slice(text, model.layers[1]), 'Bidirectional(LSTM(4), merge_mode="sum")');
    const call = model.layers[1] as A.Call;
    assert.equal(slice(text, call.args[0].value!), 'LSTM(4)');
    assert.equal(call.args[1].name!.name, 'merge_mode');
    const train = document.statements[3] as A.TrainStmt;
    assert.deepEqual(train.models.map((m) => m.name), ['m', 'm']);
    assert.equal(train.data!.name, 'd');
  });
  it('keeps comments for the formatter', () => {
    const { document } = parse('# top\nlet a = 1 # trailing\n');
    assert.deepEqual(document.comments.map((c) => c.text), ['# top', '# trailing']);
  });
  it('wrapped argument lists may span lines', () => {
    const { document, diagnostics } = parse('model m {\n  LSTM(\n    50,\n    return_sequences=True,\n  )\n}\n');
    assert.deepEqual(diagnostics, []);
    assert.equal(((document.statements[0] as A.ModelStmt).layers[0] as A.Call).args.length, 2);
  });
  it('(x) is x, (x,) is a tuple', () => {
    const { document } = parse('let a = (3)\nlet b = (3,)\n');
    assert.equal((document.statements[0] as A.LetStmt).value!.kind, 'number');
    assert.equal((document.statements[1] as A.LetStmt).value!.kind, 'tuple');
  });
  it('recovers from a broken line and parses the rest of the model', () => {
    const { document, diagnostics } = parse('model m {\n  LSTM(50,, )\n  Dense(2)\n}\nmodel n {\n}\n');
    assert.ok(diagnostics.length > 0);
    const m = document.statements[0] as A.ModelStmt;
    assert.ok(m.layers.some((l) => l.kind === 'call' && l.callee.name === 'Dense'));
    assert.equal(document.statements[1].kind, 'model');
  });
  it('a model missing its } ends at the next statement', () => {
    const { document, diagnostics } = parse('model m {\n  LSTM(5)\nlet x = 3\n');
    assert.match(diagnostics[0].message, /missing its closing '}'/);
    assert.deepEqual(document.statements.map((s) => s.kind), ['model', 'let']);
  });
  it('never loops or throws on unbalanced brackets', () => {
    for (const text of ['(((', ')))', '}}}', 'model {{{', 'train on {', 'predict', 'let = =', 'data x = window([1, 2', '[[[[']) {
      const r = parse(text);
      assert.ok(Array.isArray(r.document.statements));
    }
  });
});

describe('parser: inputs built to exhaust the stack', () => {
  const { analyze } = require('../../src/language') as typeof import('../../src/language');
  it('50,000 nested brackets, 100,000 signs and a 100,000-term sum are reported, not fatal', () => {
    for (const text of ['let a = ' + '['.repeat(50000), 'let a = ' + '-'.repeat(100000) + '1', 'let a = ' + '1 + '.repeat(100000) + '1', 'let a = ' + '(1, '.repeat(30000)]) {
      const a = analyze(text + '\nmodel m {\n  input(3, 1)\n  LSTM(2)\n}\n');
      assert.ok(a.diagnostics.some((d) => /nested more than|more than 1000 operands/.test(d.message)));
      assert.equal(a.models[0]?.params.total, 4 * (2 * 3 + 2), 'the model after it is still analysed');
    }
  });
  it('a call of 100,000 arguments keeps the first 1,000, says so at the 1,001st, and ends at its own bracket', () => {
    const text = 'let x = f(' + '1, '.repeat(100000) + 'g(2, [3]))\nmodel m {\n  input(3, 1)\n  LSTM(2)\n}\n';
    const a = analyze(text);
    const call = (a.document.statements[0] as A.LetStmt).value as A.Call;
    assert.equal(call.args.length, 1000);
    assert.equal(call.closed, true);
    const bound = a.diagnostics.filter((d) => /has more than 1000 arguments/.test(d.message));
    assert.equal(bound.length, 1);
    assert.equal(bound[0].span.start, text.indexOf('f(') + 2 + 3 * 1000);
    // What follows the call is read as before, not swallowed by the skip.
    assert.equal(a.models[0]?.params.total, 4 * (2 * 3 + 2));
  });
  it('nesting within the bound still works', () => {
    const a = analyze('let a = ' + '('.repeat(50) + '3' + ')'.repeat(50) + '\nlet b = a\n');
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(a.constants[0].value, 3);
  });
});

describe('analysis in steps (src/language/steps.ts)', () => {
  /** Counts the steps and returns the result, as the language server drives them. */
  function drive<T>(steps: Generator<void, T, void>): { steps: number; result: T } {
    let n = 0;
    for (;;) {
      const r = steps.next();
      if (r.done) return { steps: n, result: r.value };
      n++;
    }
  }

  it('yields inside one long model block and between its layers, with the same result as analyze()', () => {
    const layers = 5000;
    const text = 'model m {\n  input(3, 1)\n' + '  Dense(1)\n'.repeat(layers) + '}\n';
    const parsed = drive(parseSteps(text));
    // The parser alone: while lexing and every STEP_SIZE lines of the one block.
    assert.ok(parsed.steps >= layers / STEP_SIZE, `${parsed.steps} parse steps`);
    assert.deepEqual(parsed.result, parse(text));
    const analysed = drive(analysisSteps(text));
    assert.ok(analysed.steps >= (2 * layers) / STEP_SIZE, `${analysed.steps} analysis steps`);
    const whole = analyze(text);
    assert.equal(analysed.result.models[0].layers.length, layers);
    assert.deepEqual(analysed.result.diagnostics, whole.diagnostics);
    assert.deepEqual(analysed.result.models, whole.models);
  });

  it('yields between statements: many small definitions are not one step', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `let c${i} = ${i}\nmodel m${i} {\n  input(3, 1)\n  Dense(c${i} + 1)\n}\n`).join('');
    const { steps, result } = drive(analysisSteps(text));
    assert.ok(steps >= (3 * 6000) / STEP_SIZE, `${steps} steps`);
    assert.deepEqual(result.diagnostics, analyze(text).diagnostics);
  });
});
