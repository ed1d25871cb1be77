// AssemblyScript (WebAssembly SIMD, scripts/build-wasm.mjs) for whole sequences of Keras's
// recurrent layers: one call runs every step forward, one call the whole backward pass, with the
// step products (matmul.as.ts), the gate activations (vector-math.as.ts) and the tape all in
// this module's memory. The math, layouts and tape are those of the TypeScript kernels
// (../lstm.ts, ../gru.ts, ../simple-rnn.ts), which say what each array holds; ../sequence.ts
// places the arrays and calls these.
//
// Every pointer is a byte address in this memory. Arrays are float32 and batch-major:
// (batch, steps, width); `y` is (batch, steps + states, units). `mask` is (batch, steps) bytes,
// 0 where a step is masked, and `rmask` the (batch, units) recurrent dropout mask; 0 for either
// means none. `act` and `ract` are activation codes (vector-math.as.ts). Arrays the caller does
// not fill are zero on entry.
import { addRowsTimesMatrixStrided } from './matmul.as';
import { madd } from './madd.as';
import { activate, derivative, load4, ones, store4 } from './vector-math.as';

/** Where sample b's row of step t starts (in floats) in a batch-major (batch, steps, width) array: the layout of every per-step array here. */
// @ts-ignore: decorator
@inline
function stepRow(b: i32, t: i32, steps: i32, width: i32): i32 {
  return (b * steps + t) * width;
}

// @ts-ignore: decorator
@inline
function counts(mask: usize, b: i32, steps: i32, t: i32): bool {
  return mask == 0 || load<u8>(mask + <usize>stepRow(b, t, steps, 1)) != 0;
}

// @ts-ignore: decorator
@inline
function f4(i: i32): usize {
  return <usize>i << 2;
}

/** h ⊙ rmask into `out` (n floats), or h itself when there is no mask: what the product sees. */
function dropped(h: usize, rmask: usize, out: usize, n: i32): usize {
  if (rmask == 0) return h;
  for (let i = 0; i < n; i += 4) {
    const k = n - i;
    store4(out + f4(i), f32x4.mul(load4(h + f4(i), k), load4(rmask + f4(i), k)), k);
  }
  return out;
}

/**
 * rows (B rows, every rowStride floats) += (h ⊙ rmask) · columns [0, width) of R (U rows of
 * rRow floats): the step's recurrent product. Returns its left factor: h, or hIn holding h ⊙ rmask.
 */
// @ts-ignore: decorator
@inline
function addRecurrentProduct(B: i32, U: i32, h: usize, rmask: usize, hIn: usize, R: usize, rRow: i32, width: i32, rows: usize, rowStride: i32): usize {
  const src = dropped(h, rmask, hIn, B * U);
  addRowsTimesMatrixStrided(src, U, B, U, R, rRow, 0, width, rows, rowStride);
  return src;
}

/** Row `index` of the trailing state rows of each sample's y (or dy): into / out of (batch, units). */
function copyStateRows(y: usize, states: usize, index: i32, B: i32, T: i32, S: i32, U: i32, toY: bool): void {
  const row = (T + S) * U;
  for (let b = 0; b < B; b++) {
    const yAt = y + f4(b * row + (T + index) * U);
    const sAt = states + f4(b * U);
    if (toY) memory.copy(yAt, sAt, f4(U));
    else memory.copy(sAt, yAt, f4(U));
  }
}

/** dst[0..n) += src[0..n). */
// @ts-ignore: decorator
@inline
function addRow(dst: usize, src: usize, n: i32): void {
  for (let j = 0; j < n; j += 4) store4(dst + f4(j), f32x4.add(load4(dst + f4(j), n - j), load4(src + f4(j), n - j)), n - j);
}

/**
 * Whether step t of sample b is masked: then it passes dh on, its output's gradient dyAt added
 * (and dc unchanged), and the caller skips its gates.
 */
