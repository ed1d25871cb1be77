// The native build's optimizer pass (src/training/fused/native/optimizers.c): RMSprop over a
// weight's own Float32Arrays, in place, as optimizerSteps.ts's rmspropStep computes it (that
// loop in double precision, the native one in float32 as tfjs: they agree to float32 rounding),
// for lengths on and off the 8-lane vector, centered or not, with and without momentum; bad
// arguments throw instead of touching memory. Where the native build does not load, the wasm
// builds offer no optimizer pass and the whole-model optimizer keeps the TypeScript loop.
import { strict as assert } from 'node:assert';
import { loadNativeExports, loadSimdKernels } from '../../src/training/fused/simd/module';
import { rmspropStep } from '../../src/training/optimizerSteps';
import { NATIVE } from '../helpers/kernelBuilds';
import { seededRandom } from '../helpers/random';

interface Arrays {
  x: Float32Array;
  g: Float32Array;
  ms: Float32Array;
  mom: Float32Array;
  mg: Float32Array;
}

function arrays(n: number, seed: number): Arrays {
  const r = seededRandom(seed);
  const x = Float32Array.from({ length: n }, () => r());
  // Every third gradient zero, as an embedding table's unused rows.
  const g = Float32Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 0 : r() * 0.1));
  return { x, g, ms: new Float32Array(n), mom: new Float32Array(n), mg: new Float32Array(n) };
}

function copy(a: Arrays): Arrays {
  return { x: a.x.slice(), g: a.g.slice(), ms: a.ms.slice(), mom: a.mom.slice(), mg: a.mg.slice() };
}

/**
 * The largest difference relative to the largest reference value (normwise: a weight that
 * passes near 0 keeps the rounding of its larger past, so the weights' scale is at least their
 * starting one). NaN matches only NaN: centered RMSprop
 * takes the root of −ε for a weight whose gradient was always 0, as tfjs's formula does.
 */
function relativeError(actual: Float32Array, expected: Float32Array, atLeast = 0): number {
  let worst = 0;
  let scale = atLeast;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]) !== Number.isNaN(actual[i])) return Infinity;
    if (Number.isNaN(expected[i])) continue;
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

describe('training/fused: the native optimizer pass (RMSprop over the weights\' own arrays)', () => {
  it('the wasm builds offer none (the TypeScript loop serves there)', () => {
    const wasm = loadSimdKernels('plain');
    if (wasm !== null) assert.equal(wasm.optimizers, null);
  });

  if (!NATIVE) {
    it('is absent where the native build does not load', () => {
      assert.equal(loadNativeExports({ SEQMODEL_NATIVE_KERNELS: '0' }), null);
    });
    return;
  }
  const native = loadNativeExports({})!;

  for (const n of [1, 7, 8, 9, 31, 1003]) {
    for (const { centered, momentum } of [{ centered: false, momentum: 0 }, { centered: false, momentum: 0.9 }, { centered: true, momentum: 0.5 }]) {
      it(`equals rmspropStep to 1e-6 over 25 steps: ${n} weights, ${centered ? 'centered' : 'plain'}, momentum ${momentum}`, () => {
        const ours = arrays(n, n * 7 + (centered ? 1 : 0));
        const reference = copy(ours);
        const start = Math.max(...ours.x.map(Math.abs));
        const r = seededRandom(n);
        for (let step = 0; step < 25; step++) {
          // A new gradient each step, the same in both.
          for (let i = 0; i < n; i++) ours.g[i] = reference.g[i] = i % 3 === 2 ? 0 : r() * 0.1;
          native.rmspropStep(ours.x, ours.g, ours.ms, ours.mom, centered ? ours.mg : null, 0.01, 0.9, momentum, 1e-7);
          rmspropStep(reference.x, reference.g, reference.ms, reference.mom, centered ? reference.mg : null, 0.01, 0.9, momentum, 1e-7);
        }
        assert.ok(relativeError(ours.x, reference.x, start) < 1e-6, `weights: ${relativeError(ours.x, reference.x, start)}`);
        assert.ok(relativeError(ours.ms, reference.ms) < 1e-6, `mean squares: ${relativeError(ours.ms, reference.ms)}`);
        assert.ok(relativeError(ours.mom, reference.mom) < 1e-6, `moments: ${relativeError(ours.mom, reference.mom)}`);
        if (centered) assert.ok(relativeError(ours.mg, reference.mg) < 1e-6, `mean gradients: ${relativeError(ours.mg, reference.mg)}`);
        // The weights moved: the comparison is not of two untouched arrays.
        assert.ok(relativeError(ours.x, arrays(n, n * 7 + (centered ? 1 : 0)).x) > 1e-3);
      });
    }
  }

  it('touches nothing past the arrays it is given (views of a larger buffer)', () => {
    const whole = arrays(40, 3);
    const before = whole.x.slice();
    const view = (a: Float32Array) => a.subarray(8, 21);
    native.rmspropStep(view(whole.x), view(whole.g), view(whole.ms), view(whole.mom), null, 0.01, 0.9, 0, 1e-7);
    for (let i = 0; i < 40; i++) {
      if (i >= 8 && i < 21) continue;
      assert.equal(whole.x[i], before[i], `weight ${i} outside the view`);
      assert.equal(whole.ms[i], 0);
    }
    assert.ok(whole.ms.subarray(8, 21).some((v) => v > 0), 'the view itself was updated');
  });

  it('refuses arrays that are not Float32Arrays or differ in length, with an error naming the argument', () => {
    const a = arrays(9, 1);
    assert.throws(() => native.rmspropStep(a.x, new Float64Array(9) as unknown as Float32Array, a.ms, a.mom, null, 0.01, 0.9, 0, 1e-7), { name: 'TypeError', message: /rmspropStep argument 2 is not a Float32Array/ });
    assert.throws(() => native.rmspropStep(a.x, a.g, a.ms.subarray(1), a.mom, null, 0.01, 0.9, 0, 1e-7), { name: 'RangeError', message: /differ in length/ });
    assert.throws(() => native.rmspropStep(a.x, a.g, a.ms, a.mom, [] as unknown as Float32Array, 0.01, 0.9, 0, 1e-7), { name: 'TypeError', message: /argument 5/ });
    assert.throws(() => (native.rmspropStep as unknown as (...args: unknown[]) => void)(a.x, a.g), { name: 'RangeError', message: /takes 9 arguments/ });
  });
});
