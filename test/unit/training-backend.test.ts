// Backend choice: tfjs-node when it loads (it does not on this machine: its install needs to
// download libtensorflow), else wasm, else cpu; forcing one that cannot run fails clearly;
// the backend actually running is reported.
import { strict as assert } from 'node:assert';
import * as tf from '../../src/training/tf';
import { BackendUnavailableError, currentBackend, initBackend } from '../../src/training/backend';
import { isBackendPreference } from '../../src/training/backendPreference';

function nodeBackendLoads(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('training/backend', function () {
  this.timeout(60_000);
  after(async () => {
    await initBackend('wasm');
  });

  it("'auto' picks the best backend that loads and says why it skipped the others", async () => {
    const info = await initBackend('auto');
    assert.equal(tf.getBackend(), info.tfName);
    assert.deepEqual(currentBackend(), info);
    if (nodeBackendLoads()) {
      assert.equal(info.name, 'node');
    } else {
      assert.equal(info.name, 'wasm');
      assert.equal(info.skipped.length, 1);
      assert.equal(info.skipped[0].name, 'node');
      assert.match(info.skipped[0].reason, /@tensorflow\/tfjs-node could not be loaded/);
    }
  });

  it("forcing 'node' where tfjs-node cannot load fails with a clear error and keeps the running backend", async function () {
    if (nodeBackendLoads()) this.skip();
    await initBackend('cpu');
    await assert.rejects(initBackend('node'), (err: Error) => {
      assert.ok(err instanceof BackendUnavailableError);
      assert.equal(err.backend, 'node');
      assert.match(err.message, /The 'node' TensorFlow\.js backend is not available: @tensorflow\/tfjs-node could not be loaded/);
      assert.match(err.message, /libtensorflow/);
      return true;
    });
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal(currentBackend()?.name, 'cpu');
  });

  for (const name of ['wasm', 'cpu'] as const) {
    it(`forcing '${name}' runs it, reports it, and computes with it`, async () => {
      const info = await initBackend(name);
      assert.deepEqual({ name: info.name, tfName: info.tfName, preference: info.preference, skipped: info.skipped }, {
        name, tfName: name, preference: name, skipped: [],
      });
      assert.equal(tf.getBackend(), name);
      const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
      assert.deepEqual(Array.from(y.dataSync()), [11]);
      y.dispose();
    });
  }

  it('switching back and forth reuses the loaded backends', async () => {
    assert.equal((await initBackend('wasm')).name, 'wasm');
    assert.equal((await initBackend('cpu')).name, 'cpu');
    assert.equal((await initBackend('wasm')).name, 'wasm');
  });

  it('rejects an unknown preference', async () => {
    assert.equal(isBackendPreference('webgl'), false);
    assert.equal(isBackendPreference('auto'), true);
    await assert.rejects(initBackend('webgl' as never), /Unknown backend 'webgl': use one of auto, node, wasm, cpu/);
  });
});