// @ts-ignore: decorator
@inline
function passesMasked(mask: usize, b: i32, T: i32, t: i32, dh: usize, dyAt: usize, U: i32): bool {
  if (counts(mask, b, T, t)) return false;
  addRow(dh, dyAt, U);
  return true;
}

/** dh += dy of step t. */
function addOutputGradient(dh: usize, dy: usize, B: i32, T: i32, S: i32, U: i32, t: i32): void {
  const row = (T + S) * U;
  for (let b = 0; b < B; b++) addRow(dh + f4(b * U), dy + f4(b * row + t * U), U);
}

/**
 * dh += (step t's rows of d, columns [from, from + width)) · Rᵀ, through the recurrent dropout
 * mask when there is one. RT is Rᵀ (gates·units × units): its rows [from, from + width) are those
 * columns of R. `scratch` is (batch, units).
 */
function addStateGradient(
  d: usize, t: i32, T: i32, GU: i32, from: i32, width: i32, B: i32, U: i32, RT: usize, rmask: usize, scratch: usize, dh: usize,
): void {
  const rows = d + f4(t * GU + from);
  const m = RT + f4(from * U);
  if (rmask == 0) {
    addRowsTimesMatrixStrided(rows, T * GU, B, width, m, U, 0, U, dh, U);
    return;
  }
  memory.fill(scratch, 0, f4(B * U));
  addRowsTimesMatrixStrided(rows, T * GU, B, width, m, U, 0, U, scratch, U);
  const n = B * U;
  for (let i = 0; i < n; i += 4) {
    const k = n - i;
    const at = f4(i);
    store4(dh + at, madd(load4(scratch + at, k), load4(rmask + at, k), load4(dh + at, k)), k);
  }
}

// ---- LSTM (gates i f c o) ----

