// The whole-sequence kernels of simd/recurrent.as.ts behind the KernelForward interface the
// TypeScript kernels (lstm.ts, gru.ts, simple-rnn.ts) implement: one wasm call runs every step
// forward, one the backward pass. Each call copies its inputs into the module's memory once and
// its results (outputs and the tape the backward pass needs) out once, as whole arrays; nothing
// crosses per step or per row. The tape lives in JavaScript between the two calls because
// nothing tells a forward pass whether a backward pass will follow (Predict never asks), and the
// module's memory is shared by every layer's calls in between.
import type { ElementwiseActivation } from './activations';
import { KernelForward, KernelInput, RecurrentKind } from './kernel';
import { SIMD_ACTIVATIONS, SimdKernels, simdKernels } from './simd/module';

type Region = Float32Array | Uint8Array | null;

/**
 * Places regions of the given float counts in the module's memory (16-byte aligned), copies in
 * the given contents (zeros where a content is absent), runs `call` with their byte addresses
 * (0 for a region whose content is null: "none" to the kernels, as for an absent mask) and
 * copies the named results out.
 */
function inModule<K extends string>(
  simd: SimdKernels, sizes: Record<K, number>, contents: Partial<Record<NoInfer<K>, Region>>,
  call: (at: Record<K, number>) => void, results: NoInfer<K>[],
): Record<K, Float32Array> {
  const at = {} as Record<K, number>;
  let next = simd.base;
  for (const key of Object.keys(sizes) as K[]) {
    at[key] = next;
    next += Math.ceil(sizes[key] / 4) * 16;
  }
  const mem = simd.scratch((next - simd.base) / 4);
  const bytes = new Uint8Array(mem.buffer);
  for (const key of Object.keys(sizes) as K[]) {
    const content = contents[key];
    const from = at[key] / 4;
    if (content instanceof Uint8Array) bytes.set(content, at[key]);
    else if (content) mem.set(content, from);
    else mem.fill(0, from, from + sizes[key]);
    if (content === null) at[key] = 0;
  }
  call(at);
  const out = {} as Record<K, Float32Array>;
  for (const key of results) out[key] = mem.slice(at[key] / 4, at[key] / 4 + sizes[key]);
  return out;
}

function code(a: ElementwiseActivation): number {
  return SIMD_ACTIVATIONS.indexOf(a.id);
}

/** Whether the wasm module runs this configuration's whole sequence (it loads, and has both activations). */
export function runsWholeSequence(kind: RecurrentKind, activation: string, recurrentActivation: string): boolean {
  return simdKernels() !== null && SIMD_ACTIVATIONS.includes(activation) &&
    (kind === 'simple-rnn' || SIMD_ACTIVATIONS.includes(recurrentActivation));
}

/**
 * Which implementation runs a layer, as its kernel name reports it: the whole sequence in
 * WebAssembly ('wasm-simd'), the TypeScript kernel with the step products in WebAssembly (an
 * activation the module lacks: 'js+simd-products'), or TypeScript alone ('js').
 */
export function kernelImplementation(kind: RecurrentKind, activation: string, recurrentActivation: string): 'wasm-simd' | 'js+simd-products' | 'js' {
  if (runsWholeSequence(kind, activation, recurrentActivation)) return 'wasm-simd';
  return simdKernels() === null ? 'js' : 'js+simd-products';
}

/** The wasm kernel for this input, or null when the TypeScript kernel must run. */
export function sequenceKernel(kind: RecurrentKind, k: KernelInput): ((k: KernelInput) => KernelForward) | null {
  return runsWholeSequence(kind, k.activation.id, k.recurrentActivation.id) ? SEQUENCE_KERNELS[kind] : null;
}

