// Keras's GRU over a whole sequence (gates z r h), in both of its conventions:
//   reset_after=True (Keras's default):  a = h·U + b_rec;  h~ = act(x_h + r ⊙ a_h)
//   reset_after=False (tfjs's GRU):      h~ = act(x_h + (r ⊙ h)·U_h)
// with z, r = rec_act(x_{z,r} + (h·U)_{z,r}) and h' = z ⊙ h + (1 − z) ⊙ h~, where x = x·W + b
// (the input bias). A masked step keeps h.
import { addOutputGradient, addRecurrentProduct, addStateGradient, copy, KernelForward, KernelGradients, KernelInput, readStateGradient, stepCounts, stepRow, writeStates } from './kernel';
import { addRowsTimesMatrix, addRowsTimesMatrixT } from './matmul';
import type { ElementwiseActivation } from './activations';

/** Through the blend h' = z ⊙ h + (1 − z) ⊙ h~ (both conventions): the update gate's pre-activation gradient. */
function updateGradient(ra: ElementwiseActivation, dhn: number, z: number, hh: number, hPrev: number, preZ: number): number {
  return dhn * (hPrev - hh) * ra.df(preZ, z);
}

/** Through the same blend: the candidate's pre-activation gradient. */
function candidateGradient(act: ElementwiseActivation, dhn: number, z: number, hh: number, preH: number): number {
  return dhn * (1 - z) * act.df(preH, hh);
}

export function gruResetAfterForward(k: KernelInput): KernelForward {
  const { batch: B, steps: T, units: U, recurrentKernel: R, recurrentBias, mask, activation: act, recurrentActivation: ra } = k;
  const GU = 3 * U;
  const x = k.xproj;
  const pre = new Float32Array(B * T * GU); // z and r pre-activations; h~'s in the third block
  const post = new Float32Array(B * T * GU); // z, r, h~
  const product = new Float32Array(B * T * GU); // h·U + b_rec, kept for r's gradient
  const hPrev = new Float32Array(B * T * U);
  // The product's left factor: h_{t-1} ⊙ recurrent mask; the blend uses h_{t-1} itself (Keras).
  const left = k.recurrentMask ? new Float32Array(B * T * U) : hPrev;
  const h = Float32Array.from(k.h0);
  const hDropped = new Float32Array(B * U);
  const rowY = (T + 1) * U;
  const y = new Float32Array(B * rowY);

  for (let t = 0; t < T; t++) {
    if (recurrentBias) {
      for (let b = 0; b < B; b++) product.set(recurrentBias, stepRow(b, t, T, GU));
    }
    const hIn = addRecurrentProduct(h, k.recurrentMask, hDropped, B, U, R, GU, GU, product, t * GU, T * GU);
    for (let b = 0; b < B; b++) {
      const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
      copy(h, so, hPrev, ho, U);
      if (left !== hPrev) copy(hIn, so, left, ho, U);
      if (stepCounts(mask, b, T, t)) {
        for (let j = 0; j < U; j++) {
          const pz = x[go + j] + product[go + j];
          const pr = x[go + U + j] + product[go + U + j];
          const z = ra.f(pz);
          const r = ra.f(pr);
          const ph = x[go + 2 * U + j] + r * product[go + 2 * U + j];
          const hh = act.f(ph);
          pre[go + j] = pz;
          pre[go + U + j] = pr;
          pre[go + 2 * U + j] = ph;
          post[go + j] = z;
          post[go + U + j] = r;
          post[go + 2 * U + j] = hh;
          h[so + j] = z * h[so + j] + (1 - z) * hh;
        }
      }
      copy(h, so, y, b * rowY + t * U, U);
    }
  }
  writeStates(y, [h], B, T, U);

  const backward = (dy: Float32Array): KernelGradients => {
    const dx = new Float32Array(B * T * GU);
    const dProducts = new Float32Array(B * T * GU);
    const dh = readStateGradient(dy, 0, 1, B, T, U);
    const scratch = new Float32Array(B * U);
    for (let t = T - 1; t >= 0; t--) {
      addOutputGradient(dh, dy, B, T, 1, U, t);
      for (let b = 0; b < B; b++) {
        if (!stepCounts(mask, b, T, t)) continue;
        const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
        for (let j = 0; j < U; j++) {
          const z = post[go + j];
          const r = post[go + U + j];
          const hh = post[go + 2 * U + j];
          const dhn = dh[so + j];
          const dph = candidateGradient(act, dhn, z, hh, pre[go + 2 * U + j]);
          const dpz = updateGradient(ra, dhn, z, hh, hPrev[ho + j], pre[go + j]);
          const dpr = dph * product[go + 2 * U + j] * ra.df(pre[go + U + j], r);
          dx[go + j] = dpz;
          dx[go + U + j] = dpr;
          dx[go + 2 * U + j] = dph;
          dProducts[go + j] = dpz;
          dProducts[go + U + j] = dpr;
          dProducts[go + 2 * U + j] = dph * r;
          dh[so + j] = dhn * z;
        }
      }
      addStateGradient(dProducts, t, T, GU, B, U, R, 0, GU, k.recurrentMask, scratch, dh);
    }
    return { dxproj: dx, dh0: dh, dc0: null, dProducts, productInputs: [{ left, from: 0, to: GU }] };
  };
  return { y, backward };
}