export function lstmForward(
  B: i32, T: i32, U: i32, pre: usize, R: usize, h: usize, c: usize, hIn: usize,
  gate: usize, cell: usize, cellAct: usize, hPrev: usize, cPrev: usize, y: usize,
  mask: usize, rmask: usize, act: i32, ract: i32,
): void {
  const GU = 4 * U;
  const rowY = (T + 2) * U;
  const u4 = f4(U);
  for (let t = 0; t < T; t++) {
    const src = addRecurrentProduct(B, U, h, rmask, hIn, R, GU, GU, pre + f4(t * GU), T * GU);
    for (let b = 0; b < B; b++) {
      const so = f4(b * U), ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      const yo = y + f4(b * rowY + t * U);
      if (!counts(mask, b, T, t)) {
        memory.copy(hPrev + ho, src + so, u4);
        memory.copy(cPrev + ho, c + so, u4);
        memory.copy(yo, h + so, u4);
        continue;
      }
      // hPrev and cPrev are stored in the loop below, not by memory.copy: V8 calls out of the
      // module for each memory.copy, which cost more than the 32 units' arithmetic it brackets.
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const p = pre + go + f4(j);
        const g = gate + go + f4(j);
        store4(hPrev + ho + f4(j), load4(src + so + f4(j), n), n);
        const i = activate(ract, load4(p, n));
        const f = activate(ract, load4(p + u4, n));
        const gg = activate(act, load4(p + 2 * u4, n));
        const o = activate(ract, load4(p + 3 * u4, n));
        store4(g, i, n);
        store4(g + u4, f, n);
        store4(g + 2 * u4, gg, n);
        store4(g + 3 * u4, o, n);
        const cAt = c + so + f4(j);
        const cv = load4(cAt, n);
        store4(cPrev + ho + f4(j), cv, n);
        const cn = madd(f, cv, f32x4.mul(i, gg));
        const ca = activate(act, cn);
        const hn = f32x4.mul(o, ca);
        store4(cell + ho + f4(j), cn, n);
        store4(cellAct + ho + f4(j), ca, n);
        store4(cAt, cn, n);
        store4(h + so + f4(j), hn, n);
        store4(yo + f4(j), hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 2, U, true);
  copyStateRows(y, c, 1, B, T, 2, U, true);
}

/** Fills da (zero on entry); dh and dc end as the gradients of the initial states. */
export function lstmBackward(
  B: i32, T: i32, U: i32, pre: usize, gate: usize, cell: usize, cellAct: usize, cPrev: usize, RT: usize,
  dy: usize, da: usize, dh: usize, dc: usize, scratch: usize, mask: usize, rmask: usize, act: i32, ract: i32,
): void {
  const GU = 4 * U;
  const u4 = f4(U);
  const rowY = (T + 2) * U;
  copyStateRows(dy, dh, 0, B, T, 2, U, false);
  copyStateRows(dy, dc, 1, B, T, 2, U, false);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const so = f4(b * U);
      // Step t's output gradient joins dh here, in the loop that reads dh anyway, rather than
      // in a pass of its own over every step (addOutputGradient): one load and store fewer.
      const dyAt = dy + f4(b * rowY + t * U);
      if (passesMasked(mask, b, T, t, dh + so, dyAt, U)) continue;
      const ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const g = gate + go + f4(j);
        const p = pre + go + f4(j);
        const d = da + go + f4(j);
        const i = load4(g, n);
        const f = load4(g + u4, n);
        const gg = load4(g + 2 * u4, n);
        const o = load4(g + 3 * u4, n);
        const ca = load4(cellAct + ho + f4(j), n);
        const dhAt = dh + so + f4(j);
        const dcAt = dc + so + f4(j);
        const dhn = f32x4.add(load4(dhAt, n), load4(dyAt + f4(j), n));
        const dcn = madd(f32x4.mul(dhn, o), derivative(act, load4(cell + ho + f4(j), n), ca), load4(dcAt, n));
        store4(d, f32x4.mul(f32x4.mul(dcn, gg), derivative(ract, load4(p, n), i)), n);
        store4(d + u4, f32x4.mul(f32x4.mul(dcn, load4(cPrev + ho + f4(j), n)), derivative(ract, load4(p + u4, n), f)), n);
        store4(d + 2 * u4, f32x4.mul(f32x4.mul(dcn, i), derivative(act, load4(p + 2 * u4, n), gg)), n);
        store4(d + 3 * u4, f32x4.mul(f32x4.mul(dhn, ca), derivative(ract, load4(p + 3 * u4, n), o)), n);
        store4(dcAt, f32x4.mul(dcn, f), n);
        // h_{t-1} reaches h_t only through the recurrent product, added below.
        store4(dhAt, f32x4.splat(0), n);
      }
    }
    addStateGradient(da, t, T, GU, 0, GU, B, U, RT, rmask, scratch, dh);
  }
}

// ---- SimpleRNN ----

