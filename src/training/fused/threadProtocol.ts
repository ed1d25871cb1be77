// What the calling thread (parallel.ts) and the kernel thread (kernelThread.ts) share: a small
// control block of Int32s, which both sides wait on and wake with Atomics (a hand-off costs
// microseconds, a postMessage round trip 50-100 µs), and a data buffer both see, laid out per
// request by the functions below so that each side computes the same offsets from the header.
// Only a grown data buffer travels by message (rarely: it doubles).
import { GATES, RecurrentKind, STATES } from './kernel';

/** Int32 indices into the control block. */
export const CONTROL = {
  /** One of STATE below: who acts next. */
  state: 0,
  /** 1 once the thread runs its loop. */
  ready: 1,
  op: 2,
  id: 3,
  kind: 4,
  batch: 5,
  steps: 6,
  units: 7,
  flags: 8,
  /** The backward pass's RESULT bits, written by the thread. */
  result: 9,
  /** The TypeScript kernels' product blocks [from, to) (kernel.ts productInputs): count, then pairs. */
  blocks: 10,
  blockRanges: 11,
  /** With FLAG.inputs: the input's features (the projection's depth). */
  features: 15,
  /** With FLAG.inputs, written with each backward request: 1 when the input's gradient is wanted. */
  wantDx: 16,
  /** Forward passes whose backward pass will never come (their KernelForward was collected). */
  releases: 20,
  releaseIds: 21,
  /** Byte offsets of the two activations' tfjs identifiers (ASCII, NUL-padded). */
  activationByte: 256,
  recurrentActivationByte: 320,
} as const;

export const CONTROL_BYTES = 384;
export const MAX_RELEASES = 32;
export const MAX_BLOCKS = 2;
const MAX_ID_BYTES = 64;

export const STATE = {
  idle: 0,
  request: 1,
  done: 2,
  /** The kernel threw: the message is on the port. */
  failed: 3,
  /** A backward pass for a forward pass the thread no longer holds: the caller recomputes it. */
  missing: 4,
  /** The thread has ended (set from its exit handler). */
  dead: 5,
} as const;

export const OP = { forward: 1, backward: 2, exit: 3 } as const;

/** Request flags: which optional inputs exist, and which implementation the thread must run. */
export const FLAG = {
  recurrentBias: 1,
  c0: 2,
  mask: 4,
  recurrentMask: 8,
  /** WebAssembly enabled (setSimdEnabled): the TypeScript kernels' step products use it. */
  simd: 16,
  /** The whole sequence in WebAssembly (sequence.ts), as the calling thread runs its half. */
  wholeSequence: 32,
  /** No backward pass is expected (Predict, evaluation): the thread keeps no tape. */
  forwardOnly: 64,
  /** The calling thread runs the fused-multiply-add binary (simd/module.ts): the thread runs it too. */
  relaxed: 128,
  /** The calling thread runs the native build (simd/module.ts): the thread runs it too. */
  native: 256,
  /**
   * The request carries the layer's input, kernel and bias instead of the projection: the thread
   * projects in its module (inputs.ts) and returns the input's gradient and its half's sums of
   * the weights' gradients.
   */
  inputs: 512,
  /** With inputs: the projection has a bias. */
  inputsBias: 1024,
} as const;

/** Backward result bits. */
export const RESULT = { dRecurrentKernel: 1, productsAreDxproj: 2, dc0: 4 } as const;

export const KINDS: RecurrentKind[] = ['lstm', 'gru', 'gru-reset-after', 'simple-rnn'];

export interface Header {
  kind: RecurrentKind;
  batch: number;
  steps: number;
  units: number;
  flags: number;
  /** With FLAG.inputs, the input's features; else 0. */
  features: number;
}

export function writeHeader(control: Int32Array, h: Header): void {
  control[CONTROL.kind] = KINDS.indexOf(h.kind);
  control[CONTROL.batch] = h.batch;
  control[CONTROL.steps] = h.steps;
  control[CONTROL.units] = h.units;
  control[CONTROL.flags] = h.flags;
  control[CONTROL.features] = h.features;
}

export function readHeader(control: Int32Array): Header {
  return {
    kind: KINDS[control[CONTROL.kind]],
    batch: control[CONTROL.batch],
    steps: control[CONTROL.steps],
    units: control[CONTROL.units],
    flags: control[CONTROL.flags],
    features: control[CONTROL.features],
  };
}

export function writeId(control: Int32Array, byte: number, id: string): void {
  const bytes = new Uint8Array(control.buffer, byte, MAX_ID_BYTES);
  if (id.length >= MAX_ID_BYTES) throw new Error(`activation identifier too long for the kernel thread: ${id}`);
  bytes.fill(0);
  for (let i = 0; i < id.length; i++) bytes[i] = id.charCodeAt(i) & 0x7f;
}

