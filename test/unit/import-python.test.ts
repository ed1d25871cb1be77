import { strict as assert } from 'node:assert';
import { importKeras, ImportError, type ImportResult } from '../../src/import';
import { analyze, type Analysis, type ModelInfo } from '../../src/language';

// Importing Keras code from Python and notebooks. The fixtures are the course material's own
// code (the forecasting notebook of Tutorial 3, the LSTM basics notebook, the LSTM lecture's
// echo and return_state examples, the text material's Embedding models), written inline.

function imported(code: string, fileName = 'model.py'): { result: ImportResult; analysis: Analysis } {
  const result = importKeras({ fileName, content: code });
  return { result, analysis: analyze(result.text) };
}

function errors(a: Analysis): string[] {
  return a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

function shapes(m: ModelInfo): string[] {
  return m.layers.map((l) => `${l.type} ${JSON.stringify(l.outputShapes.length === 1 ? l.outputShapes[0] : l.outputShapes)} ${l.params.total}`);
}

/** A notebook with these code cells (and a markdown cell, which is skipped). */
function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Tutorial 3\n'] },
      ...cells.map((c) => ({ cell_type: 'code', metadata: {}, execution_count: 1, outputs: [], source: c.split(/(?<=\n)/) })),
    ],
  });
}

const FORECAST_CELLS = [
  `# Tutorial 3 Question 3
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import SimpleRNN
from tensorflow.keras.layers import LSTM
from tensorflow.keras.layers import BatchNormalization
from tensorflow.keras.layers import Dense
import numpy as np
from numpy import array
import matplotlib.pyplot as plt
%matplotlib inline
`,
  `# define input sequence
raw_seq = [10, 20, 30, 40, 50, 60, 70, 80, 90]
# choose a number of time steps
seq_len = 3
# choose number of future time steps to predict
n_steps = 2
`,
  `def split_sequence(sequence, seq_len, n_steps):
    X, y = list(), list()
    for i in range(len(sequence)):
        # find the end of this pattern
        end_ix = i + seq_len
        # check if we are beyond the sequence
        if end_ix + n_steps > len(sequence):
            break
        # gather input and output parts of the pattern
        seq_x, seq_y = sequence[i:end_ix], sequence[end_ix:end_ix+n_steps]
        X.append(seq_x)
        y.append(seq_y)
    return array(X), array(y)
`,
  `# split into sequences
seq_X, seq_Y = split_sequence(raw_seq, seq_len, n_steps)
# summarize the data
for i in range(len(seq_X)):
    print(seq_X[i], seq_Y[i])
`,
  `X = seq_X.reshape((seq_X.shape[0], seq_X.shape[1], 1))
Y = seq_Y
print(X.shape, Y.shape)
`,
  `#RNN
model = Sequential()
model.add(SimpleRNN(50, activation='sigmoid', input_shape=(seq_len, 1)))
model.add(Dense(n_steps))
model.compile(optimizer='adam', loss='mse')

print(model.summary())

# model training
history = model.fit(X, Y, epochs= 1000, verbose=0)
`,
  `# Test Prediction
X_test = array([70, 80, 90])
X_test = X_test.reshape(1, seq_len, 1)
Y_test = model.predict(X_test)
print(Y_test)
`,
  `# Batch Normalization
model = Sequential()
model.add(BatchNormalization(input_shape=(seq_len, 1)))
model.add(SimpleRNN(50, activation='sigmoid'))
# note: using ReLU instead of sigmoid improves RNN even without BN
model.add(BatchNormalization())
model.add(Dense(n_steps))
model.compile(optimizer='adam', loss='mse')

print(model.summary())
`,
  `history1 = model.fit(X, Y, epochs= 1000, verbose=0)`,
  `X_test = array([70, 80, 90])
X_test = X_test.reshape((1, seq_len, 1))
Y_test = model.predict(X_test)
print(Y_test)
`,
  `#LSTM
model = Sequential()
model.add(LSTM(50, activation='relu', input_shape=(seq_len, 1)))
model.add(Dense(n_steps))
model.compile(optimizer='adam', loss='mse')

print(model.summary())
`,
  `history2 = model.fit(X, Y, epochs= 1000, verbose=0)`,
  `X_test = array([70, 80, 90])
X_test = X_test.reshape((1, seq_len, 1))
Y_test = model.predict(X_test)
print(Y_test)
`,
  `plt.plot(history.history["loss"])
plt.plot(history1.history["loss"])
plt.legend(("RNN", "Batch"))
`,
  `keras.backend.clear_session()`,
  `%%bash
for f in *.csv; do echo "$f"; done
`,
];