export function simpleRnnForward(
  B: i32, T: i32, U: i32, pre: usize, R: usize, h: usize, hIn: usize, post: usize, hPrev: usize, y: usize,
  mask: usize, rmask: usize, act: i32,
): void {
  const rowY = (T + 1) * U;
  const u4 = f4(U);
  for (let t = 0; t < T; t++) {
    const src = addRecurrentProduct(B, U, h, rmask, hIn, R, U, U, pre + f4(t * U), T * U);
    for (let b = 0; b < B; b++) {
      const so = f4(b * U), o = f4(stepRow(b, t, T, U));
      const yo = y + f4(b * rowY + t * U);
      if (!counts(mask, b, T, t)) {
        memory.copy(hPrev + o, src + so, u4);
        memory.copy(yo, h + so, u4);
        continue;
      }
      // hPrev and y are stored in the loop rather than by memory.copy, as in lstmForward: V8
      // calls out of the module for each memory.copy. src may be h itself: each lane group is
      // read before it is written.
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        store4(hPrev + o + f4(j), load4(src + so + f4(j), n), n);
        const hn = activate(act, load4(pre + o + f4(j), n));
        store4(post + o + f4(j), hn, n);
        store4(h + so + f4(j), hn, n);
        store4(yo + f4(j), hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, true);
}

export function simpleRnnBackward(
  B: i32, T: i32, U: i32, pre: usize, post: usize, RT: usize, dy: usize, da: usize, dh: usize, scratch: usize,
  mask: usize, rmask: usize, act: i32,
): void {
  copyStateRows(dy, dh, 0, B, T, 1, U, false);
  const rowY = (T + 1) * U;
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const so = f4(b * U);
      const dyAt = dy + f4(b * rowY + t * U);
      if (passesMasked(mask, b, T, t, dh + so, dyAt, U)) continue;
      const o = f4(stepRow(b, t, T, U));
      // The step's output gradient joins dh inside the gate loop, as in lstmBackward.
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = o + f4(j);
        const dhAt = dh + so + f4(j);
        const dhn = f32x4.add(load4(dhAt, n), load4(dyAt + f4(j), n));
        store4(da + at, f32x4.mul(dhn, derivative(act, load4(pre + at, n), load4(post + at, n))), n);
        store4(dhAt, f32x4.splat(0), n);
      }
    }
    addStateGradient(da, t, T, U, 0, U, B, U, RT, rmask, scratch, dh);
  }
}

/** Through the blend h' = z ⊙ h + (1 − z) ⊙ h~ (both GRU conventions): the update gate's pre-activation gradient. */
// @ts-ignore: decorator
@inline
function gruUpdateGradient(ract: i32, dhn: v128, z: v128, hh: v128, hPrev: v128, preZ: v128): v128 {
  return f32x4.mul(f32x4.mul(dhn, f32x4.sub(hPrev, hh)), derivative(ract, preZ, z));
}

/** Through the same blend: the candidate's pre-activation gradient. */
// @ts-ignore: decorator
@inline
function gruCandidateGradient(act: i32, dhn: v128, z: v128, hh: v128, preH: v128): v128 {
  return f32x4.mul(f32x4.mul(dhn, f32x4.sub(ones(), z)), derivative(act, preH, hh));
}

// ---- GRU, reset_after=True (Keras's default): h~ = act(x_h + r ⊙ (h·U + b_rec)_h) ----