export function gruResetBeforeForward(k: KernelInput): KernelForward {
  const { batch: B, steps: T, units: U, recurrentKernel: R, mask, activation: act, recurrentActivation: ra } = k;
  const GU = 3 * U;
  const pre = k.xproj.slice();
  const post = new Float32Array(B * T * GU); // z, r, h~
  const resetH = new Float32Array(B * T * U); // r ⊙ h, the left factor of h~'s product
  // tfjs's GRUCell applies recurrent dropout to h_{t-1} itself: the step sees h ⊙ mask
  // everywhere (products, reset, blend); a masked step still carries h.
  const hPrev = new Float32Array(B * T * U);
  const h = Float32Array.from(k.h0);
  const hDropped = new Float32Array(B * U);
  const rowY = (T + 1) * U;
  const y = new Float32Array(B * rowY);

  for (let t = 0; t < T; t++) {
    const hIn = addRecurrentProduct(h, k.recurrentMask, hDropped, B, U, R, GU, 2 * U, pre, t * GU, T * GU);
    for (let b = 0; b < B; b++) {
      const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
      copy(hIn, so, hPrev, ho, U);
      if (!stepCounts(mask, b, T, t)) continue;
      for (let j = 0; j < U; j++) {
        const z = ra.f(pre[go + j]);
        const r = ra.f(pre[go + U + j]);
        post[go + j] = z;
        post[go + U + j] = r;
        resetH[ho + j] = r * hIn[so + j];
      }
    }
    addRowsTimesMatrix(resetH, t * U, T * U, B, U, R, GU, 2 * U, GU, pre, t * GU + 2 * U, T * GU);
    for (let b = 0; b < B; b++) {
      const so = b * U, go = stepRow(b, t, T, GU);
      if (stepCounts(mask, b, T, t)) {
        for (let j = 0; j < U; j++) {
          const z = post[go + j];
          const hh = act.f(pre[go + 2 * U + j]);
          post[go + 2 * U + j] = hh;
          h[so + j] = z * hIn[so + j] + (1 - z) * hh;
        }
      }
      copy(h, so, y, b * rowY + t * U, U);
    }
  }
  writeStates(y, [h], B, T, U);

  const backward = (dy: Float32Array): KernelGradients => {
    const da = new Float32Array(B * T * GU);
    const dResetH = new Float32Array(B * U);
    const dh = readStateGradient(dy, 0, 1, B, T, U);
    for (let t = T - 1; t >= 0; t--) {
      addOutputGradient(dh, dy, B, T, 1, U, t);
      for (let b = 0; b < B; b++) {
        if (!stepCounts(mask, b, T, t)) continue;
        const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
        for (let j = 0; j < U; j++) {
          const z = post[go + j];
          const hh = post[go + 2 * U + j];
          const dhn = dh[so + j];
          da[go + j] = updateGradient(ra, dhn, z, hh, hPrev[ho + j], pre[go + j]);
          da[go + 2 * U + j] = candidateGradient(act, dhn, z, hh, pre[go + 2 * U + j]);
          dh[so + j] = dhn * z;
        }
      }
      dResetH.fill(0);
      addRowsTimesMatrixT(da, t * GU + 2 * U, T * GU, B, U, R, GU, 2 * U, GU, dResetH, 0, U);
      for (let b = 0; b < B; b++) {
        if (!stepCounts(mask, b, T, t)) continue;
        const so = b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
        for (let j = 0; j < U; j++) {
          const r = post[go + U + j];
          const drh = dResetH[so + j];
          da[go + U + j] = drh * hPrev[ho + j] * ra.df(pre[go + U + j], r);
          dh[so + j] += drh * r;
        }
      }
      addRowsTimesMatrixT(da, t * GU, T * GU, B, U, R, GU, 0, 2 * U, dh, 0, U);
      // dh is the gradient of h ⊙ mask at the steps that ran; h's is that times the mask.
      const m = k.recurrentMask;
      if (m !== null) {
        for (let b = 0; b < B; b++) {
          if (!stepCounts(mask, b, T, t)) continue;
          for (let i = b * U; i < (b + 1) * U; i++) dh[i] *= m[i];
        }
      }
    }
    return {
      dxproj: da,
      dh0: dh,
      dc0: null,
      dProducts: da,
      productInputs: [
        { left: hPrev, from: 0, to: 2 * U },
        { left: resetH, from: 2 * U, to: GU },
      ],
    };
  };
  return { y, backward };
}
