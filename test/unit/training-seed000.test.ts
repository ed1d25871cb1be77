// Keras's defaults matter for results: with them, Tutorial 3's LSTM trained as the tutorial does
// (1000 epochs, adam 0.001, mse) predicts [70, 80, 90] → about [101, 111], as the seed
// printed; tfjs's own defaults (hardSigmoid recurrent activation) give about [108, 121].
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { buildModel } from '../../src/training/build';
import { modelInfo } from './training-build-fixtures';

describe('training/build: Tutorial 3 LSTM reproduces the tutorial', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend('wasm');
  });

  it('LSTM(50, relu) → Dense(2), 1000 epochs: [70, 80, 90] → about [101, 111]', async () => {
    const info = modelInfo('lstm', [3, 1], [
      { type: 'LSTM', config: { units: 50, activation: 'relu' }, out: [null, 50], params: 10400 },
      { type: 'Dense', config: { units: 2 }, out: [null, 2], params: 102 },
    ]);
    const model = buildModel(info, { seed: 1 });
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
    const x = tf.tensor3d([10, 20, 30, 20, 30, 40, 30, 40, 50, 40, 50, 60, 50, 60, 70], [5, 3, 1]);
    const y = tf.tensor2d([40, 50, 50, 60, 60, 70, 70, 80, 80, 90], [5, 2]);
    await model.fit(x, y, { epochs: 1000, batchSize: 32, verbose: 0 });
    const input = tf.tensor3d([70, 80, 90], [1, 3, 1]);
    const [a, b] = Array.from((model.predict(input) as tf.Tensor).dataSync());
    assert.ok(Math.abs(a - 101) < 3 && Math.abs(b - 111) < 3.5, `predicted [${a}, ${b}]`);
    tf.dispose([x, y, input]);
  });
});