/** `rbias` is the recurrent bias (gates·units), 0 for none; `product` is zero on entry. */
export function gruResetAfterForward(
  B: i32, T: i32, U: i32, x: usize, R: usize, rbias: usize, h: usize, hIn: usize, pre: usize, post: usize, product: usize,
  hPrev: usize, left: usize, y: usize, mask: usize, rmask: usize, act: i32, ract: i32,
): void {
  const GU = 3 * U;
  const rowY = (T + 1) * U;
  const u4 = f4(U);
  for (let t = 0; t < T; t++) {
    if (rbias != 0) {
      for (let b = 0; b < B; b++) memory.copy(product + f4(stepRow(b, t, T, GU)), rbias, f4(GU));
    }
    const src = addRecurrentProduct(B, U, h, rmask, hIn, R, GU, GU, product + f4(t * GU), T * GU);
    for (let b = 0; b < B; b++) {
      const so = f4(b * U), ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      const yo = y + f4(b * rowY + t * U);
      if (rmask != 0) memory.copy(left + ho, src + so, u4);
      if (!counts(mask, b, T, t)) {
        memory.copy(hPrev + ho, h + so, u4);
        memory.copy(yo, h + so, u4);
        continue;
      }
      // hPrev and y are stored in the gate loop, not by memory.copy (see lstmForward).
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = go + f4(j);
        const pz = f32x4.add(load4(x + at, n), load4(product + at, n));
        const pr = f32x4.add(load4(x + at + u4, n), load4(product + at + u4, n));
        const z = activate(ract, pz);
        const r = activate(ract, pr);
        const ph = madd(r, load4(product + at + 2 * u4, n), load4(x + at + 2 * u4, n));
        const hh = activate(act, ph);
        store4(pre + at, pz, n);
        store4(pre + at + u4, pr, n);
        store4(pre + at + 2 * u4, ph, n);
        store4(post + at, z, n);
        store4(post + at + u4, r, n);
        store4(post + at + 2 * u4, hh, n);
        const hAt = h + so + f4(j);
        const hv = load4(hAt, n);
        store4(hPrev + ho + f4(j), hv, n);
        const hn = madd(z, hv, f32x4.mul(f32x4.sub(ones(), z), hh));
        store4(hAt, hn, n);
        store4(yo + f4(j), hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, true);
}

export function gruResetAfterBackward(
  B: i32, T: i32, U: i32, pre: usize, post: usize, product: usize, hPrev: usize, RT: usize, dy: usize,
  dx: usize, dProducts: usize, dh: usize, scratch: usize, mask: usize, rmask: usize, act: i32, ract: i32,
): void {
  const GU = 3 * U;
  const u4 = f4(U);
  copyStateRows(dy, dh, 0, B, T, 1, U, false);
  for (let t = T - 1; t >= 0; t--) {
    addOutputGradient(dh, dy, B, T, 1, U, t);
    for (let b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const so = f4(b * U), ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = go + f4(j);
        const z = load4(post + at, n);
        const r = load4(post + at + u4, n);
        const hh = load4(post + at + 2 * u4, n);
        const dhAt = dh + so + f4(j);
        const dhn = load4(dhAt, n);
        const dph = gruCandidateGradient(act, dhn, z, hh, load4(pre + at + 2 * u4, n));
        const dpz = gruUpdateGradient(ract, dhn, z, hh, load4(hPrev + ho + f4(j), n), load4(pre + at, n));
        const dpr = f32x4.mul(f32x4.mul(dph, load4(product + at + 2 * u4, n)), derivative(ract, load4(pre + at + u4, n), r));
        store4(dx + at, dpz, n);
        store4(dx + at + u4, dpr, n);
        store4(dx + at + 2 * u4, dph, n);
        store4(dProducts + at, dpz, n);
        store4(dProducts + at + u4, dpr, n);
        store4(dProducts + at + 2 * u4, f32x4.mul(dph, r), n);
        store4(dhAt, f32x4.mul(dhn, z), n);
      }
    }
    addStateGradient(dProducts, t, T, GU, 0, GU, B, U, RT, rmask, scratch, dh);
  }
}

// ---- GRU, reset_after=False (tfjs's GRU): h~ = act(x_h + (r ⊙ h)·U_h) ----

export function gruResetBeforeForward(
  B: i32, T: i32, U: i32, pre: usize, R: usize, h: usize, hIn: usize, post: usize, resetH: usize, hPrev: usize,
  y: usize, mask: usize, rmask: usize, act: i32, ract: i32,
): void {
  const GU = 3 * U;
  const rowY = (T + 1) * U;
  const u4 = f4(U);
  for (let t = 0; t < T; t++) {
    const src = addRecurrentProduct(B, U, h, rmask, hIn, R, GU, 2 * U, pre + f4(t * GU), T * GU);
    for (let b = 0; b < B; b++) {
      const so = f4(b * U), ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      if (!counts(mask, b, T, t)) {
        memory.copy(hPrev + ho, src + so, u4);
        continue;
      }
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = go + f4(j);
        const z = activate(ract, load4(pre + at, n));
        const r = activate(ract, load4(pre + at + u4, n));
        store4(post + at, z, n);
        store4(post + at + u4, r, n);
        const hv = load4(src + so + f4(j), n);
        store4(hPrev + ho + f4(j), hv, n);
        store4(resetH + ho + f4(j), f32x4.mul(r, hv), n);
      }
    }
    addRowsTimesMatrixStrided(resetH + f4(t * U), T * U, B, U, R, GU, 2 * U, U, pre + f4(t * GU + 2 * U), T * GU);
    for (let b = 0; b < B; b++) {
      const so = f4(b * U), go = f4(stepRow(b, t, T, GU));
      const yo = y + f4(b * rowY + t * U);
      if (!counts(mask, b, T, t)) {
        memory.copy(yo, h + so, u4);
        continue;
      }
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = go + f4(j);
        const z = load4(post + at, n);
        const hh = activate(act, load4(pre + at + 2 * u4, n));
        store4(post + at + 2 * u4, hh, n);
        const hv = load4(src + so + f4(j), n);
        const hn = madd(z, hv, f32x4.mul(f32x4.sub(ones(), z), hh));
        store4(h + so + f4(j), hn, n);
        store4(yo + f4(j), hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, true);
}

export function gruResetBeforeBackward(
  B: i32, T: i32, U: i32, pre: usize, post: usize, hPrev: usize, RT: usize, dy: usize, da: usize, dh: usize,
  dResetH: usize, mask: usize, rmask: usize, act: i32, ract: i32,
): void {
  const GU = 3 * U;
  const u4 = f4(U);
  copyStateRows(dy, dh, 0, B, T, 1, U, false);
  for (let t = T - 1; t >= 0; t--) {
    addOutputGradient(dh, dy, B, T, 1, U, t);
    for (let b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const so = f4(b * U), ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = go + f4(j);
        const z = load4(post + at, n);
        const hh = load4(post + at + 2 * u4, n);
        const dhAt = dh + so + f4(j);
        const dhn = load4(dhAt, n);
        store4(da + at, gruUpdateGradient(ract, dhn, z, hh, load4(hPrev + ho + f4(j), n), load4(pre + at, n)), n);
        store4(da + at + 2 * u4, gruCandidateGradient(act, dhn, z, hh, load4(pre + at + 2 * u4, n)), n);
        store4(dhAt, f32x4.mul(dhn, z), n);
      }
    }
    memory.fill(dResetH, 0, f4(B * U));
    addRowsTimesMatrixStrided(da + f4(t * GU + 2 * U), T * GU, B, U, RT + f4(2 * U * U), U, 0, U, dResetH, U);
    for (let b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const so = f4(b * U), ho = f4(stepRow(b, t, T, U)), go = f4(stepRow(b, t, T, GU));
      for (let j = 0; j < U; j += 4) {
        const n = U - j;
        const at = go + f4(j);
        const r = load4(post + at + u4, n);
        const drh = load4(dResetH + so + f4(j), n);
        store4(da + at + u4, f32x4.mul(f32x4.mul(drh, load4(hPrev + ho + f4(j), n)), derivative(ract, load4(pre + at + u4, n), r)), n);
        const dhAt = dh + so + f4(j);
        store4(dhAt, madd(drh, r, load4(dhAt, n)), n);
      }
    }
    addRowsTimesMatrixStrided(da + f4(t * GU), T * GU, B, 2 * U, RT, U, 0, U, dh, U);
    // dh is the gradient of h ⊙ mask at the steps that ran; h's is that times the mask.
    if (rmask != 0) {
      for (let b = 0; b < B; b++) {
        if (!counts(mask, b, T, t)) continue;
        const so = f4(b * U);
        for (let j = 0; j < U; j += 4) {
          const n = U - j;
          const at = so + f4(j);
          store4(dh + at, f32x4.mul(load4(dh + at, n), load4(rmask + at, n)), n);
        }
      }
    }
  }
}

/** y = f(x) and dy = f'(x) over n floats: the activations alone, for the tests' accuracy checks. */
export function activations(code: i32, x: usize, n: i32, y: usize, dy: usize): void {
  for (let i = 0; i < n; i += 4) {
    const k = n - i;
    const xv = load4(x + f4(i), k);
    const yv = activate(code, xv);
    store4(y + f4(i), yv, k);
    store4(dy + f4(i), derivative(code, xv, yv), k);
  }
}
