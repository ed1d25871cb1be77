// Keras's SimpleRNN over a whole sequence: h' = act(x·W + b + h·U). A masked step keeps h.
import { addOutputGradient, addRecurrentProduct, addStateGradient, copy, KernelForward, KernelGradients, KernelInput, readStateGradient, stepCounts, stepRow, writeStates } from './kernel';

export function simpleRnnForward(k: KernelInput): KernelForward {
  const { batch: B, steps: T, units: U, recurrentKernel: R, mask, activation: act } = k;
  const pre = k.xproj.slice();
  const post = new Float32Array(B * T * U);
  const hPrev = new Float32Array(B * T * U);
  const h = Float32Array.from(k.h0);
  const hDropped = new Float32Array(B * U);
  const rowY = (T + 1) * U;
  const y = new Float32Array(B * rowY);

  for (let t = 0; t < T; t++) {
    const hIn = addRecurrentProduct(h, k.recurrentMask, hDropped, B, U, R, U, U, pre, t * U, T * U);
    for (let b = 0; b < B; b++) {
      const so = b * U, o = stepRow(b, t, T, U);
      copy(hIn, so, hPrev, o, U);
      if (stepCounts(mask, b, T, t)) {
        for (let j = 0; j < U; j++) {
          const hn = act.f(pre[o + j]);
          post[o + j] = hn;
          h[so + j] = hn;
        }
      }
      copy(h, so, y, b * rowY + t * U, U);
    }
  }
  writeStates(y, [h], B, T, U);

  const backward = (dy: Float32Array): KernelGradients => {
    const da = new Float32Array(B * T * U);
    const dh = readStateGradient(dy, 0, 1, B, T, U);
    const scratch = new Float32Array(B * U);
    for (let t = T - 1; t >= 0; t--) {
      addOutputGradient(dh, dy, B, T, 1, U, t);
      for (let b = 0; b < B; b++) {
        if (!stepCounts(mask, b, T, t)) continue;
        const so = b * U, o = stepRow(b, t, T, U);
        for (let j = 0; j < U; j++) {
          da[o + j] = dh[so + j] * act.df(pre[o + j], post[o + j]);
          dh[so + j] = 0;
        }
      }
      addStateGradient(da, t, T, U, B, U, R, 0, U, k.recurrentMask, scratch, dh);
    }
    return { dxproj: da, dh0: dh, dc0: null, dProducts: da, productInputs: [{ left: hPrev, from: 0, to: U }] };
  };
  return { y, backward };
}