/** The echo model of the LSTM lecture, as it defines and compiles it. */
const ECHO_MODEL = `# define model
length = 5
n_features = 10
out_index = 2
model = Sequential()
model.add(LSTM(25, input_shape=(length, n_features)))
model.add(Dense(n_features, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
`;

describe('Import from Keras: Python and notebooks', () => {
  describe("the forecasting notebook (Tutorial 3's three models)", () => {
    const { result, analysis } = imported(notebook(FORECAST_CELLS), 'Tutorial3.ipynb');

    it('gives the three models with the parameter counts Keras printed', () => {
      assert.equal(result.kind, 'notebook');
      assert.deepEqual(errors(analysis), []);
      assert.deepEqual(
        analysis.models.map((m) => [m.name, m.params.total, m.params.trainable]),
        [
          ['rnn', 2702, 2702],
          ['rnn_2', 2906, 2804],
          ['lstm', 10502, 10502],
        ],
      );
      assert.deepEqual(shapes(analysis.models[1]), ['BatchNormalization [null,3,1] 4', 'SimpleRNN [null,50] 2600', 'BatchNormalization [null,50] 200', 'Dense [null,2] 102']);
    });

    it('keeps the constants, the data, one train block for all three and the predictions', () => {
      assert.match(result.text, /^let seq_len = 3\nlet n_steps = 2$/m);
      assert.match(result.text, /^data series = window\(\[10, 20, 30, 40, 50, 60, 70, 80, 90\], steps=seq_len, horizon=n_steps\)$/m);
      assert.match(result.text, /SimpleRNN\(50, activation="sigmoid", input_shape=\(seq_len, 1\)\)\n {2}Dense\(n_steps\)/);
      assert.match(result.text, /train rnn, rnn_2, lstm on series \{\n {2}optimizer = "adam"\n {2}loss = "mse"\n {2}epochs = 1000\n\}/);
      assert.equal(analysis.predicts.length, 3);
      assert.deepEqual(analysis.predicts[2], { ...analysis.predicts[2], model: 'lstm', input: [[70], [80], [90]] });
      assert.deepEqual(analysis.data[0].xShape, [5, 3, 1]);
    });

    it('reads the magics and the plotting without a warning', () => {
      assert.deepEqual(result.warnings, []);
    });
  });

  it('imports the stacked LSTM of the LSTM basics notebook (TensorFlow 1 cells)', () => {
    const { result, analysis } = imported(`import tensorflow as tf
sess = tf.Session()
input_dim = 6
cells = []
LSTM_CELL_SIZE_1 = 4 #4 hidden nodes
cell1 = tf.contrib.rnn.LSTMCell(LSTM_CELL_SIZE_1)
cells.append(cell1)
LSTM_CELL_SIZE_2 = 5 #5 hidden nodes
cell2 = tf.contrib.rnn.LSTMCell(LSTM_CELL_SIZE_2)
cells.append(cell2)
stacked_lstm = tf.contrib.rnn.MultiRNNCell(cells)
# Batch size x time steps x features.
data = tf.placeholder(tf.float32, [None, None, input_dim])
output, state = tf.nn.dynamic_rnn(stacked_lstm, data, dtype=tf.float32)
`);
    assert.deepEqual(errors(analysis), []);
    assert.match(result.text, /model stacked_lstm \{\n {2}input\(None, 6\)\n {2}LSTM\(LSTM_CELL_SIZE_1, return_sequences=True\)\n {2}LSTM\(LSTM_CELL_SIZE_2, return_sequences=True\)\n\}/);
    // 4 × ((6 + 4) × 4 + 4) and 4 × ((4 + 5) × 5 + 5), the weights of TF's LSTMCell.
    assert.deepEqual(shapes(analysis.models[0]), ['LSTM [null,null,4] 176', 'LSTM [null,null,5] 200']);
  });

  it("imports the LSTM lecture's echo model, keeping its compile settings in a note", () => {
    const { result, analysis } = imported(`from keras.models import Sequential
from keras.layers import LSTM, Dense
${ECHO_MODEL}model.summary()
`);
    assert.deepEqual(errors(analysis), []);
    assert.deepEqual(shapes(analysis.models[0]), ['LSTM [null,25] 3600', 'Dense [null,10] 260']);
    assert.equal(analysis.models[0].params.total, 3860);
    assert.equal(result.warnings.length, 1);
    assert.equal(result.warnings[0].line, 10);
    assert.match(result.warnings[0].message, /compiled with optimizer = "adam", loss = "categorical_crossentropy", metrics = \["accuracy"\] but not fitted/);
    assert.match(result.text, /# line 10: compiled with/);
  });

  it("turns the echo problem's training loop into echo data and one epoch of single examples", () => {
    const { result, analysis } = imported(`from random import randint, seed
from keras.models import Sequential
from keras.layers import LSTM, Dense
def generate_example(length, n_features, out_index):
    pass
seed(7)
${ECHO_MODEL}# fit model
for i in range(10000):
    X, y = generate_example(length, n_features, out_index)
    model.fit(X, y, epochs=1, verbose=2)
`);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(errors(analysis), []);
    assert.match(result.text, /data echoes = echo\(samples=10000, length=length, features=n_features, index=out_index, seed=7\)/);
    const { settings } = analysis.trains[0];
    assert.deepEqual([settings.epochs, settings.batchSize, settings.shuffle, settings.loss], [1, 1, false, 'categorical_crossentropy']);
    assert.deepEqual(analysis.data[0].xShape, [10000, 5, 10]);
  });

  it('imports the return_state model of the LSTM lecture (a functional model of one chain)', () => {
    const { result, analysis } = imported(`from keras.layers import Model, Input, LSTM
Tx = 30
n_x = 3
n_s = 64
X = Input(shape=(Tx, n_x))
s, a, c = LSTM(n_s, return_sequences=True, return_state=True)(X)
model_LSTM = Model(inputs=X, outputs=[s, a, c])
model_LSTM.summary()
`);
    assert.deepEqual(errors(analysis), []);
    assert.deepEqual(result.warnings, []);
    assert.match(result.text, /model model_LSTM \{\n {2}Input\(shape=\(Tx, n_x\)\)\n {2}LSTM\(n_s, return_sequences=True, return_state=True\)\n\}/);
    assert.deepEqual(shapes(analysis.models[0]), ['LSTM [[null,30,64],[null,64],[null,64]] 17408']);
  });

  it("imports the lecture's units example with input_shape and batch_input_shape", () => {
    const { analysis } = imported(`import keras
model = keras.models.Sequential()
model.add(keras.layers.LSTM(units=3, input_shape=(2,10)))
model2 = keras.models.Sequential()
model2.add(keras.layers.LSTM(units=3, batch_input_shape=(8,2,10)))
`);
    assert.deepEqual(errors(analysis), []);
    assert.deepEqual(
      analysis.models.map((m) => [m.name, m.params.total]),
      [
        ['lstm', 168],
        ['model2', 168],
      ],
    );
  });

  describe('the Embedding models of the text material', () => {
    it('imports the SimpleRNN models and their summaries', () => {
      const { analysis } = imported(`from keras.models import Sequential
from keras.layers import Embedding, SimpleRNN
model = Sequential()
model.add(Embedding(10000, 32))
model.add(SimpleRNN(32))
model.summary()

model = Sequential()
model.add(Embedding(10000, 32))
model.add(SimpleRNN(32, return_sequences=True))
model.summary()

model = Sequential()
model.add(Embedding(10000, 32))
model.add(SimpleRNN(32, return_sequences=True))
model.add(SimpleRNN(32, return_sequences=True))
model.add(SimpleRNN(32, return_sequences=True))
model.add(SimpleRNN(32))
model.summary()
`);
      assert.deepEqual(errors(analysis), []);
      assert.deepEqual(
        analysis.models.map((m) => m.params.total),
        [322080, 322080, 328320],
      );
      assert.deepEqual(shapes(analysis.models[1]), ['Embedding [null,null,32] 320000', 'SimpleRNN [null,null,32] 2080']);
    });

    it('imports the IMDB LSTM with its data and training', () => {
      const { result, analysis } = imported(`from keras.datasets import imdb
from keras.preprocessing import sequence
from keras.models import Sequential
from keras.layers import Embedding, Dense, LSTM
max_features = 10000 # number of words to consider as features
maxlen = 500 # cut texts after this number of words
batch_size = 32
print('Loading data...')
(input_train, y_train), (input_test, y_test) = imdb.load_data(num_words=max_features)
print(len(input_train), 'train sequences')
input_train = sequence.pad_sequences(input_train, maxlen=maxlen)
input_test = sequence.pad_sequences(input_test, maxlen=maxlen)
print('input_train shape:', input_train.shape)

model = Sequential()
model.add(Embedding(max_features, 32))
model.add(LSTM(32))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='rmsprop',
              loss='binary_crossentropy',
              metrics=['acc'])
history = model.fit(input_train, y_train,
                    epochs=10,
                    batch_size=128,
                    validation_split=0.2)
import matplotlib.pyplot as plt
acc = history.history['acc']
`);
      assert.deepEqual(errors(analysis), []);
      assert.deepEqual(result.warnings, []);
      assert.match(result.text, /data reviews = sentiment\(samples=25000, vocab=max_features, maxlen=maxlen\)/);
      assert.equal(analysis.models[0].params.total, 328353);
      const train = analysis.trains[0];
      assert.deepEqual(train.models, ['lstm']);
      assert.deepEqual(
        { ...train.settings, optimizer: train.settings.optimizer.name },
        { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'], epochs: 10, batchSize: 128, validationSplit: 0.2, shuffle: true, seed: null },
      );
    });
  });

  it('reads every spelling of a layer and Sequential([...]) with an Input first', () => {
    const { result, analysis } = imported(`import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from keras.layers import GRU
units = 2 * 16
model = keras.Sequential([
    keras.Input(shape=(None, 4)),
    layers.LSTM(units, return_sequences=True),
    tf.keras.layers.GRU(8, return_sequences=True),
    keras.layers.Bidirectional(layers.SimpleRNN(4)),
    GRU  # not called: not a layer
], name="spellings")
`);
    assert.match(result.text, /let units = 2 \* 16/);
    assert.match(result.text, /model spellings \{\n {2}Input\(shape=\(None, 4\)\)\n {2}LSTM\(units, return_sequences=True\)\n {2}GRU\(8, return_sequences=True\)\n {2}Bidirectional\(SimpleRNN\(4\)\)\n/);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0].message, /GRU is not a layer SeqModel knows/);
    assert.equal(result.warnings[0].line, 11);
    assert.deepEqual(errors(analysis), []);
    assert.deepEqual(shapes(analysis.models[0]), ['LSTM [null,null,32] 4736', 'GRU [null,null,8] 1008', 'Bidirectional [null,8] 104']);
  });

  it('follows a build function, a loop that adds layers and X.shape of the data', () => {
    const { result, analysis } = imported(`from numpy import array
from keras.models import Sequential
from keras.layers import LSTM, Dense
from keras.optimizers import Adam

def split_sequence(sequence, n_steps):
    pass

raw = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]
X, y = split_sequence(array(raw), 2)
n_features = X.shape[2]

def build(depth):
    model = Sequential()
    model.add(LSTM(8, return_sequences=True, input_shape=(X.shape[1], n_features)))
    for i in range(depth):
        model.add(LSTM(8, return_sequences=True))
    model.add(LSTM(4))
    model.add(Dense(1))
    model.compile(optimizer=Adam(lr=0.01), loss='mae')
    return model

net = build(2)
net.fit(X, y, epochs=5, verbose=0)
net.predict(array([[[9, 10], [11, 12]]]))
`);
    assert.deepEqual(errors(analysis), []);
    assert.deepEqual(result.warnings, []);
    assert.match(result.text, /data series = window\(\[\[1, 2\], \[3, 4\], \[5, 6\], \[7, 8\], \[9, 10\]\], steps=2\)/);
    assert.match(result.text, /let n_features = 2\n/);
    assert.match(result.text, /LSTM\(8, return_sequences=True, input_shape=\(2, n_features\)\)/);
    assert.deepEqual(analysis.models.map((m) => [m.name, m.layers.length]), [['net', 5]]);
    assert.equal(analysis.trains[0].settings.optimizer.args.learning_rate, 0.01);
    assert.deepEqual(analysis.predicts[0].input, [
      [9, 10],
      [11, 12],
    ]);
  });

  it('runs the body of if __name__ == "__main__" and reports other conditions', () => {
    const { result, analysis } = imported(`from keras.models import Sequential
from keras.layers import GRU, Dense
def main():
    model = Sequential([GRU(8, input_shape=(12, 3)), Dense(1)])
    if deep:
        model.add(Dense(1))
    return model
if __name__ == "__main__":
    main()
`);
    assert.deepEqual(analysis.models.map((m) => [m.name, m.params.total]), [['gru', 321]]);
    assert.equal(result.warnings.length, 1);
    assert.equal(result.warnings[0].line, 5);
    assert.match(result.warnings[0].message, /an if statement that builds or trains a model is not imported/);
  });

  describe('what cannot be imported is a located comment and a warning', () => {
    it('a functional model with branches', () => {
      const { result } = imported(`from keras.layers import Input, LSTM, Dense, concatenate
from keras.models import Model
x = Input(shape=(10, 3))
a = LSTM(8)(x)
b = LSTM(8, go_backwards=True)(x)
m = concatenate([a, b])
out = Dense(1)(m)
model = Model(inputs=x, outputs=out)
`);
      assert.equal(result.warnings.length, 1);
      assert.equal(result.warnings[0].line, 8);
      assert.match(result.warnings[0].message, /functional model with several inputs, outputs or branches.*concatenate merges branches/);
      assert.match(result.text, /model sequential \{\n {2}# line 8: Model\(inputs=x, outputs=out\) is a functional model/);
    });

    it('a custom layer, an unknown layer class and an unknown argument', () => {
      const { result, analysis } = imported(`import keras
class Attention(keras.layers.Layer):
    pass
model = keras.Sequential()
model.add(keras.layers.LSTM(16, return_sequences=True, input_shape=(20, 2), implementation=2))
model.add(Attention())
model.add(keras.layers.Conv2D(8, 3))
model.add(keras.layers.Dense(1))
`);
      assert.deepEqual(
        result.warnings.map((w) => [w.line, w.message.replace(/[:;].*/, '')]),
        [
          [5, 'LSTM'],
          [6, 'Attention() is not a layer SeqModel knows'],
          [7, 'keras.layers.Conv2D(8, 3) is not a layer SeqModel knows'],
        ],
      );
      assert.match(result.warnings[1].message, /a class defined in the script/);
      assert.match(result.text, /# line 6: Attention\(\) is not a layer/);
      assert.equal(analysis.models[0].layers.length, 2);
    });

    it('data the language has no source for, and predictions on computed values', () => {
      const { result, analysis } = imported(`import pandas as pd
from keras.models import Sequential
from keras.layers import LSTM, Dense
frame = pd.read_csv('prices.csv')
X = frame.values[:, :-1].reshape((-1, 10, 1))
y = frame.values[:, -1]
model = Sequential([LSTM(4, input_shape=(10, 1)), Dense(1)])
model.compile(optimizer='sgd', loss='mse')
model.fit(X, y, epochs=3, callbacks=[stopper])
model.predict(X[-1:])
`);
      const messages = result.warnings.map((w) => `${w.line}: ${w.message}`);
      assert.equal(messages.length, 3, messages.join('\n'));
      assert.match(messages[0], /^9: fit's callbacks=\[stopper\] is not imported/);
      assert.match(messages[1], /^9: model\.fit\(X, y, epochs=3, callbacks=\[stopper\]\) trains on data the importer cannot describe.*optimizer = "sgd", loss = "mse", epochs = 3/);
      assert.match(messages[2], /^10: model\.predict\(X\[-1:\]\) predicts on values computed by Python/);
      assert.deepEqual(errors(analysis), []);
      assert.equal(analysis.trains.length, 0);
    });

    it('models built in a class, in a function never called, or by an object it cannot see', () => {
      const { result, analysis } = imported(`import keras
class Forecaster:
    def __init__(self, steps):
        self.model = keras.Sequential([keras.layers.LSTM(32, input_shape=(steps, 1))])

def build_model():
    return keras.Sequential([keras.layers.GRU(4, input_shape=(5, 2))])

wrapper = KerasRegressor(build_fn=build_model)
wrapper.model.add(keras.layers.Dense(1))
layers = [keras.layers.SimpleRNN(4, input_shape=(5, 2)), keras.layers.Dense(2)]
m = keras.Sequential(layers)
`);
      assert.deepEqual(
        result.warnings.map((w) => [w.line, w.message.slice(0, 40)]),
        [
          [2, 'the class Forecaster builds or trains a '],
          [10, 'keras.layers.Dense(1) is not in a model '],
          [6, 'the function build_model builds or train'],
        ],
      );
      assert.deepEqual(analysis.models.map((m) => [m.name, m.params.total]), [['m', 38]]);
    });

    it('syntax the parser cannot read, with its notebook cell', () => {
      const { result } = imported(notebook(['from keras.layers import Dense\nimport keras\n', 'model = keras.Sequential([Dense(2, input_shape=(3,))])\nmodel.add(Dense(4,, 5))\n']), 'broken.ipynb');
      assert.equal(result.warnings.length, 1);
      assert.deepEqual({ cell: result.warnings[0].cell, line: result.warnings[0].line }, { cell: 2, line: 2 });
      assert.match(result.text, /# cell 2, line 2: /);
    });
  });

  it('rejects a file with no model and a notebook that is not JSON, with where', () => {
    assert.throws(() => importKeras({ fileName: 'plot.py', content: 'import matplotlib.pyplot as plt\nplt.plot([1, 2])\n' }), (e: unknown) => e instanceof ImportError && /no Keras model found/.test(e.message));
    assert.throws(
      () => importKeras({ fileName: 'bad.ipynb', content: '{\n  "cells": [\n    oops\n  ]\n}' }),
      (e: unknown) => e instanceof ImportError && e.at.line === 3 && e.at.column === 5 && /not valid JSON: unexpected 'oops'/.test(e.message),
    );
  });

  it('avoids the names of the document it is pasted into', () => {
    const result = importKeras({ fileName: 'pasted.py', content: 'from keras.layers import LSTM\nfrom keras.models import Sequential\nlstm = Sequential([LSTM(4, input_shape=(3, 1))])\n', reserved: ['lstm'] });
    assert.match(result.text, /model lstm_2 \{/);
  });
});
