import { strict as assert } from 'node:assert';
import { analyze, DIAGNOSTIC_CODES, type Analysis, type DiagnosticCode } from '../../src/language';
import { at, codes } from '../helpers/engine';
import { applyFix } from '../helpers/fixes';

function only(analysis: Analysis, code: DiagnosticCode) {
  const found = analysis.diagnostics.filter((d) => d.code === code);
  assert.ok(found.length > 0, `expected ${code}, got: ${analysis.diagnostics.map((d) => `${d.code}: ${d.message}`).join(' | ') || 'nothing'}`);
  return found[0];
}

/** Applies the diagnostic's preferred fix and returns the new analysis. */
function fixed(analysis: Analysis, code: DiagnosticCode): Analysis {
  const d = only(analysis, code);
  assert.ok(d.fixes && d.fixes.length, `${code} carries a fix`);
  return analyze(applyFix(analysis.text, d.fixes!.find((f) => f.preferred) ?? d.fixes![0]));
}

const FORECAST_HEAD = 'let seq_len = 3\nlet n_steps = 2\ndata series = window([10, 20, 30, 40, 50, 60, 70, 80, 90], steps=seq_len, horizon=n_steps)\n';

describe('diagnostics: every code, located, with fixes that work', () => {
  const seen = new Set<DiagnosticCode>();
  const run = (text: string) => {
    const a = analyze(text);
    a.diagnostics.forEach((d) => seen.add(d.code));
    return a;
  };

  it('syntax-error: a missing bracket is reported at the call and the rest is still analysed', () => {
    const a = run('model m {\n  input(3, 1)\n  LSTM(50, activation="relu"\n  Dense(2)\n}\nmodel ok {\n input(3, 1)\n LSTM(7)\n}\n');
    assert.equal(at(a, 'syntax-error'), '(');
    assert.equal(a.models.find((m) => m.name === 'ok')?.params.total, 4 * (7 * 8 + 7));
  });
  it('unknown-statement: a layer outside a model, a constant without let (fix adds let)', () => {
    const a = run('LSTM(4)\nx = 3\n');
    assert.equal(at(a, 'unknown-statement'), 'LSTM');
    const b = fixed(run('x = 3\nmodel m {\n input(x, 1)\n LSTM(2)\n}\n'), 'unknown-statement');
    assert.deepEqual(codes(b), []);
  });
  it('unknown-layer with did-you-mean, and the fix', () => {
    const a = run('model m {\n input(3, 1)\n LTSM(50)\n}\n');
    const d = only(a, 'unknown-layer');
    assert.match(d.message, /Did you mean LSTM\?/);
    assert.equal(at(a, 'unknown-layer'), 'LTSM');
    assert.equal(fixed(a, 'unknown-layer').models[0].params.total, 10400);
    assert.match(only(run('model m {\n input(3, 1)\n lstm(5)\n}\n'), 'unknown-layer').message, /LSTM/);
  });
  it('unknown-argument with did-you-mean', () => {
    const a = run('model m {\n input(3, 1)\n LSTM(50, return_sequence=True)\n}\n');
    assert.match(only(a, 'unknown-argument').message, /return_sequences/);
    assert.deepEqual(fixed(a, 'unknown-argument').models[0].outputShapes, [[null, 3, 50]]);
  });
  it('missing-argument', () => {
    const a = run('model m {\n input(3, 1)\n LSTM()\n}\n');
    assert.match(only(a, 'missing-argument').message, /units/);
  });
  it('duplicate-argument and too-many-arguments', () => {
    assert.ok(codes(run('model m {\n input(3, 1)\n LSTM(5, units=6)\n}\n')).includes('duplicate-argument'));
    assert.ok(codes(run('model m {\n input(3, 1)\n Dropout(0.1, 0.2, 0.3, 0.4)\n}\n')).includes('too-many-arguments'));
  });
  it('invalid-argument: wrong type, out of range, bad enum with a fix', () => {
    assert.match(only(run('model m {\n input(3, 1)\n LSTM("fifty")\n}\n'), 'invalid-argument').message, /units of LSTM must be an integer/);
    assert.match(only(run('model m {\n input(3, 1)\n Dropout(1.5)\n}\n'), 'invalid-argument').message, /at most 1/);
    assert.match(only(run('model m {\n input(3, 1)\n LSTM(2.5)\n}\n'), 'invalid-argument').message, /whole number/);
    const a = run('model m {\n input(3, 1)\n LSTM(5, activation="rleu")\n}\n');
    assert.match(only(a, 'invalid-argument').message, /Did you mean 'relu'/);
    assert.equal(fixed(a, 'invalid-argument').models[0].layers[0].config.activation, 'relu');
  });
  it('missing-input-shape, with a fix that takes the shape from the training data', () => {
    const a = run(FORECAST_HEAD + 'model m {\n  LSTM(50)\n  Dense(2)\n}\ntrain m on series { epochs = 1 }\n');
    assert.equal(at(a, 'missing-input-shape'), 'LSTM');
    const b = fixed(a, 'missing-input-shape');
    assert.deepEqual(b.models[0].inputShape, [null, 3, 1]);
    assert.deepEqual(b.diagnostics.filter((d) => d.severity === 'error'), []);
  });
  it('missing-return-sequences: says why, and the fix adds return_sequences=True', () => {
    const a = run('model m {\n  input(3, 1)\n  LSTM(50)\n  LSTM(20)\n}\n');
    const d = only(a, 'missing-return-sequences');
    assert.match(d.message, /lstm outputs only its last step \(None, 50\)/);
    assert.equal(at(a, 'missing-return-sequences'), 'LSTM');
    const b = fixed(a, 'missing-return-sequences');
    assert.match(b.text, /LSTM\(50, return_sequences=True\)/);
    assert.equal(b.models[0].params.total, 10400 + 4 * (20 * 70 + 20));
    // Through a Bidirectional wrapper the fix edits the wrapped layer.
    const c = fixed(run('model m {\n  input(3, 1)\n  Bidirectional(LSTM(8))\n  GRU(4)\n}\n'), 'missing-return-sequences');
    assert.match(c.text, /Bidirectional\(LSTM\(8, return_sequences=True\)\)/);
    assert.deepEqual(codes(c), []);
  });
  it('incompatible-shape: a 2D tensor into Conv1D, unknown features', () => {
    assert.ok(codes(run('model m {\n  input(4)\n  Conv1D(2, 2)\n}\n')).includes('incompatible-shape'));
    assert.ok(codes(run('model m {\n  input(4, None)\n  LSTM(2)\n}\n')).includes('incompatible-shape'));
  });
  it('window-too-long: Conv1D and pooling windows longer than the sequence', () => {
    assert.equal(at(run('model m {\n  input(3, 1)\n  Conv1D(8, kernel_size=5)\n}\n'), 'window-too-long'), '5');
    assert.ok(codes(run('model m {\n  input(3, 1)\n  MaxPooling1D(pool_size=4)\n}\n')).includes('window-too-long'));
  });
  it('flatten-unknown-length', () => {
    assert.match(only(run('model m {\n  input(None, 4)\n  Flatten()\n}\n'), 'flatten-unknown-length').message, /GlobalAveragePooling1D/);
  });
  it('cell-outside-rnn', () => {
    assert.match(only(run('model m {\n  input(5, 1)\n  PeepholeLSTMCell(3)\n}\n'), 'cell-outside-rnn').message, /RNN\(PeepholeLSTMCell\(\.\.\.\)\)/);
  });
  it('embedding-not-first', () => {
    assert.ok(codes(run('model m {\n  input(5, 1)\n  Dense(3)\n  Embedding(100, 8)\n}\n')).includes('embedding-not-first'));
  });
  it('multiple-outputs-not-last', () => {
    assert.ok(codes(run('model m {\n  input(5, 1)\n  LSTM(3, return_state=True)\n  Dense(1)\n}\n')).includes('multiple-outputs-not-last'));
  });
  it('softmax-single-unit: a warning (Keras accepts it, the model stays valid), with a fix to sigmoid', () => {
    const a = run('model m {\n  input(5, 1)\n  LSTM(3)\n  Dense(1, activation="softmax")\n}\n');
    assert.equal(at(a, 'softmax-single-unit'), '"softmax"');
    assert.equal(only(a, 'softmax-single-unit').severity, 'warning');
    assert.ok(a.models[0].valid);
    assert.equal(fixed(a, 'softmax-single-unit').models[0].layers[1].config.activation, 'sigmoid');
    const b = run('model m {\n  input(5, 1)\n  Dense(1)\n  Activation("softmax")\n}\n');
    assert.equal(only(b, 'softmax-single-unit').severity, 'warning');
    assert.equal(fixed(b, 'softmax-single-unit').models[0].layers[1].config.activation, 'sigmoid');
    // Over several units softmax is what classification wants: nothing to say.
    assert.ok(!codes(run('model m {\n  input(5, 1)\n  Dense(3, activation="softmax")\n}\n')).includes('softmax-single-unit'));
  });
  it('loss-output-mismatch: categorical_crossentropy on Dense(1)', () => {
    const a = run('data e = echo()\nmodel m {\n  input(5, 10)\n  LSTM(3)\n  Dense(1)\n}\ntrain m on e {\n  loss = "categorical_crossentropy"\n}\n');
    assert.equal(at(a, 'loss-output-mismatch'), '"categorical_crossentropy"');
  });
  it('data-shape-mismatch: window steps against input steps, horizon against output units', () => {
    const a = run(FORECAST_HEAD + 'model m {\n  input(4, 1)\n  LSTM(5)\n  Dense(2)\n}\ntrain m on series { epochs = 1 }\n');
    assert.match(only(a, 'data-shape-mismatch').message, /window steps=3/);
    const b = run(FORECAST_HEAD + 'model m {\n  input(3, 1)\n  LSTM(5)\n  Dense(3)\n}\ntrain m on series { epochs = 1 }\n');
    assert.match(only(b, 'data-shape-mismatch').message, /horizon=2.*Dense\(2\)/);
  });
  it('invalid-expression: arithmetic on a string, division by zero', () => {
    assert.ok(codes(run('let a = "x" * 2\n')).includes('invalid-expression'));
    assert.ok(codes(run('let a = 3 / 0\n')).includes('invalid-expression'));
  });
  it('undefined-name: an unknown constant, model or data; a constant defined later', () => {
    assert.equal(at(run('model m {\n  input(seq, 1)\n  LSTM(4)\n}\n'), 'undefined-name'), 'seq');
    const a = run('data d = echo()\nmodel lstm {\n input(5, 10)\n LSTM(2)\n Dense(10)\n}\ntrain lstn on d { loss = "mse" }\n');
    assert.match(only(a, 'undefined-name').message, /Did you mean lstm\?/);
    assert.match(only(run('let a = b\nlet b = 2\n'), 'undefined-name').message, /defined later/);
  });
  it('duplicate-name', () => {
    assert.ok(codes(run('let a = 1\nlet a = 2\nmodel m {\n input(a, 1)\n LSTM(1)\n}\n')).includes('duplicate-name'));
  });

  it('duplicate-name of layers: a given name against Keras\'s automatic names, whichever comes first', () => {
    const dupes = (layers: string) => run(`model m {\n input(3, 1)\n${layers}}\n`).diagnostics.filter((d) => d.code === 'duplicate-name').map((d) => d.message);
    assert.deepEqual(dupes(' Dense(2)\n Dense(2, name="dense")\n'), ["Model m already has a layer named 'dense'; layer names must be unique."]);
    assert.deepEqual(dupes(' Dense(2, name="dense_1")\n Dense(2)\n Dense(2)\n'), ["Model m already has a layer named 'dense_1'; layer names must be unique."]);
    assert.deepEqual(dupes(' Dense(2, name="x")\n Dense(2, name="x")\n'), ["Model m already has a layer named 'x'; layer names must be unique."]);
    // dense_01 and dense_7 are no automatic name of an earlier layer; a wrapped layer's name is not a layer of the model.
    assert.deepEqual(dupes(' Dense(2)\n Dense(2)\n Dense(2, name="dense_01")\n Dense(2, name="dense_7")\n'), []);
    assert.deepEqual(dupes(' Bidirectional(LSTM(2, return_sequences=True))\n LSTM(2, name="lstm")\n'), []);
  });
  it('unused-definition is a hint, marked unnecessary', () => {
    const d = only(run('let unused = 4\n'), 'unused-definition');
    assert.equal(d.severity, 'hint');
    assert.equal(d.unnecessary, true);
  });
  it('invalid-setting: unknown setting, loss and optimizer with did-you-mean', () => {
    const a = run('data d = echo()\nmodel m {\n input(5, 10)\n LSTM(2)\n Dense(10)\n}\ntrain m on d {\n  epoch = 3\n  loss = "mse"\n}\n');
    assert.match(only(a, 'invalid-setting').message, /^train has no setting 'epoch'\. Did you mean 'epochs'\?$/);
    assert.match(only(run('data d = echo()\nmodel m {\n input(5, 10)\n LSTM(2)\n Dense(10)\n}\ntrain m on d {\n  loss = "categorical_crossentropi"\n}\n'), 'invalid-setting').message, /categorical_crossentropy/);
    assert.match(only(run('data d = echo()\nmodel m {\n input(5, 10)\n LSTM(2)\n Dense(10)\n}\ntrain m on d {\n  optimizer = adamm(learning_rate=0.1)\n  loss = "mse"\n}\n'), 'invalid-setting').message, /Did you mean 'adam'\?/);
    // Settings are bound like arguments: an optimizer's own arguments, each metric, the fixes.
    const head = 'data d = echo()\nmodel m {\n input(5, 10)\n LSTM(2)\n Dense(10)\n}\ntrain m on d {\n';
    assert.match(only(run(`${head}  optimizer = sgd(learning_rat=0.1)\n  loss = "mse"\n}\n`), 'invalid-setting').message, /^sgd has no argument 'learning_rat'\. Did you mean 'learning_rate'\?$/);
    const metrics = run(`${head}  loss = "mse"\n  metrics = ["mae", "acuracy"]\n}\n`);
    assert.equal(at(metrics, 'invalid-setting'), '"acuracy"');
    assert.deepEqual(fixed(metrics, 'invalid-setting').trains[0].settings.metrics, ['mae', 'accuracy']);
    assert.equal(fixed(run(`${head}  loss = "categorical_crossentropi"\n}\n`), 'invalid-setting').trains[0].settings.loss, 'categorical_crossentropy');
    assert.match(only(run(`${head}  loss = "mse"\n  epochs = 0\n}\n`), 'invalid-setting').message, /^epochs of train must be at least 1, not 0\.$/);
  });
  it('a train block binds to TrainSettings with Keras defaults, the optimizer with every argument', () => {
    const head = 'data d = echo()\nmodel m {\n input(5, 10)\n LSTM(2)\n Dense(10)\n}\ntrain m on d {\n';
    assert.deepEqual(run(`${head}  loss = "mean_squared_error"\n}\n`).trains[0].settings, {
      optimizer: { name: 'adam', args: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
      loss: 'mse', metrics: [], epochs: 1, batchSize: 32, validationSplit: 0, shuffle: true, seed: null,
    });
    const s = run(`${head}  optimizer = SGD(0.1, momentum=0.9)\n  loss = "mse"\n  metrics = "acc"\n  epochs = 5\n  batch_size = 8\n  validation_split = 0.25\n  shuffle = false\n  seed = 3\n}\n`).trains[0].settings;
    assert.deepEqual(s, {
      optimizer: { name: 'sgd', args: { learning_rate: 0.1, momentum: 0.9, nesterov: false } },
      loss: 'mse', metrics: ['accuracy'], epochs: 5, batchSize: 8, validationSplit: 0.25, shuffle: false, seed: 3,
    });
  });
  it('invalid-data: too short a series, unknown source, a bare csv', () => {
    assert.match(only(run('data d = window([1, 2, 3], steps=3, horizon=1)\n'), 'invalid-data').message, /at least 4 values/);
    assert.ok(codes(run('data d = windw([1, 2, 3], steps=1)\n')).includes('invalid-data'));
    assert.match(only(run('data d = csv("x.csv")\n'), 'invalid-data').message, /window\(csv/);
  });
  it('invalid-predict: wrong number of steps', () => {
    const a = run('model m {\n input(3, 1)\n LSTM(2)\n Dense(1)\n}\npredict m [1, 2]\n');
    assert.match(only(a, 'invalid-predict').message, /3 steps/);
  });
  it('syntax-error: a run of junk characters is one problem, its text quoted with controls escaped', () => {
    const a = run('let x = 1 @@@\x1b]0;t\x07 $$\nlet y = x\ny');
    const junk = a.diagnostics.filter((d) => d.code === 'syntax-error');
    assert.deepEqual(
      junk.map((d) => d.message),
      ["Unexpected characters '@@@\\x1b'.", "Unexpected '@@@\\x1b' after the constant.", "Unexpected character '\\x07'.", "Unexpected characters '$$'."],
    );
    const long = run('let x = 1\n' + '@'.repeat(1_000_000) + '\n');
    const runs = long.diagnostics.filter((d) => d.code === 'syntax-error');
    assert.equal(runs.length, 1);
    assert.match(runs[0].message, /^Unexpected characters '@{24}…' \(1,000,000 characters\)\.$/);
  });
  it('not-text: binary content (a NUL) is refused with one located message, nothing else', () => {
    const a = run('let x = 1\nLSTM(\0\0\0 @@@\n' + '\0'.repeat(100_000));
    assert.deepEqual(codes(a), ['not-text']);
    assert.equal(at(a, 'not-text'), '\0');
    assert.match(a.diagnostics[0].message, /binary content/);
    assert.deepEqual([a.models, a.symbols], [[], []]);
  });
  it('too-many-problems: at most 500 listed, then one counting the rest, as severe as the worst of them', () => {
    const a = run('let a = 1\n' + 'x = 1\n'.repeat(700) + 'let unused = 2\n');
    assert.equal(a.diagnostics.length, 501);
    const last = a.diagnostics[500];
    assert.equal(last.code, 'too-many-problems');
    assert.equal(last.severity, 'error');
    assert.equal(last.message, 'And 202 more problems from here on (201 errors, 1 hint); fix the ones above first.');
    assert.equal(a.text.slice(last.span.start, last.span.end), 'x');
  });
  it('multiple-outputs-not-last names what makes the outputs: merge_mode=None, return_state=True, or both', () => {
    const message = (layer: string) => only(run(`model m {\n  input(3, 1)\n  ${layer}\n  Dense(1)\n}\n`), 'multiple-outputs-not-last').message;
    assert.match(message('Bidirectional(LSTM(8, return_sequences=True), merge_mode=None)'), /\(merge_mode=None\), .* Give bidirectional a merge_mode \("concat", "sum", "mul" or "ave"\), or make it the last layer\.$/);
    assert.doesNotMatch(message('Bidirectional(LSTM(8, return_sequences=True), merge_mode=None)'), /return_state/);
    assert.match(message('Bidirectional(LSTM(8, return_state=True), merge_mode=None)'), /\(merge_mode=None and return_state=True\).* Give bidirectional a merge_mode .* and remove return_state=True from bidirectional,/);
    assert.match(message('LSTM(8, return_state=True)'), /\(return_state=True\).* Remove return_state=True from lstm, or make it the last layer\.$/);
  });
  it('invalid-argument: sizes past TensorFlow\'s int32 and counts past 2^53 are refused where they are written, never rounded', () => {
    const errorAt = (layers: string, input = '10, 3') => {
      const a = run(`model m {\n  input(${input})\n  ${layers}\n}\n`);
      const d = a.diagnostics.filter((x) => x.severity === 'error');
      assert.equal(d.length, 1, d.map((x) => x.message).join(' | '));
      return [a.text.slice(d[0].span.start, d[0].span.end), d[0].message];
    };
    assert.deepEqual(errorAt('LSTM(1e10)'), ['1e10', 'units of LSTM must be at most 2,147,483,647 (the largest size TensorFlow takes), not 10,000,000,000.']);
    assert.deepEqual(errorAt('Dense(9007199254740993)'), ['9007199254740993', 'units of Dense must be at most 2,147,483,647 (the largest size TensorFlow takes), not about 9.01e+15.']);
    assert.deepEqual(errorAt('LSTM(1e308)')[0], '1e308');
    assert.deepEqual(errorAt('LSTM(4)', '10, 1e200'), ['1e200', 'A dimension of input must be at most 2,147,483,647 (the largest size TensorFlow takes), not about 1.00e+200.']);
    const [at, message] = errorAt('LSTM(2147483647)');
    assert.equal(at, 'LSTM');
    assert.match(message, /^LSTM would have about 1\.84e\+19 parameters: more than 9,007,199,254,740,991 \(2\^53 − 1\)/);
    const [at2, message2] = errorAt('LSTM(30000000, return_sequences=True)\n  LSTM(30000000)');
    assert.equal(at2, 'LSTM');
    assert.match(message2, /^With lstm_1, model m would have more than 9,007,199,254,740,991 \(2\^53 − 1\) parameters/);
    // Below the limits the count is exact: 4 × (u × (3 + u) + u) for u = 2^31 − 1 would not be; 2^25 is.
    const u = 2 ** 25;
    const exact = run(`model m {\n  input(10, 3)\n  LSTM(${u})\n}\n`).models[0].params.total;
    assert.equal(BigInt(exact), 4n * (BigInt(u) * (3n + BigInt(u)) + BigInt(u)));
  });
  it('covers every declared code', () => {
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !seen.has(c as DiagnosticCode));
    assert.deepEqual(missing, []);
  });
});

describe('diagnostics: ranges', () => {
  it('every diagnostic of every example lies inside the document', () => {
    const a = analyze('model m {\n LSTM(');
    for (const d of a.diagnostics) {
      assert.ok(d.span.start >= 0 && d.span.end <= a.text.length && d.span.start <= d.span.end);
    }
  });
});

describe('data sources', () => {
  it('csv takes columns by name or index and a target among them', () => {
    const a = analyze('data d = window(csv("data.csv", columns=["temp", "humidity"], target="temp"), steps=24, horizon=1)\nmodel m {\n  input(24, 2)\n  LSTM(8)\n  Dense(1)\n}\ntrain m on d { loss = "mse" }\n');
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(a.data[0].xShape, [null, 24, 2]);
    const spec = a.data[0].spec;
    assert.ok(spec.kind === 'window' && spec.series.kind === 'csv');
    assert.deepEqual(spec.series.columns, ['temp', 'humidity']);
    assert.equal(spec.series.target, 'temp');
    const b = analyze('data d = window(csv("x.csv", columns=[0, 2], target=5), steps=3)\n');
    assert.match(only(b, 'invalid-data').message, /target 5 must be one of the columns read/);
  });
});

describe('data sources: labelled windows (window(csv(..., label=...)))', () => {
  const model = (units: number, loss = 'categorical_crossentropy') =>
    `model m {\n  input(40, 3)\n  LSTM(8)\n  Dense(${units}, activation="softmax")\n}\ntrain m on rec { loss = "${loss}" }\n`;
  const rec = (more = '') => `data rec = window(csv("activity.csv", columns=["x", "y", "z"], label="activity"${more}), steps=40, stride=20, mixed="majority")\n`;

  it('knows the windows and, with class_names, the class count before reading the file', () => {
    const a = analyze(rec(', class_names=["sitting", "walking", "running"]') + model(3));
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(a.data[0].xShape, [null, 40, 3]);
    assert.deepEqual(a.data[0].yShape, [null, 3]);
    assert.deepEqual(a.data[0].spec, {
      kind: 'labelledWindows',
      series: { kind: 'csv', path: 'activity.csv', columns: ['x', 'y', 'z'], target: null, header: null, delimiter: ',' },
      label: 'activity',
      classNames: ['sitting', 'walking', 'running'],
      steps: 40,
      stride: 20,
      mixed: 'majority',
    });
    // Without class_names the classes are only known when the file is read: no complaint.
    const b = analyze(rec() + model(7));
    assert.deepEqual(b.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(b.data[0].yShape, [null, null]);
  });

  it('a last layer of the wrong width is an error whose fix gives it one unit per class', () => {
    const a = analyze(rec(', class_names=["sitting", "walking", "running"]') + model(5));
    const d = only(a, 'data-shape-mismatch');
    assert.equal(d.message, 'rec has 3 classes (class_names) but m outputs 5: make the last layer Dense(3, activation="softmax").');
    assert.equal(at(a, 'data-shape-mismatch'), 'rec');
    const after = fixed(a, 'data-shape-mismatch');
    assert.deepEqual(after.diagnostics.filter((x) => x.severity === 'error'), []);
    assert.equal(after.models[0].outputShapes[0][1], 3);
  });

  it('explains arguments that do not fit labelled windows', () => {
    const message = (text: string) => only(analyze(text), 'invalid-data').message;
    assert.match(message('data d = window(csv("a.csv", label="act"), steps=4, horizon=2)\n'), /horizon forecasts future steps.*Remove horizon/);
    assert.match(message('data d = window(csv("a.csv", label="act", target="x"), steps=4)\n'), /target is the column to forecast.*Remove target/);
    assert.match(message('data d = window(csv("a.csv", columns=["x", "act"], label="act"), steps=4)\n'), /label column "act" is also listed in columns/);
    assert.match(message('data d = window(csv("a.csv", label="act", class_names=["a"]), steps=4)\n'), /at least two classes/);
    assert.match(message('data d = window(csv("a.csv", label="act", class_names=["a", "b", "a"]), steps=4)\n'), /lists "a" twice/);
    assert.match(message('data d = window(csv("a.csv", class_names=["a", "b"]), steps=4)\n'), /add label="\.\.\."/);
    assert.match(message('data d = window(csv("a.csv"), steps=4, stride=2)\n'), /stride applies to windows classified by a label column/);
    assert.match(message('data d = window(csv("a.csv"), steps=4, mixed="last")\n'), /mixed applies to windows classified by a label column/);
    const sparse = analyze(rec() + model(3, 'sparse_categorical_crossentropy'));
    assert.match(only(sparse, 'loss-output-mismatch').message, /one-hot classes.*use loss = "categorical_crossentropy"/);
  });
});
