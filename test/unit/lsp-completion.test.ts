import { strict as assert } from 'node:assert';
import { analyze } from '../../src/language';
import { completionQuery } from '../../src/language';
import { completions } from '../../src/server/completion';
import { hover } from '../../src/server/hover';
import { signatureHelp } from '../../src/server/signatureHelp';

// Completion contexts read from half-typed text: `|` marks the cursor.

function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const analysis = analyze(text);
  return { analysis, offset, query: completionQuery(analysis.document, text, offset) };
}
const labels = (textWithCursor: string) => {
  const { analysis, offset } = at(textWithCursor);
  return completions(analysis, offset, { snippets: true }).map((i) => i.label);
};

describe('completion context (src/language/completionContext.ts)', () => {
  it('knows a top-level line start, a model line and a train line', () => {
    assert.equal(at('|').query.context.kind, 'statement');
    assert.equal(at('let a = 1\n|').query.context.kind, 'statement');
    assert.deepEqual(at('model m {\n  |\n}').query.context, { kind: 'layer', firstLine: true });
    assert.deepEqual(at('model m {\n  input(3, 1)\n  LS|\n}').query.context, { kind: 'layer', firstLine: false });
    assert.equal(at('model m {\n  input(3, 1)\n  LS|\n}').query.prefix.text, 'LS');
    assert.deepEqual(at('train m on d {\n  epochs = 3\n  |\n}').query.context, { kind: 'setting', given: ['epochs'] });
    // An unclosed block still counts as a block.
    assert.deepEqual(at('model m {\n  input(3, 1)\n  |').query.context, { kind: 'layer', firstLine: false });
  });

  it('knows argument names, argument values and quoted values in nested calls', () => {
    const arg = at('model m {\n  LSTM(50, |)\n}').query;
    assert.equal(arg.context.kind, 'argument');
    assert.equal(arg.call?.callee, 'LSTM');
    assert.equal(arg.call?.positional, 1);
    const value = at('model m {\n  Bidirectional(LSTM(5, activation=|))\n}').query.context;
    assert.equal(value.kind, 'argumentValue');
    assert.equal(value.kind === 'argumentValue' && value.frame.callee, 'LSTM');
    const quoted = at('model m {\n  Conv1D(4, 2, padding="ca|")\n}').query;
    assert.equal(quoted.context.kind === 'argumentValue' && quoted.context.quoted, true);
    assert.equal(quoted.prefix.text, 'ca');
  });

  it('knows setting values, model and data names after train, predict and on', () => {
    assert.deepEqual(at('train m on d {\n  loss = |\n}').query.context, { kind: 'settingValue', setting: 'loss', inList: false, quoted: false });
    assert.deepEqual(at('train m on d {\n  metrics = ["mae", |]\n}').query.context, { kind: 'settingValue', setting: 'metrics', inList: true, quoted: false });
    assert.deepEqual(at('model a {\n}\nmodel b {\n}\ntrain a, |').query.context, { kind: 'modelName', exclude: ['a'] });
    assert.equal(at('train a on |').query.context.kind, 'dataName');
    assert.equal(at('train a |').query.context.kind, 'keywordOn');
    assert.equal(at('predict |').query.context.kind, 'modelName');
    assert.equal(at('data d = |').query.context.kind, 'dataSource');
    assert.equal(at('let x = 3 # a comment|').query.context.kind, 'none');
  });

  it('offers the right items', () => {
    assert.ok(labels('model m {\n  |\n}').includes('input'));
    assert.ok(labels('model m {\n  |\n}').includes('GRU'));
    const args = labels('model m {\n  input(3, 1)\n  LSTM(50, |)\n}');
    assert.ok(args.includes('return_sequences='));
    assert.ok(args.includes('activation=')); // written by keyword
    assert.ok(args.includes('"relu"')); // or by position: activation is LSTM's second argument
    assert.ok(!labels('model m {\n  LSTM(50, return_sequences=True, |)\n}').includes('return_sequences='));
    assert.deepEqual(labels('model m {\n  LSTM(5, return_sequences=|)\n}'), ['True', 'False']);
    assert.ok(labels('model m {\n  Bidirectional(LSTM(5), merge_mode=|)\n}').includes('"concat"'));
    // A wrapper offers the layers of the categories it takes.
    assert.deepEqual(labels('model m {\n  Bidirectional(|)\n}').filter((l) => /^[A-Z]/.test(l)), ['SimpleRNN', 'LSTM', 'GRU', 'RNN']);
    assert.deepEqual(labels('model m {\n  RNN(|)\n}').filter((l) => /^[A-Z]/.test(l)), ['SimpleRNNCell', 'LSTMCell', 'GRUCell', 'PeepholeLSTMCell', 'FullPeepholeLSTMCell', 'CoupledLSTMCell', 'LayerNormSimpleRNNCell', 'LayerNormLSTMCell', 'LayerNormGRUCell', 'StackedRNNCells']);
    assert.ok(labels('model m {\n  TimeDistributed(|)\n}').includes('Dense'));
    assert.ok(labels('train m on d {\n  optimizer = |\n}').includes('"adam"'));
    assert.ok(labels('train m on d {\n  loss = "|"\n}').includes('categorical_crossentropy'));
    assert.ok(labels('train m on d {\n  metrics = [|]\n}').includes('"accuracy"'));
    assert.deepEqual(labels('let seq = 3\nlet n = 2\nmodel m {\n  input(|)\n}').filter((l) => l === 'seq' || l === 'n').sort(), ['n', 'seq']);
    assert.deepEqual(labels('model lstm {\n}\ndata d = echo()\ntrain lstm on |'), ['d']);
    assert.deepEqual(labels('let x = 3 # |'), []);
  });

  it('completes and documents train settings from the same argument specs as calls', () => {
    const { analysis, offset } = at('train m on d {\n  |\n}');
    const items = completions(analysis, offset, { snippets: true });
    const epochs = items.find((i) => i.label === 'epochs')!;
    assert.equal(epochs.detail, '= 1');
    assert.match((epochs.documentation as { value: string }).value, /^\*\*epochs\*\* · setting of `train`/);
    assert.ok(labels('train m on d {\n  metrics = [|]\n}').includes('"mae"'));
    assert.ok(labels('train m on d {\n  optimizer = sgd(|)\n}').includes('momentum='));
    const text = 'train m on d {\n  batch_size = 8\n}\n';
    const h = hover(analyze(text), text.indexOf('batch_size') + 1)!;
    assert.match((h.contents as { value: string }).value, /setting of `train`[\s\S]*Default: `32`/);
  });

  it('gives layer snippets placeholders for their required arguments', () => {
    const { analysis, offset } = at('model m {\n  |\n}');
    const items = completions(analysis, offset, { snippets: true });
    assert.equal(items.find((i) => i.label === 'Embedding')?.textEdit?.newText, 'Embedding(${1:input_dim}, ${2:output_dim})$0');
    assert.equal(items.find((i) => i.label === 'Flatten')?.textEdit?.newText, 'Flatten($1)$0');
    const plain = completions(analysis, offset, { snippets: false });
    assert.equal(plain.find((i) => i.label === 'LSTM')?.textEdit?.newText, 'LSTM');
  });
});

describe('signature help', () => {
  it('highlights the positional argument, then the keyword being written', () => {
    const one = at('model m {\n  LSTM(50, |\n}');
    const help = signatureHelp(one.analysis, one.offset)!;
    const sig = help.signatures[0];
    assert.match(sig.label, /^LSTM\(units, activation="tanh"/);
    const active = sig.parameters![help.activeParameter!].label as [number, number];
    assert.equal(sig.label.slice(active[0], active[1]), 'activation="tanh"');
    const kw = at('model m {\n  LSTM(50, return_sequences=|\n}');
    const help2 = signatureHelp(kw.analysis, kw.offset)!;
    const active2 = help2.signatures[0].parameters![help2.activeParameter!].label as [number, number];
    assert.equal(help2.signatures[0].label.slice(active2[0], active2[1]), 'return_sequences=False');
    assert.equal(signatureHelp(kw.analysis, 0), null);
    // Inside a number being typed, the call is still known.
    const num = at('model m {\n  LSTM(5|0)\n}');
    assert.equal(num.query.context.kind, 'none');
    assert.equal(signatureHelp(num.analysis, num.offset)?.activeParameter, 0);
  });
});
