import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/language';
import { exportKeras, layerCall, pythonValue } from '../../src/language';
import { csvSeriesFromLines } from '../../src/training/data/csv';
import { labelledWindows } from '../../src/training/data/labelledWindows';
import { pythonWithNumpy } from './python';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const example = (name: string) => analyze(readFileSync(path.join(EXAMPLES, `${name}.seqmodel`), 'utf8'));

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('Export to Keras', () => {
  it('writes Python literals as Keras takes them', () => {
    assert.equal(pythonValue(true), 'True');
    assert.equal(pythonValue(null), 'None');
    assert.equal(pythonValue(1e-7), '1e-07');
    assert.equal(pythonValue(0.001), '0.001');
    assert.equal(pythonValue("it's"), "'it\\'s'");
    assert.equal(pythonValue([3], true), '(3,)');
    assert.equal(pythonValue([3, 1], true), '(3, 1)');
    assert.equal(pythonValue(['a', 'b']), "['a', 'b']");
  });

  it('keeps only the arguments that differ from Keras defaults, required ones by position', () => {
    const a = example('forecast');
    const rnn = a.models.find((m) => m.name === 'rnn')!;
    assert.equal(layerCall(rnn.layers[0]), "SimpleRNN(50, activation='sigmoid', input_shape=(3, 1))");
    assert.equal(layerCall(rnn.layers[1]), 'Dense(2)');
  });

  it('exports the forecasting seed: split_sequence, the model, compile, fit, predict', () => {
    const code = exportKeras(example('forecast'), 'lstm', { fileName: 'forecast.seqmodel' });
    assert.match(code, /^# lstm: exported from forecast\.seqmodel/);
    assert.match(code, /def split_sequence\(sequence, n_steps_in, n_steps_out, target=0\):/);
    assert.match(code, /raw_seq = \[10, 20, 30, 40, 50, 60, 70, 80, 90\]/);
    assert.match(code, /n_steps_in, n_steps_out = 3, 2/);
    assert.match(code, /from tensorflow\.keras\.layers import LSTM, Dense\n/);
    // `input(seq_len, 1)` in the DSL becomes the first layer's input_shape, as the course notebooks write it.
    assert.match(code, /model\.add\(LSTM\(50, activation='relu', input_shape=\(3, 1\)\)\)\nmodel\.add\(Dense\(2\)\)/);
    assert.match(code, /model\.compile\(optimizer='adam', loss='mse'\)/);
    assert.match(code, /model\.fit\(X, y, epochs=1000, verbose=2\)/);
    assert.match(code, /x_input = np\.array\(\[70, 80, 90\], dtype='float32'\)\.reshape\(\(1, 3, 1\)\)/);
    assert.match(code, /tf\.keras\.utils\.set_random_seed\(1\)/);
  });

  it('exports BatchNormalization with the input shape on the first layer', () => {
    const code = exportKeras(example('forecast'), 'rnn_bn');
    assert.match(code, /model\.add\(BatchNormalization\(input_shape=\(3, 1\)\)\)\nmodel\.add\(SimpleRNN\(50, activation='sigmoid'\)\)\nmodel\.add\(BatchNormalization\(\)\)/);
  });

  it('exports the echo seed with its generator, metrics and validation split', () => {
    const code = exportKeras(example('echo'), 'lstm');
    assert.match(code, /def generate_example\(length, n_features, out_index\):/);
    assert.match(code, /length, n_features, out_index = 5, 10, 2/);
    assert.match(code, /range\(5000\)/);
    assert.match(code, /model\.add\(Dense\(10, activation='softmax'\)\)/);
    assert.match(code, /metrics=\['accuracy'\]/);
    assert.match(code, /validation_split=0\.1/);
  });

  it('exports the sentiment models with the IMDB loader, batch size and an Embedding', () => {
    const code = exportKeras(example('imdb_sentiment'), 'lstm');
    assert.match(code, /imdb\.load_data\(num_words=max_features\)/);
    assert.match(code, /pad_sequences/);
    assert.match(code, /model\.add\(Embedding\(10000, 32\)\)/);
    assert.match(code, /batch_size=128/);
    assert.doesNotMatch(code, /input_shape/);
  });

  it('names an optimizer class when its arguments differ, and reads CSV series with pandas', () => {
    const src = `data d = window(csv("data.csv", target="b"), steps=3)
model m {
  Bidirectional(LSTM(10, return_sequences=True), input_shape=(3, 2))
  TimeDistributed(Dense(1))
  Flatten()
  Dense(1)
}
train m on d {
  optimizer = sgd(learning_rate=0.1, momentum=0.9)
  loss = "mae"
  epochs = 5
  batch_size = 8
  shuffle = false
}
predict m [[1, 2], [3, 4], [5, 6]]
`;
    const analysis = analyze(src);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
    const code = exportKeras(analysis, 'm');
    assert.match(code, /from tensorflow\.keras\.optimizers import SGD/);
    assert.match(code, /optimizer=SGD\(learning_rate=0\.1, momentum=0\.9\), loss='mae'/);
    assert.match(code, /raw = pd\.read_csv\('data\.csv'\)/);
    assert.match(code, /target = list\(frame\.columns\)\.index\('b'\)/);
    assert.match(code, /Bidirectional\(LSTM\(10, return_sequences=True\), input_shape=\(3, 2\)\)/);
    assert.match(code, /TimeDistributed\(Dense\(1\)\)/);
    assert.match(code, /epochs=5, batch_size=8, shuffle=False/);
    assert.match(code, /reshape\(\(1, 3, 2\)\)/);
  });

  it('says why compile and fit are missing for a model without a train block', () => {
    const code = exportKeras(example('lstm_states'), 'small');
    assert.match(code, /No train block names small/);
    assert.doesNotMatch(code, /model\.fit/);
  });

  it('refuses an unknown model', () => {
    assert.throws(() => exportKeras(example('forecast'), 'nope'), /No model named 'nope'/);
  });

  it('produces valid Python for every model of every example', function () {
    if (!hasPython()) this.skip();
    this.timeout(60_000);
    const scripts: { name: string; code: string }[] = [];
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.seqmodel'))) {
      const analysis = analyze(readFileSync(path.join(EXAMPLES, file), 'utf8'));
      for (const model of analysis.models) scripts.push({ name: `${file} ${model.name}`, code: exportKeras(analysis, model.name, { fileName: file }) });
    }
    assert.ok(scripts.length >= 8, `only ${scripts.length} models in the examples`);
    // One interpreter for all: parse each script and report the ones that fail.
    const checker = [
      'import ast, json, sys',
      'bad = []',
      'for s in json.load(sys.stdin):',
      '    try: ast.parse(s["code"])',
      '    except SyntaxError as e: bad.append(s["name"] + ": " + str(e))',
      'print(json.dumps(bad))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', checker], { input: JSON.stringify(scripts), encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), []);
  });
});

