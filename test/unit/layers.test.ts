import { strict as assert } from 'node:assert';
import { analyze, formatCount, formatShapes } from '../../src/language';
import { lastLayer, single } from '../helpers/engine';

function check(body: string, shape: string, params: number, trainable = params) {
  const l = lastLayer(body);
  assert.equal(formatShapes(l.outputShapes), shape, 'shape');
  assert.equal(l.params.total, params, 'params');
  assert.equal(l.params.trainable, trainable, 'trainable');
  return l;
}

describe('layers: shapes and Keras parameter counts', () => {
  describe('recurrent', () => {
    it('SimpleRNN, LSTM and GRU over (None, 1)', () => {
      check('input(None, 1)\nSimpleRNN(32)', '(None, 32)', 32 * 33 + 32);
      check('input(None, 1)\nLSTM(32)', '(None, 32)', 4 * (32 * 33 + 32));
    });
    it('GRU defaults to reset_after=True: 3,360 on 1 feature; 3,264 without', () => {
      assert.equal(check('input(10, 1)\nGRU(32)', '(None, 32)', 3360).formula, '3 × (32 × (1 + 32) + 2 × 32) = 3,360');
      check('input(10, 1)\nGRU(32, reset_after=False)', '(None, 32)', 3264);
    });
    it('use_bias=False drops the biases', () => {
      assert.equal(check('input(5, 2)\nLSTM(3, use_bias=False)', '(None, 3)', 4 * 3 * 5).formula, '4 × (3 × (2 + 3)) = 60');
    });
    it('return_sequences keeps the time axis, return_state adds states', () => {
      check('input(7, 2)\nSimpleRNN(4, return_sequences=True)', '(None, 7, 4)', 4 * 6 + 4);
      check('input(7, 2)\nGRU(4, return_state=True)', '[(None, 4), (None, 4)]', 3 * (4 * 6 + 8));
      check('input(7, 2)\nLSTM(4, return_state=True)', '[(None, 4), (None, 4), (None, 4)]', 4 * (4 * 6 + 4));
    });
    it('legacy input_dim/input_length on the first layer', () => {
      check('LSTM(8, input_dim=3, input_length=10)', '(None, 8)', 4 * (8 * 11 + 8));
      assert.deepEqual(single('LSTM(8, input_dim=3)').model.inputShape, [null, null, 3]);
    });
    it('batch_input_shape drops the batch size', () => {
      assert.deepEqual(single('LSTM(3, batch_input_shape=(8, 2, 10))').model.inputShape, [null, 2, 10]);
    });
    it('trainable=False moves the count to non-trainable', () => {
      check('input(3, 1)\nLSTM(50, trainable=False)', '(None, 50)', 10400, 0);
    });
  });
  describe('core', () => {
    it('Dense on a vector and on a sequence (last axis)', () => {
      check('input(4)\nDense(3)', '(None, 3)', 15);
      check('input(6, 4)\nDense(3, use_bias=False)', '(None, 6, 3)', 12);
      check('Dense(10, input_dim=5)', '(None, 10)', 60);
    });
    it('Dropout, SpatialDropout1D, Activation, Masking pass the shape with 0 params', () => {
      check('input(5, 3)\nDropout(0.2)', '(None, 5, 3)', 0);
      check('input(5, 3)\nSpatialDropout1D(0.2)', '(None, 5, 3)', 0);
      check('input(5, 3)\nActivation("relu")', '(None, 5, 3)', 0);
      check('input(5, 3)\nMasking(mask_value=0.0)', '(None, 5, 3)', 0);
    });
    it('Embedding: input_dim × output_dim, input_length fixes the length', () => {
      check('Embedding(1000, 8, input_length=20)', '(None, 20, 8)', 8000);
      check('Embedding(1000, 8)', '(None, None, 8)', 8000);
      check('input(12)\nEmbedding(50, 4)', '(None, 12, 4)', 200);
    });
  });
  describe('normalization', () => {
    it('BatchNormalization: 4n, 2n trainable; center/scale off count less', () => {
      check('input(3, 8)\nBatchNormalization()', '(None, 3, 8)', 32, 16);
      check('input(3, 8)\nBatchNormalization(center=False)', '(None, 3, 8)', 24, 8);
    });
    it('LayerNormalization: 2n trainable', () => {
      check('input(3, 8)\nLayerNormalization()', '(None, 3, 8)', 16);
    });
  });
  describe('convolution and pooling', () => {
    it('Conv1D: filters × (kernel_size × channels + 1) with valid/same/causal lengths', () => {
      check('input(10, 3)\nConv1D(16, 3)', '(None, 8, 16)', 16 * (3 * 3 + 1));
      check('input(10, 3)\nConv1D(16, 3, padding="same")', '(None, 10, 16)', 160);
      check('input(10, 3)\nConv1D(16, 3, padding="causal", dilation_rate=2)', '(None, 10, 16)', 160);
      check('input(10, 3)\nConv1D(16, 3, strides=2)', '(None, 4, 16)', 160);
      check('input(10, 3)\nConv1D(16, 3, dilation_rate=2)', '(None, 6, 16)', 160);
      check('input(None, 3)\nConv1D(16, kernel_size=(5,))', '(None, None, 16)', 16 * 16);
    });
    it('MaxPooling1D and AveragePooling1D default to pool 2, strides = pool', () => {
      check('input(10, 3)\nMaxPooling1D()', '(None, 5, 3)', 0);
      check('input(11, 3)\nAveragePooling1D(3, strides=2)', '(None, 5, 3)', 0);
      check('input(11, 3)\nMaxPooling1D(2, padding="same")', '(None, 6, 3)', 0);
    });
    it('global pooling removes the time axis (keepdims keeps it as 1)', () => {
      check('input(None, 3)\nGlobalMaxPooling1D()', '(None, 3)', 0);
      check('input(7, 3)\nGlobalAveragePooling1D(keepdims=True)', '(None, 1, 3)', 0);
    });
  });
  describe('reshaping', () => {
    it('Flatten, RepeatVector, Reshape', () => {
      check('input(4, 3)\nFlatten()', '(None, 12)', 0);
      check('input(3)\nRepeatVector(5)', '(None, 5, 3)', 0);
      check('input(4, 3)\nReshape((6, 2))', '(None, 6, 2)', 0);
      check('input(4, 3)\nReshape((-1, 1))', '(None, 12, 1)', 0);
    });
  });
  describe('wrappers', () => {
    it('Bidirectional doubles the count; concat doubles the width, sum/mul/ave keep it', () => {
      const l = check('input(10, 8)\nBidirectional(LSTM(16))', '(None, 32)', 2 * 4 * (16 * 24 + 16));
      assert.equal(l.inner?.type, 'LSTM');
      assert.equal(l.formula, '2 × 1,600 = 3,200');
      check('input(10, 8)\nBidirectional(LSTM(16), merge_mode="sum")', '(None, 16)', 3200);
      check('input(10, 8)\nBidirectional(GRU(4, return_sequences=True), merge_mode="ave")', '(None, 10, 4)', 2 * 3 * (4 * 12 + 8));
      check('input(10, 8)\nBidirectional(SimpleRNN(4), merge_mode=None)', '[(None, 4), (None, 4)]', 2 * (4 * 12 + 4));
    });
    it("Bidirectional takes only its argument's category, naming the recurrent layers of the registry", () => {
      for (const inner of ['Dense(4)', 'TimeDistributed(Dense(4))']) {
        const { analysis } = single(`  input(10, 8)\n  Bidirectional(${inner})`);
        const d = analysis.diagnostics.find((x) => x.code === 'invalid-argument');
        assert.ok(d, inner);
        assert.match(d.message, /^Bidirectional wraps a recurrent layer \(SimpleRNN, LSTM, GRU, RNN\), not (Dense|TimeDistributed)\.$/);
        assert.equal(analysis.text.slice(d.span.start, d.span.end), inner);
      }
    });
    it('Bidirectional with return_state: output, forward states, backward states', () => {
      check('input(10, 8)\nBidirectional(LSTM(16, return_state=True))', '[(None, 32), (None, 16), (None, 16), (None, 16), (None, 16)]', 3200);
    });
    it('TimeDistributed applies the wrapped layer per step with its count', () => {
      check('input(10, 8)\nLSTM(16, return_sequences=True)\nTimeDistributed(Dense(3))', '(None, 10, 3)', 3 * 17);
    });
    it('the wrapper config carries the wrapped layer', () => {
      const l = lastLayer('input(10, 8)\nBidirectional(LSTM(16))');
      assert.deepEqual((l.config.layer as { type: string }).type, 'LSTM');
      assert.equal(l.config.merge_mode, 'concat');
    });
  });
  describe('names and defaults', () => {
    it('names layers as Keras does: lstm, lstm_1, ...; name= overrides', () => {
      const { model } = single('input(5, 2)\nLSTM(4, return_sequences=True)\nLSTM(4, return_sequences=True, name="enc")\nLSTM(4)');
      assert.deepEqual(model.layers.map((l) => l.name), ['lstm', 'enc', 'lstm_1']);
    });
    it('fills Keras defaults into the config', () => {
      const l = lastLayer('input(5, 2)\nLSTM(4)');
      assert.equal(l.config.recurrent_activation, 'sigmoid');
      assert.equal(l.config.activation, 'tanh');
      assert.equal(l.config.unit_forget_bias, true);
      assert.equal(l.config.recurrent_initializer, 'orthogonal');
      assert.equal(lastLayer('input(5, 2)\nGRU(4)').config.reset_after, true);
    });
    it('constants and arithmetic in shapes and arguments', () => {
      const a = single('input(seq_len * 2, 1)\nLSTM(n // 2)');
      assert.ok(a.analysis.diagnostics.some((d) => d.code === 'undefined-name'));
      const { analyze } = require('../../src/language') as typeof import('../../src/language');
      const r = analyze('let seq_len = 3\nlet n = 9\nmodel m {\n input(seq_len * 2, 1)\n LSTM(n // 2)\n}\n');
      assert.deepEqual(r.models[0].layers[0].outputShapes, [[null, 4]]);
      assert.deepEqual(r.models[0].inputShape, [null, 6, 1]);
    });
    it('bare words and Python booleans are accepted', () => {
      const l = lastLayer('input(5, 2)\nSimpleRNN(4, activation=relu, return_sequences=True, go_backwards=false)');
      assert.equal(l.config.activation, 'relu');
      assert.equal(l.config.return_sequences, true);
      assert.equal(l.config.go_backwards, false);
    });
  });

  // Long models share what is equal (shapes, counts, formulas, names) and keep a bounded cache
  // of formulas across analyses: every layer must still read as its own.
  describe('long models', () => {
    it('1,500 layers of distinct widths: each its own shape, count and formula (past the formula cache)', () => {
      const widths = Array.from({ length: 1500 }, (_, i) => 1 + (i % 1200));
      const a = analyze(`model m {\n  input(3, 2)\n${widths.map((u) => `  Dense(${u})`).join('\n')}\n}\n`);
      const m = a.models[0];
      assert.equal(m.layers.length, 1500);
      let total = 0;
      m.layers.forEach((l, i) => {
        const n = i === 0 ? 2 : widths[i - 1];
        const u = widths[i];
        assert.equal(formatShapes(l.outputShapes), `(None, 3, ${u})`);
        assert.equal(l.params.total, u * (n + 1));
        assert.equal(l.formula, `${u} × (${n} + 1) = ${formatCount(u * (n + 1))}`);
        assert.equal(l.name, i === 0 ? 'dense' : `dense_${i}`);
        total += u * (n + 1);
      });
      assert.equal(m.params.total, total);
    });
    it('a run of equal layers: equal facts per layer, and the one that differs keeps its own', () => {
      const a = analyze(`model m {\n  input(4, 1)\n${'  Dense(1)\n'.repeat(300)}  Dense(5, use_bias=False)\n  Dense(1, trainable=False)\n}\n`);
      const layers = a.models[0].layers;
      for (const l of layers.slice(0, 300)) {
        assert.equal(formatShapes(l.outputShapes), '(None, 4, 1)');
        assert.deepEqual(l.params, { total: 2, trainable: 2, nonTrainable: 0 });
        assert.equal(l.formula, '1 × (1 + 1) = 2');
      }
      assert.equal(formatShapes(layers[300].outputShapes), '(None, 4, 5)');
      assert.equal(layers[300].formula, '5 × 1 = 5');
      assert.deepEqual(layers[301].params, { total: 6, trainable: 0, nonTrainable: 6 });
      assert.deepEqual(layers[0].params, { total: 2, trainable: 2, nonTrainable: 0 }, 'a later frozen layer leaves the earlier counts alone');
      assert.equal(a.models[0].params.total, 300 * 2 + 5 + 6);
    });
  });
});
