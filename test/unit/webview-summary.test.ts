import { strict as assert } from 'node:assert';
import { colourOf } from '../../webview/summary/diagram';
import { formatBytes, formatCount, formatOutputShapes, formatShape, summaryRows, summaryText } from '../../webview/summary/kerasSummary';
import { echoModel, forecastModel, rnnBnModel, stateModel } from '../webview/fixtures';
import { single } from '../helpers/engine';

describe('webview Keras summary', () => {
  it('formats shapes as Python tuples', () => {
    assert.equal(formatShape([null, 3, 50]), '(None, 3, 50)');
    assert.equal(formatShape([null]), '(None,)');
    assert.equal(formatOutputShapes(stateModel.layers[0].outputShapes), '[(None, 30, 64), (None, 64), (None, 64)]');
  });

  it('groups thousands and sizes float32 parameters like Keras 3', () => {
    assert.equal(formatCount(10400), '10,400');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(0), '0');
    assert.equal(formatBytes(10502), '41.02 KB');
    assert.equal(formatBytes(0), '0.00 B');
    assert.equal(formatBytes(100), '400.00 B');
  });

  it('names rows "name (Type)", wrappers by their own type', () => {
    assert.deepEqual(
      summaryRows(echoModel).map((r) => r.layer),
      ['bidirectional (Bidirectional)', 'time_distributed (TimeDistributed)', 'lstm (LSTM)', 'dense_1 (Dense)'],
    );
  });

  it('prints the text table with totals', () => {
    const text = summaryText(forecastModel);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Model: "lstm"');
    assert.match(lines[2], /^ Layer \(type\)\s+Output Shape\s+Param #$/);
    assert.match(text, /\n lstm \(LSTM\)\s+\(None, 50\)\s+10,400\n/);
    assert.match(text, /\n dense \(Dense\)\s+\(None, 2\)\s+102\n/);
    assert.match(text, /Total params: 10,502 \(41\.02 KB\)\nTrainable params: 10,502 \(41\.02 KB\)\nNon-trainable params: 0 \(0\.00 B\)/);
    const bn = summaryText(rnnBnModel);
    assert.match(bn, /Non-trainable params: 100 \(400\.00 B\)/);
  });

  it("colours each diagram box by its layer's category, a wrapper by the layer it wraps", () => {
    assert.deepEqual(echoModel.layers.map(colourOf), ['recurrent', 'dense', 'recurrent', 'dense']);
    assert.deepEqual(rnnBnModel.layers.map(colourOf), ['recurrent', 'normalization', 'recurrent', 'dense']);
    const { model } = single('  input(8, 2)\n  Conv1D(4, 3)\n  MaxPooling1D()\n  Dropout(0.1)\n  Flatten()\n  Dense(1)');
    assert.deepEqual(model.layers.map(colourOf), ['convolution', 'convolution', 'other', 'other', 'dense']);
  });
});