export function readId(control: Int32Array, byte: number): string {
  const bytes = new Uint8Array(control.buffer, byte, MAX_ID_BYTES);
  let id = '';
  for (let i = 0; i < bytes.length && bytes[i] !== 0; i++) id += String.fromCharCode(bytes[i]);
  return id;
}

/** Byte offsets of named regions (16-byte aligned) and the bytes they take in all. */
export interface Layout<K extends string> {
  at: Record<K, number>;
  length: Record<K, number>;
  bytes: number;
}

/** Lays out regions of the given element counts (floats, or bytes for the step mask). */
function layout<K extends string>(regions: [K, number, 'f32' | 'u8'][]): Layout<K> {
  const at = {} as Record<K, number>;
  const length = {} as Record<K, number>;
  let next = 0;
  for (const [key, n, type] of regions) {
    at[key] = next;
    length[key] = n;
    next += Math.ceil((type === 'f32' ? 4 * n : n) / 16) * 16;
  }
  return { at, length, bytes: next };
}

function has(flags: number, flag: number): boolean {
  return (flags & flag) !== 0;
}

export type ForwardRegion = 'xproj' | 'x' | 'kernel' | 'bias' | 'recurrentKernel' | 'recurrentBias' | 'h0' | 'c0' | 'mask' | 'recurrentMask' | 'y';

/**
 * A forward request: the kernel's inputs for the thread's samples (the projection, or with
 * FLAG.inputs the input, the kernel and the bias), then its y.
 */
export function forwardLayout(h: Header): Layout<ForwardRegion> {
  const { batch: b, steps: t, units: u, flags } = h;
  const gu = GATES[h.kind] * u;
  const inputs = has(flags, FLAG.inputs);
  const f = inputs ? h.features : 0;
  return layout<ForwardRegion>([
    ['xproj', inputs ? 0 : b * t * gu, 'f32'],
    ['x', b * t * f, 'f32'],
    ['kernel', f * gu, 'f32'],
    ['bias', inputs && has(flags, FLAG.inputsBias) ? gu : 0, 'f32'],
    ['recurrentKernel', u * gu, 'f32'],
    ['recurrentBias', has(flags, FLAG.recurrentBias) ? gu : 0, 'f32'],
    ['h0', b * u, 'f32'],
    ['c0', has(flags, FLAG.c0) ? b * u : 0, 'f32'],
    ['mask', has(flags, FLAG.mask) ? b * t : 0, 'u8'],
    ['recurrentMask', has(flags, FLAG.recurrentMask) ? b * u : 0, 'f32'],
    ['y', b * (t + STATES[h.kind]) * u, 'f32'],
  ]);
}

export type BackwardRegion =
  'dy' | 'dxproj' | 'dProducts' | 'dx' | 'dKernel' | 'dBias' | 'dRecurrentBias' | 'dh0' | 'dc0' | 'dRecurrentKernel' | `left${number}`;

/**
 * A backward request: dy for the thread's samples, then the gradients. The WebAssembly kernels
 * return the recurrent kernel's gradient, the TypeScript ones its factors (up to MAX_BLOCKS).
 * With FLAG.inputs, the input's gradient and the thread's half's sums of the kernel's, the
 * bias's and GRU reset_after's recurrent bias's gradients instead of the projection's.
 */
export function backwardLayout(h: Header): Layout<BackwardRegion> {
  const { batch: b, steps: t, units: u, flags } = h;
  const gu = GATES[h.kind] * u;
  const whole = has(flags, FLAG.wholeSequence);
  const inputs = has(flags, FLAG.inputs);
  const f = inputs ? h.features : 0;
  const lefts: [BackwardRegion, number, 'f32'][] = [];
  for (let i = 0; i < MAX_BLOCKS; i++) lefts.push([`left${i}`, whole ? 0 : b * t * u, 'f32']);
  return layout<BackwardRegion>([
    ['dy', b * (t + STATES[h.kind]) * u, 'f32'],
    ['dxproj', inputs ? 0 : b * t * gu, 'f32'],
    ['dProducts', inputs ? 0 : b * t * gu, 'f32'],
    ['dx', b * t * f, 'f32'],
    ['dKernel', f * gu, 'f32'],
    ['dBias', inputs && has(flags, FLAG.inputsBias) ? gu : 0, 'f32'],
    ['dRecurrentBias', inputs && h.kind === 'gru-reset-after' ? gu : 0, 'f32'],
    ['dh0', b * u, 'f32'],
    ['dc0', h.kind === 'lstm' ? b * u : 0, 'f32'],
    ['dRecurrentKernel', whole ? u * gu : 0, 'f32'],
    ...lefts,
  ]);
}

/** A float view of one region. */
export function floatsAt<K extends string>(data: SharedArrayBuffer, l: Layout<K>, key: K): Float32Array {
  return new Float32Array(data, l.at[key], l.length[key]);
}

export function bytesAt<K extends string>(data: SharedArrayBuffer, l: Layout<K>, key: K): Uint8Array {
  return new Uint8Array(data, l.at[key], l.length[key]);
}