describe('Export to Keras: RNN(cell)', () => {
  const text = [
    'model cells {',
    '  input(20, 2)',
    '  RNN(PeepholeLSTMCell(8), return_sequences=True)',
    '  RNN(FullPeepholeLSTMCell(8, peephole_gates=["forget", "output"]), return_sequences=True)',
    '  RNN(StackedRNNCells([CoupledLSTMCell(8), LayerNormGRUCell(8, norm_epsilon=0.01)]), return_sequences=True)',
    '  RNN(LayerNormLSTMCell(8), return_sequences=True)',
    '  RNN(LayerNormSimpleRNNCell(4))',
    '  Dense(1)',
    '}',
  ].join('\n');
  const code = () => exportKeras(analyze(text), 'cells');

  it('imports the cells Keras 2 and TF Addons had from there, and the Keras ones from tensorflow.keras.layers', () => {
    const c = code();
    assert.match(c, /^from tensorflow\.keras\.layers import RNN, StackedRNNCells, Dense$/m);
    assert.match(c, /^from tensorflow\.keras\.experimental import PeepholeLSTMCell$/m);
    assert.match(c, /^from tensorflow_addons\.rnn import LayerNormLSTMCell, LayerNormSimpleRNNCell$/m);
    assert.match(c, /^model\.add\(RNN\(StackedRNNCells\(\[CoupledLSTMCell\(8\), LayerNormGRUCell\(8, norm_epsilon=0\.01\)\]\), return_sequences=True\)\)$/m);
    assert.match(c, /^model\.add\(RNN\(FullPeepholeLSTMCell\(8, peephole_gates=\['forget', 'output'\]\), return_sequences=True\)\)$/m);
  });

  it('defines a Keras cell class for each cell no library had, and only those', () => {
    const c = code();
    for (const name of ['FullPeepholeLSTMCell', 'CoupledLSTMCell', 'LayerNormGRUCell']) assert.match(c, new RegExp(`^class ${name}\\(SeqModelCell\\):`, 'm'));
    assert.doesNotMatch(c, /^class (PeepholeLSTMCell|LayerNormLSTMCell)/m);
    assert.match(c, /^import tensorflow as tf$/m);
    assert.doesNotMatch(exportKeras(analyze('model m {\n  input(3, 1)\n  RNN(LSTMCell(4))\n}\n'), 'm'), /class SeqModelCell|import tensorflow as tf/);
  });

  it('is valid Python whose cell classes each define call', function () {
    if (!hasPython()) this.skip();
    const checker = [
      'import ast, sys',
      'tree = ast.parse(sys.stdin.read())',
      'classes = {n.name: [f.name for f in n.body if isinstance(f, ast.FunctionDef)] for n in tree.body if isinstance(n, ast.ClassDef)}',
      'print(sorted(classes)); print(all("call" in fs for name, fs in classes.items() if name != "SeqModelCell"))',
      // get_config: Bidirectional rebuilds the backward copy of RNN(cell) from it.
      'print(sorted(name for name, fs in classes.items() if "get_config" in fs))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', checker], { input: code(), encoding: 'utf8' }).trim().split('\n');
    assert.equal(out[0], "['CoupledLSTMCell', 'FullPeepholeLSTMCell', 'LayerNormGRUCell', 'SeqModelCell']");
    assert.equal(out[1], 'True');
    // CoupledLSTMCell adds no argument of its own: SeqModelCell's get_config is all of it.
    assert.equal(out[2], "['FullPeepholeLSTMCell', 'LayerNormGRUCell', 'SeqModelCell']");
  });

  it('Bidirectional(RNN(cell)) with the cell\'s dropout exports as Keras writes it', () => {
    const c = exportKeras(
      analyze('model m {\n  input(10, 3)\n  Bidirectional(RNN(PeepholeLSTMCell(8, dropout=0.2, recurrent_dropout=0.1), return_sequences=True), merge_mode="sum")\n  Bidirectional(RNN(StackedRNNCells([CoupledLSTMCell(4), LayerNormLSTMCell(3)])))\n}\n'),
      'm',
    );
    assert.match(c, /^model\.add\(Bidirectional\(RNN\(PeepholeLSTMCell\(8, dropout=0\.2, recurrent_dropout=0\.1\), return_sequences=True\), merge_mode='sum', input_shape=\(10, 3\)\)\)$/m);
    assert.match(c, /^model\.add\(Bidirectional\(RNN\(StackedRNNCells\(\[CoupledLSTMCell\(4\), LayerNormLSTMCell\(3\)\]\)\)\)\)$/m);
    assert.match(c, /^from tensorflow\.keras\.layers import Bidirectional, RNN, StackedRNNCells$/m);
    assert.match(c, /^class CoupledLSTMCell\(SeqModelCell\):/m);
  });
});