function lstm(k: KernelInput): KernelForward {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const GU = 4 * U;
  const BT = B * T;
  const rowsY = B * (T + 2) * U;
  const f = inModule(
    simd,
    { pre: BT * GU, R: U * GU, h: B * U, c: B * U, hIn: B * U, gate: BT * GU, cell: BT * U, cellAct: BT * U, hPrev: BT * U, cPrev: BT * U, y: rowsY, mask: BT / 4, rmask: B * U },
    { pre: k.xproj, R: k.recurrentKernel, h: k.h0, c: k.c0 ?? undefined, mask: k.mask, rmask: k.recurrentMask },
    (at) => simd.exports.lstmForward(B, T, U, at.pre, at.R, at.h, at.c, at.hIn, at.gate, at.cell, at.cellAct, at.hPrev, at.cPrev, at.y, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation)),
    ['y', 'pre', 'gate', 'cell', 'cellAct', 'hPrev', 'cPrev'],
  );
  return {
    y: f.y,
    backward(dy) {
      const g = inModule(
        simd,
        { pre: BT * GU, gate: BT * GU, cell: BT * U, cellAct: BT * U, cPrev: BT * U, hPrev: BT * U, R: U * GU, RT: GU * U, dy: rowsY, da: BT * GU, dh: B * U, dc: B * U, scratch: B * U, leftT: U * BT, dR: U * GU, mask: BT / 4, rmask: B * U },
        { pre: f.pre, gate: f.gate, cell: f.cell, cellAct: f.cellAct, cPrev: f.cPrev, hPrev: f.hPrev, R: k.recurrentKernel, dy, mask: k.mask, rmask: k.recurrentMask },
        (at) => {
          simd.exports.transpose(at.R, U, GU, at.RT);
          simd.exports.lstmBackward(B, T, U, at.pre, at.gate, at.cell, at.cellAct, at.cPrev, at.RT, at.dy, at.da, at.dh, at.dc, at.scratch, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
          simd.exports.addTransposedProduct(at.hPrev, BT, U, at.da, GU, 0, GU, at.leftT, at.dR);
        },
        ['da', 'dh', 'dc', 'dR'],
      );
      return { dxproj: g.da, dh0: g.dh, dc0: g.dc, dProducts: g.da, productInputs: [], dRecurrentKernel: g.dR };
    },
  };
}

function simpleRnn(k: KernelInput): KernelForward {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const BT = B * T;
  const rowsY = B * (T + 1) * U;
  const f = inModule(
    simd,
    { pre: BT * U, R: U * U, h: B * U, hIn: B * U, post: BT * U, hPrev: BT * U, y: rowsY, mask: BT / 4, rmask: B * U },
    { pre: k.xproj, R: k.recurrentKernel, h: k.h0, mask: k.mask, rmask: k.recurrentMask },
    (at) => simd.exports.simpleRnnForward(B, T, U, at.pre, at.R, at.h, at.hIn, at.post, at.hPrev, at.y, at.mask, at.rmask, code(k.activation)),
    ['y', 'pre', 'post', 'hPrev'],
  );
  return {
    y: f.y,
    backward(dy) {
      const g = inModule(
        simd,
        { pre: BT * U, post: BT * U, hPrev: BT * U, R: U * U, RT: U * U, dy: rowsY, da: BT * U, dh: B * U, scratch: B * U, leftT: U * BT, dR: U * U, mask: BT / 4, rmask: B * U },
        { pre: f.pre, post: f.post, hPrev: f.hPrev, R: k.recurrentKernel, dy, mask: k.mask, rmask: k.recurrentMask },
        (at) => {
          simd.exports.transpose(at.R, U, U, at.RT);
          simd.exports.simpleRnnBackward(B, T, U, at.pre, at.post, at.RT, at.dy, at.da, at.dh, at.scratch, at.mask, at.rmask, code(k.activation));
          simd.exports.addTransposedProduct(at.hPrev, BT, U, at.da, U, 0, U, at.leftT, at.dR);
        },
        ['da', 'dh', 'dR'],
      );
      return { dxproj: g.da, dh0: g.dh, dc0: null, dProducts: g.da, productInputs: [], dRecurrentKernel: g.dR };
    },
  };
}

