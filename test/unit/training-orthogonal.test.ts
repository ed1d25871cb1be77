// The plain-JavaScript orthogonal initializer: orthogonal, the same draw as tfjs's own for the
// same seed, and fast where tfjs's takes minutes.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { initBackend } from '../../src/training/backend';
import { FastOrthogonal } from '../../src/training/layers/orthogonal';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('training/layers: orthogonal initializer', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('wasm');
  });

  for (const shape of [[4, 16], [16, 4], [6, 6], [2, 3, 5]]) {
    it(`shape ${JSON.stringify(shape)}: W·Wᵀ or Wᵀ·W is the identity (times the gain)`, () => {
      const gain = 1.5;
      const w = new FastOrthogonal({ gain, seed: 3 }).apply(shape);
      assert.deepEqual(w.shape, shape);
      const flat = w.reshape([-1, shape[shape.length - 1]]);
      const [r, c] = flat.shape;
      const gram = r >= c ? tf.matMul(flat, flat, true, false) : tf.matMul(flat, flat, false, true);
      const identity = tf.mul(tf.eye(Math.min(r, c)), gain * gain);
      assert.ok(maxAbsDiff(gram.dataSync(), identity.dataSync()) < 1e-5);
      tf.dispose([w, flat, gram, identity]);
    });
  }

  it("with a seed, equals tfjs's own Orthogonal (same normal draw, same sign convention)", () => {
    for (const shape of [[5, 20], [20, 5]]) {
      const ours = new FastOrthogonal({ seed: 11 }).apply(shape);
      const theirs = tf.initializers.orthogonal({ gain: 1, seed: 11 }).apply(shape);
      assert.ok(maxAbsDiff(ours.dataSync(), theirs.dataSync()) < 1e-4, JSON.stringify(shape));
      tf.dispose([ours, theirs]);
    }
  });

  it('the same seed gives the same matrix, another seed another one', () => {
    const a = new FastOrthogonal({ seed: 1 }).apply([8, 32]).dataSync();
    const b = new FastOrthogonal({ seed: 1 }).apply([8, 32]).dataSync();
    const c = new FastOrthogonal({ seed: 2 }).apply([8, 32]).dataSync();
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.ok(maxAbsDiff(a, c) > 1e-3);
  });

  it("LSTM(256)'s recurrent kernel (256, 1024) is orthogonal at full size (its speed: bench/orthogonal.ts)", () => {
    const w = new FastOrthogonal({ seed: 1 }).apply([256, 1024]);
    const gram = tf.matMul(w, w, false, true);
    assert.ok(maxAbsDiff(gram.dataSync(), tf.eye(256).dataSync()) < 1e-4);
    tf.dispose([w, gram]);
  });
});