describe('Export to Keras: labelled windows', () => {
  const labels = ['walk', 'walk', 'run', 'run', 'walk', 'sit', 'sit', 'run', 'walk', 'walk', 'walk', 'walk', 'sit'];

  it('writes the windowing as Python that cuts the same windows with the same classes', async () => {
    const a = analyze(
      'data d = window(csv("r.csv", label="act"), steps=4, stride=1, mixed="majority")\n' +
        'model m {\n  input(4, 1)\n  LSTM(4)\n  Dense(3, activation="softmax")\n}\ntrain m on d { loss = "categorical_crossentropy" }\n',
    );
    const py = exportKeras(a, 'm', { fileName: 'r.seqmodel' });
    assert.match(py, /labels = raw\['act'\]\.astype\(str\)\.to_numpy\(\)\nclass_names = sorted\(set\(labels\)\)/);
    assert.match(py, /features = raw\.drop\(columns=\['act'\]\)\.to_numpy\(dtype='float32'\)/);
    const fn = py.slice(py.indexOf('def labelled_windows'), py.indexOf('\n\n# data'));
    // Run the exported function (to_categorical stood in by numpy) on every rule and size.
    const script = [
      'import json',
      'import numpy as np',
      'from collections import Counter',
      'def to_categorical(y, n):',
      '    return np.eye(n)[y]',
      fn,
      `labels = np.array(${JSON.stringify(labels)})`,
      'features = np.arange(len(labels), dtype="float32").reshape(-1, 1)',
      'class_names = sorted(set(labels))',
      'out = {}',
      "for mixed in ['drop', 'last', 'majority']:",
      '    for steps in [2, 3, 4]:',
      '        X, y = labelled_windows(features, labels, class_names, steps, 1, mixed)',
      "        out[mixed + str(steps)] = [[int(x[0][0]) for x in X], [int(np.argmax(r)) for r in y]]",
      'print(json.dumps(out))',
    ].join('\n');
    const python = JSON.parse(execFileSync(pythonWithNumpy(), ['-c', script], { encoding: 'utf8' })) as Record<string, [number[], number[]]>;
    const series = await csvSeriesFromLines({ kind: 'csv', path: 'r.csv', columns: null, target: null, header: null, delimiter: ',' }, ['t,act', ...labels.map((l, i) => `${i},${l}`)], 'r.csv', undefined, { column: 'act', classNames: null });
    for (const mixed of ['drop', 'last', 'majority'] as const) {
      for (const steps of [2, 3, 4]) {
        const data = labelledWindows(series, { steps, stride: 1, mixed, source: 'r.csv' });
        const n = data.x.shape[0];
        const starts = Array.from({ length: n }, (_, i) => data.x.values[i * steps]);
        const classes = Array.from({ length: n }, (_, i) => Array.from(data.y.values.subarray(i * 3, i * 3 + 3)).indexOf(1));
        assert.deepEqual([starts, classes], python[mixed + steps], `${mixed}, steps ${steps}`);
      }
    }
  });
});
