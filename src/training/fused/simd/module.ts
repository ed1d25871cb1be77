// Loads the WebAssembly SIMD build of matmul.as.ts and recurrent.as.ts (dist/fused-kernels.wasm,
// which `npm run build` compiles: scripts/build-wasm.mjs) and exposes its exports over a scratch
// area of its memory. Synchronous (WebAssembly.Module on bytes) because tfjs calls the kernels
// synchronously. When the file is missing (a checkout that was never built) or the runtime lacks
// SIMD, `simdKernels()` is null and the TypeScript loops run instead.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const WASM_FILE = 'fused-kernels.wasm';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  addTransposedProduct(left: number, rows: number, units: number, d: number, dCols: number, from: number, width: number, out: number): void;
  gemm(m: number, n: number, depth: number, a: number, aRow: number, aCol: number, b: number, bRow: number, c: number, cRow: number): void;
  // The whole-sequence kernels of recurrent.as.ts (its comments give each argument).
  lstmForward(...args: number[]): void;
  lstmBackward(...args: number[]): void;
  simpleRnnForward(...args: number[]): void;
  simpleRnnBackward(...args: number[]): void;
  gruResetAfterForward(...args: number[]): void;
  gruResetAfterBackward(...args: number[]): void;
  gruResetBeforeForward(...args: number[]): void;
  gruResetBeforeBackward(...args: number[]): void;
  activations(code: number, x: number, n: number, y: number, dy: number): void;
}

/**
 * The activations recurrent.as.ts computes, by tfjs identifier; a position is the code the
 * kernels take (vector-math.as.ts's constants, in the same order).
 */
export const SIMD_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softsign', 'swish'];

export interface SimdKernels {
  exports: Exports;
  /** First free byte of the module's memory. */
  base: number;
  /**
   * A float view of the memory with room for `floats` values from byte `from` (default `base`),
   * grown if needed. Using memory a reservation holds evicts that reservation first.
   */
  scratch(floats: number, from?: number): Float32Array;
  /**
   * Holds [base, end) for a forward pass's tape until its backward pass (release) or until
   * another call needs that memory, which first calls `evict` to copy the tape out. One at a
   * time: a new reservation evicts the previous one.
   */
  reserve(end: number, evict: () => void): Reservation;
  /** The first byte no reservation holds: where a call may work without evicting a tape. */
  freeFrom(): number;
  release(reservation: Reservation): void;
}

export interface Reservation {
  readonly end: number;
  /** Whether the reservation still holds its memory (not evicted, not released). */
  held(): boolean;
}

/** Where the built file is: next to the bundle (dist/), or dist/ of the checkout when run from src/. */
function wasmPath(): string | null {
  const candidates = [
    path.join(__dirname, WASM_FILE),
    path.join(__dirname, '..', '..', '..', '..', 'dist', WASM_FILE),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

function load(): SimdKernels | null {
  let exports: Exports;
  try {
    if (typeof process !== 'undefined' && process.env['SEQMODEL_FUSED_SIMD'] === '0') return null;
    const file = wasmPath();
    if (file === null) return null;
    const module = new WebAssembly.Module(readFileSync(file));
    exports = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
  } catch {
    // A runtime without WebAssembly SIMD rejects the module, and the playground's browser
    // worker has no file system (its node: modules are stubs that throw): the TypeScript loops
    // serve there.
    return null;
  }
  const base = exports.heapBase();
  let view = new Float32Array(exports.memory.buffer);
  let current: { end: number; evict: () => void } | null = null;
  const evict = () => {
    const held = current;
    current = null;
    held?.evict();
  };
  return {
    exports,
    base,
    reserve(end, onEvict) {
      evict();
      const reservation = { end, evict: onEvict };
      current = reservation;
      return { end, held: () => current === reservation };
    },
    freeFrom() {
      return current === null ? base : Math.ceil(current.end / 16) * 16;
    },
    release(reservation) {
      if (reservation.held()) current = null;
    },
    scratch(floats: number, from = base): Float32Array {
      if (current !== null && from < current.end) evict();
      const needed = from + floats * 4;
      const have = exports.memory.buffer.byteLength;
      if (needed > have) exports.memory.grow(Math.ceil((needed - have) / 65536));
      // Growing detaches the old buffer: take a new view whenever the buffer changed.
      if (view.buffer !== exports.memory.buffer) view = new Float32Array(exports.memory.buffer);
      return view;
    },
  };
}

let loaded: SimdKernels | null | undefined;
let enabled = true;

export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = load();
  return loaded;
}

/**
 * Turns the module off (false) or back on, so the tests compare the TypeScript kernels with
 * tfjs-layers on a built checkout too, and the benchmark measures both.
 */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}
