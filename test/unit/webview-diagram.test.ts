import { strict as assert } from 'node:assert';
import { colourOf } from '../../webview/summary/diagram';
import { single } from '../helpers/engine';
import { echoModel, rnnBnModel } from '../webview/fixtures';

describe('webview layer diagram', () => {
  it("colours each diagram box by its layer's category, a wrapper by the layer it wraps", () => {
    assert.deepEqual(echoModel.layers.map(colourOf), ['recurrent', 'dense', 'recurrent', 'dense']);
    assert.deepEqual(rnnBnModel.layers.map(colourOf), ['recurrent', 'normalization', 'recurrent', 'dense']);
    const { model } = single('  input(8, 2)\n  Conv1D(4, 3)\n  MaxPooling1D()\n  Dropout(0.1)\n  Flatten()\n  Dense(1)');
    assert.deepEqual(model.layers.map(colourOf), ['convolution', 'convolution', 'other', 'other', 'dense']);
  });
});
