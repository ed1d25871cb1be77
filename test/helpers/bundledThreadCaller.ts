// A caller of the split kernels, bundled by test/unit/training-fused-threads.test.ts into a
// folder beside copies of dist/kernel-thread.js and the kernels' builds (the wasm binaries, and
// the native one or not), as dist/worker.js sits beside them: it prints whether the thread
// started, which build runs, whether a batch split, and the largest difference from the
// one-thread kernel (relative, absolute below 1).
import { elementwiseActivation } from '../../src/training/fused/activations';
import { singleThreadKernel } from '../../src/training/fused/choice';
import type { KernelInput } from '../../src/training/fused/kernel';
import { configureSplit, kernelThreadCounts, runKernel } from '../../src/training/fused/parallel';
import { simdKernels } from '../../src/training/fused/simd/module';
import { kernelThreadReady } from '../../src/training/fused/threadHost';
import { seededRandom } from './random';

void (async () => {
  const ready = await kernelThreadReady();
  configureSplit({ minWork: 0, adaptive: false });
  const next = seededRandom(5);
  const [B, T, U] = [7, 9, 6];
  const floats = (n: number) => Float32Array.from({ length: n }, () => next());
  const k: KernelInput = {
    batch: B, steps: T, units: U, xproj: floats(B * T * 4 * U), recurrentKernel: floats(U * 4 * U), recurrentBias: null,
    h0: floats(B * U), c0: floats(B * U), mask: null, recurrentMask: null,
    activation: elementwiseActivation('tanh')!, recurrentActivation: elementwiseActivation('sigmoid')!,
  };
  const dy = floats(B * (T + 2) * U);
  const split = runKernel('lstm', k);
  const single = singleThreadKernel('lstm', k)(k);
  const [a, b] = [split.backward(dy), single.backward(dy)];
  let difference = 0;
  const compare = (x: Float32Array, y: Float32Array) => x.forEach((v, i) => (difference = Math.max(difference, Math.abs(v - y[i]) / Math.max(1, Math.abs(y[i])))));
  compare(split.y, single.y);
  compare(a.dxproj, b.dxproj);
  compare(a.dh0, b.dh0);
  compare(a.dRecurrentKernel!, b.dRecurrentKernel!);
  console.log(JSON.stringify({ ready, binary: simdKernels()?.binary ?? null, split: kernelThreadCounts().split, difference }));
  process.exit(0);
})();