function gruResetAfter(k: KernelInput): KernelForward {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const GU = 3 * U;
  const BT = B * T;
  const rowsY = B * (T + 1) * U;
  const f = inModule(
    simd,
    { x: BT * GU, R: U * GU, rbias: GU, h: B * U, hIn: B * U, pre: BT * GU, post: BT * GU, product: BT * GU, hPrev: BT * U, left: BT * U, y: rowsY, mask: BT / 4, rmask: B * U },
    { x: k.xproj, R: k.recurrentKernel, rbias: k.recurrentBias, h: k.h0, mask: k.mask, rmask: k.recurrentMask },
    (at) => simd.exports.gruResetAfterForward(B, T, U, at.x, at.R, at.rbias, at.h, at.hIn, at.pre, at.post, at.product, at.hPrev, at.left, at.y, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation)),
    k.recurrentMask ? ['y', 'pre', 'post', 'product', 'hPrev', 'left'] : ['y', 'pre', 'post', 'product', 'hPrev'],
  );
  // The product's left factor: h_{t-1} ⊙ recurrent mask; without a mask, h_{t-1} itself.
  const left = k.recurrentMask ? f.left : f.hPrev;
  return {
    y: f.y,
    backward(dy) {
      const g = inModule(
        simd,
        { pre: BT * GU, post: BT * GU, product: BT * GU, hPrev: BT * U, left: k.recurrentMask ? BT * U : 0, R: U * GU, RT: GU * U, dy: rowsY, dx: BT * GU, dProducts: BT * GU, dh: B * U, scratch: B * U, leftT: U * BT, dR: U * GU, mask: BT / 4, rmask: B * U },
        { pre: f.pre, post: f.post, product: f.product, hPrev: f.hPrev, left: k.recurrentMask ? left : undefined, R: k.recurrentKernel, dy, mask: k.mask, rmask: k.recurrentMask },
        (at) => {
          simd.exports.transpose(at.R, U, GU, at.RT);
          simd.exports.gruResetAfterBackward(B, T, U, at.pre, at.post, at.product, at.hPrev, at.RT, at.dy, at.dx, at.dProducts, at.dh, at.scratch, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
          simd.exports.addTransposedProduct(k.recurrentMask ? at.left : at.hPrev, BT, U, at.dProducts, GU, 0, GU, at.leftT, at.dR);
        },
        ['dx', 'dProducts', 'dh', 'dR'],
      );
      return { dxproj: g.dx, dh0: g.dh, dc0: null, dProducts: g.dProducts, productInputs: [], dRecurrentKernel: g.dR };
    },
  };
}

function gruResetBefore(k: KernelInput): KernelForward {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const GU = 3 * U;
  const BT = B * T;
  const rowsY = B * (T + 1) * U;
  const f = inModule(
    simd,
    { pre: BT * GU, R: U * GU, h: B * U, hIn: B * U, post: BT * GU, resetH: BT * U, hPrev: BT * U, y: rowsY, mask: BT / 4, rmask: B * U },
    { pre: k.xproj, R: k.recurrentKernel, h: k.h0, mask: k.mask, rmask: k.recurrentMask },
    (at) => simd.exports.gruResetBeforeForward(B, T, U, at.pre, at.R, at.h, at.hIn, at.post, at.resetH, at.hPrev, at.y, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation)),
    ['y', 'pre', 'post', 'resetH', 'hPrev'],
  );
  return {
    y: f.y,
    backward(dy) {
      const g = inModule(
        simd,
        { pre: BT * GU, post: BT * GU, hPrev: BT * U, resetH: BT * U, R: U * GU, RT: GU * U, dy: rowsY, da: BT * GU, dh: B * U, dResetH: B * U, leftT: U * BT, dR: U * GU, mask: BT / 4, rmask: B * U },
        { pre: f.pre, post: f.post, hPrev: f.hPrev, resetH: f.resetH, R: k.recurrentKernel, dy, mask: k.mask, rmask: k.recurrentMask },
        (at) => {
          simd.exports.transpose(at.R, U, GU, at.RT);
          simd.exports.gruResetBeforeBackward(B, T, U, at.pre, at.post, at.hPrev, at.RT, at.dy, at.da, at.dh, at.dResetH, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
          // z and r's columns multiply h_{t-1}; h~'s multiply r ⊙ h_{t-1}.
          simd.exports.addTransposedProduct(at.hPrev, BT, U, at.da, GU, 0, 2 * U, at.leftT, at.dR);
          simd.exports.addTransposedProduct(at.resetH, BT, U, at.da, GU, 2 * U, U, at.leftT, at.dR);
        },
        ['da', 'dh', 'dR'],
      );
      return { dxproj: g.da, dh0: g.dh, dc0: null, dProducts: g.da, productInputs: [], dRecurrentKernel: g.dR };
    },
  };
}

const SEQUENCE_KERNELS: Record<RecurrentKind, (k: KernelInput) => KernelForward> = {
  lstm,
  gru: gruResetBefore,
  'gru-reset-after': gruResetAfter,
  'simple-rnn': simpleRnn,
};
