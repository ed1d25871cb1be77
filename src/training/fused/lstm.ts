// Keras's LSTM over a whole sequence (gates i f c o):
//   a = x·W + b + h·U;  i, f, o = rec_act(a_i, a_f, a_o);  g = act(a_c)
//   c' = f ⊙ c + i ⊙ g;  h' = o ⊙ act(c')
// A masked step keeps h and c (tfjs's and Keras's rule) and outputs h.
import { addOutputGradient, addRecurrentProduct, addStateGradient, copy, KernelForward, KernelGradients, KernelInput, readStateGradient, stepCounts, stepRow, writeStates } from './kernel';

export function lstmForward(k: KernelInput): KernelForward {
  const { batch: B, steps: T, units: U, recurrentKernel: R, mask, activation: act, recurrentActivation: ra } = k;
  const GU = 4 * U;
  const pre = k.xproj.slice(); // becomes every step's pre-activation a
  const gate = new Float32Array(B * T * GU); // i f g o after their activations
  const cell = new Float32Array(B * T * U); // c'
  const cellAct = new Float32Array(B * T * U); // act(c')
  const hPrev = new Float32Array(B * T * U); // h_{t-1} as the product saw it (recurrent dropout)
  const cPrev = new Float32Array(B * T * U);
  const h = Float32Array.from(k.h0);
  const c = k.c0 ? Float32Array.from(k.c0) : new Float32Array(B * U);
  const hDropped = new Float32Array(B * U);
  const rowY = (T + 2) * U;
  const y = new Float32Array(B * rowY);

  for (let t = 0; t < T; t++) {
    const hIn = addRecurrentProduct(h, k.recurrentMask, hDropped, B, U, R, GU, GU, pre, t * GU, T * GU);
    for (let b = 0; b < B; b++) {
      const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
      const yo = b * rowY + t * U;
      copy(hIn, so, hPrev, ho, U);
      copy(c, so, cPrev, ho, U);
      if (!stepCounts(mask, b, T, t)) {
        copy(h, so, y, yo, U);
        continue;
      }
      for (let j = 0; j < U; j++) {
        const i = ra.f(pre[go + j]);
        const f = ra.f(pre[go + U + j]);
        const g = act.f(pre[go + 2 * U + j]);
        const o = ra.f(pre[go + 3 * U + j]);
        gate[go + j] = i;
        gate[go + U + j] = f;
        gate[go + 2 * U + j] = g;
        gate[go + 3 * U + j] = o;
        const cn = f * c[so + j] + i * g;
        const ca = act.f(cn);
        const hn = o * ca;
        cell[ho + j] = cn;
        cellAct[ho + j] = ca;
        c[so + j] = cn;
        h[so + j] = hn;
        y[yo + j] = hn;
      }
    }
  }
  writeStates(y, [h, c], B, T, U);

  const backward = (dy: Float32Array): KernelGradients => {
    const da = new Float32Array(B * T * GU);
    const dh = readStateGradient(dy, 0, 2, B, T, U);
    const dc = readStateGradient(dy, 1, 2, B, T, U);
    const scratch = new Float32Array(B * U);
    for (let t = T - 1; t >= 0; t--) {
      addOutputGradient(dh, dy, B, T, 2, U, t);
      for (let b = 0; b < B; b++) {
        // A masked step passes dh and dc through unchanged.
        if (!stepCounts(mask, b, T, t)) continue;
        const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
        for (let j = 0; j < U; j++) {
          const i = gate[go + j];
          const f = gate[go + U + j];
          const g = gate[go + 2 * U + j];
          const o = gate[go + 3 * U + j];
          const ca = cellAct[ho + j];
          const dhn = dh[so + j];
          const dcn = dc[so + j] + dhn * o * act.df(cell[ho + j], ca);
          da[go + j] = dcn * g * ra.df(pre[go + j], i);
          da[go + U + j] = dcn * cPrev[ho + j] * ra.df(pre[go + U + j], f);
          da[go + 2 * U + j] = dcn * i * act.df(pre[go + 2 * U + j], g);
          da[go + 3 * U + j] = dhn * ca * ra.df(pre[go + 3 * U + j], o);
          dc[so + j] = dcn * f;
          // h_{t-1} reaches h_t only through the recurrent product, added below.
          dh[so + j] = 0;
        }
      }
      addStateGradient(da, t, T, GU, B, U, R, 0, GU, k.recurrentMask, scratch, dh);
    }
    return { dxproj: da, dh0: dh, dc0: dc, dProducts: da, productInputs: [{ left: hPrev, from: 0, to: GU }] };
  };
  return { y, backward };
}
