// The engine's analysis and the built tfjs model must agree on every layer's parameter count
// and output shapes: for every example file and a document using every layer type.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/language';
import { initBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/build';
import { compareWithEngine } from '../../src/training/verify';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

const EVERY_LAYER = `
model conv_stack {
  input(10, 3)
  Masking(mask_value=0.0)
  Conv1D(8, 3, padding="same", activation="relu")
  MaxPooling1D(2)
  AveragePooling1D(pool_size=2, strides=1)
  BatchNormalization()
  LayerNormalization()
  SpatialDropout1D(0.1)
  Bidirectional(GRU(4, return_sequences=True))
  TimeDistributed(Dense(3))
  Bidirectional(LSTM(5), merge_mode="sum")
  Dropout(0.3)
  RepeatVector(2)
  Reshape((10,))
  Dense(4, activation="hard_sigmoid")
  Activation("softmax")
}
model gru_v1 {
  input(6, 2)
  GRU(7, return_sequences=True, reset_after=False)
  GlobalMaxPooling1D()
}
model gru_states {
  input(6, 2)
  GRU(7, return_sequences=True, return_state=True, go_backwards=True)
}
model rnn_gap {
  input(6, 2)
  SimpleRNN(3, return_sequences=True, activation="relu")
  GlobalAveragePooling1D()
}
model causal {
  input(12, 2)
  Conv1D(8, 3, padding="causal", dilation_rate=2)
  Conv1D(4, 2, padding="causal", strides=2)
  GRU(3)
}
model flat {
  input(6, 2)
  Conv1D(filters=4, kernel_size=(2,), strides=2)
  Flatten()
  Dense(2, use_bias=False)
}
model no_bias {
  input(5, 3)
  GRU(4, use_bias=False, return_sequences=True)
  LSTM(3, use_bias=False, return_sequences=True)
  SimpleRNN(2, use_bias=False)
}
model masked_words {
  Embedding(50, 4, mask_zero=True)
  Bidirectional(GRU(3))
  Dense(1, activation="sigmoid")
}
model frozen {
  input(3, 1)
  LSTM(8, trainable=False)
  Dense(1)
}
`;

function checkDocument(label: string, text: string): void {
  const analysis = analyze(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], `${label} has errors`);
  assert.ok(analysis.models.length > 0, `${label} has no model`);
  for (const info of analysis.models) {
    const warnings: string[] = [];
    const model = buildModel(info, { seed: 3, onWarning: (w) => warnings.push(w) });
    assert.deepEqual(compareWithEngine(info, model), [], `${label}: model ${info.name}`);
    assert.equal(model.countParams(), info.params.total, `${label}: model ${info.name} total`);
    assert.deepEqual(warnings, [], `${label}: model ${info.name}`);
  }
}

describe('training/build against the engine', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend('wasm');
  });

  // Named files only: other suites' tests may briefly create odd entries in examples/.
  const examples = fs.readdirSync(EXAMPLES).filter((f) => /^[^.].*\.seqmodel$/.test(f) && fs.statSync(path.join(EXAMPLES, f)).isFile());
  for (const file of examples) {
    it(`examples/${file}: every model's counts and shapes equal the engine's`, () => {
      checkDocument(file, fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
    });
  }

  it('a document with every layer type and wrapper', () => {
    checkDocument('every layer', EVERY_LAYER);
  });
});
