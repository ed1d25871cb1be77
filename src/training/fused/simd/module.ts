// Loads the fused kernels and exposes their exports over a scratch area of their memory. Three
// builds of the same kernels: `npm run build` compiles two WebAssembly binaries from the
// AssemblyScript sources (scripts/build-wasm.mjs): dist/fused-kernels-relaxed.wasm, whose
// multiply-adds are fused (relaxed SIMD's f32x4.relaxed_madd, madd.as.ts), and
// dist/fused-kernels.wasm with a multiply then an add; and, where a C compiler and Node's headers
// are there (scripts/build-native.mjs), dist/fused-kernels-native.node, the same kernels in C with
// 256-bit AVX2 + FMA (../native/), a Node-API addon with the wasm module's exports over a memory
// of its own. The native one loads where the CPU has AVX2 and FMA (the addon refuses to load
// otherwise), unless SEQMODEL_NATIVE_KERNELS=0; else the relaxed binary where the runtime
// validates relaxed SIMD (relaxedSimd.ts), else the plain one. Synchronous (WebAssembly.Module
// on bytes, process.dlopen) because tfjs calls the kernels synchronously. When no file is there
// (a checkout that was never built) or the runtime lacks SIMD, `simdKernels()` is null and the
// TypeScript loops run instead.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { relaxedSimdSupported } from './relaxedSimd';

/** The binary with separate multiplies and adds: every runtime with WebAssembly SIMD runs it. */
export const WASM_FILE = 'fused-kernels.wasm';
/** The binary with fused multiply-adds (relaxed SIMD). */
export const RELAXED_WASM_FILE = 'fused-kernels-relaxed.wasm';
/** Both binaries, which the build makes and the .vsix ships beside the workers. */
export const WASM_FILES = [WASM_FILE, RELAXED_WASM_FILE];
/** The native build (AVX2 + FMA), where the build machine could compile it. */
export const NATIVE_FILE = 'fused-kernels-native.node';

/**
 * Which build runs the kernels: 'native' (C, AVX2 + FMA), 'relaxed' (wasm with fused
 * multiply-adds) or 'plain' (wasm, a multiply then an add).
 */
export type SimdBinary = 'native' | 'relaxed' | 'plain';

/** What the kernels need of their memory: WebAssembly.Memory's, which the native one mimics. */
interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Exports {
  memory: LinearMemory;
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
  // An input projection as rows of a table (rows.as.ts).
  gatherRows(table: number, ids: number, n: number, width: number, out: number): void;
  scatterAddRows(d: number, ids: number, n: number, width: number, table: number): void;
}

/**
 * The activations recurrent.as.ts computes, by tfjs identifier; a position is the code the
 * kernels take (vector-math.as.ts's constants, in the same order).
 */
export const SIMD_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softsign', 'swish'];

export interface SimdKernels {
  exports: Exports;
  /** The native build's optimizer passes; null in the wasm builds. */
  optimizers: OptimizerKernels | null;
  /**
   * Which build this is (a native one that would not load falls back to a wasm binary, a
   * relaxed one to the plain one).
   */
  binary: SimdBinary;
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

/** Where a built file is: next to the bundle (dist/), or dist/ of the checkout when run from src/. */
function wasmPath(file: string): string | null {
  const candidates = [
    path.join(__dirname, file),
    path.join(__dirname, '..', '..', '..', '..', 'dist', file),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * The build to load, when the caller leaves it to us: the native one unless
 * SEQMODEL_NATIVE_KERNELS=0 rules it out (whether it loads is loadSimdKernels's to find out:
 * it falls back to a wasm binary); else the relaxed one unless SEQMODEL_RELAXED_SIMD=0 rules it
 * out or the runtime does not validate relaxed SIMD.
 */
export function preferredBinary(env: Record<string, string | undefined>, supported: () => boolean = relaxedSimdSupported): SimdBinary {
  if (!nativeRuledOut(env)) return 'native';
  return wasmBinary(env, supported);
}

/** SEQMODEL_NATIVE_KERNELS=0: the user asked for the wasm builds (docs/training.md). */
function nativeRuledOut(env: Record<string, string | undefined>): boolean {
  return env['SEQMODEL_NATIVE_KERNELS'] === '0';
}

/** The wasm binary preferredBinary picks when the native build is ruled out or does not load. */
function wasmBinary(env: Record<string, string | undefined>, supported: () => boolean = relaxedSimdSupported): 'relaxed' | 'plain' {
  return env['SEQMODEL_RELAXED_SIMD'] !== '0' && supported() ? 'relaxed' : 'plain';
}

/**
 * The optimizers' update passes of the native build (../native/optimizers.c), in place on the
 * weights' own Float32Arrays rather than on the module's memory: a pass reads and writes each
 * weight's arrays once, and copying them in and out would cost more than it saves. The wasm
 * builds have none (a wasm module reads only its own memory): the TypeScript loops of
 * optimizerSteps.ts serve there.
 */
export interface OptimizerKernels {
  /** optimizerSteps.ts's rmspropStep, the arithmetic in float32 as tfjs's. */
  rmspropStep(x: Float32Array, g: Float32Array, ms: Float32Array, mom: Float32Array, mg: Float32Array | null, lr: number, rho: number, momentum: number, eps: number): void;
}

/** The native addon's own exports (../native/addon.c): the memory is `buffer()` and `grow`. */
interface NativeExports extends Omit<Exports, 'memory'>, OptimizerKernels {
  buffer(): ArrayBuffer;
  grow(pages: number): number;
}

/**
 * The native build's exports in the wasm module's shape, or null when it is not there or will
 * not load: no file, SEQMODEL_NATIVE_KERNELS=0, a CPU without AVX2 or FMA (the addon throws),
 * another platform's binary, or a runtime without process.dlopen (the playground's browser).
 */
export function loadNativeExports(env: Record<string, string | undefined>, at?: string): (Exports & OptimizerKernels) | null {
  if (nativeRuledOut(env)) return null;
  let native: NativeExports;
  try {
    const file = at ?? wasmPath(NATIVE_FILE);
    if (file === null) return null;
    const holder = { exports: {} as NativeExports };
    process.dlopen(holder, file);
    native = holder.exports;
  } catch {
    return null;
  }
  // The buffer is asked for once and again after each grow, not on every read of
  // memory.buffer (a call into the addon).
  let buffer = native.buffer();
  const memory: LinearMemory = {
    get buffer() {
      return buffer;
    },
    grow(pages: number) {
      const before = native.grow(pages);
      buffer = native.buffer();
      return before;
    },
  };
  return { ...native, memory };
}

/**
 * Loads one build, or null when it is missing or the runtime rejects it (SEQMODEL_FUSED_SIMD=0
 * counts as missing). A native build that will not load falls back to the wasm binary
 * preferredBinary would pick, a relaxed binary to the plain one, so `binary` says which it is.
 */
export function loadSimdKernels(want: SimdBinary): SimdKernels | null {
  let exports: Exports;
  let binary: SimdBinary = want;
  try {
    if (typeof process !== 'undefined' && process.env['SEQMODEL_FUSED_SIMD'] === '0') return null;
    if (want === 'native') {
      const env = typeof process !== 'undefined' ? process.env : {};
      const native = loadNativeExports(env);
      if (native === null) return loadSimdKernels(wasmBinary(env));
      return { ...overMemory(native, 'native'), optimizers: native };
    }
    // The probe (run once per process; preferredBinary asked it first) also sets Node 20's V8
    // flag, which compiling the relaxed binary needs.
    let file = want === 'relaxed' && relaxedSimdSupported() ? wasmPath(RELAXED_WASM_FILE) : null;
    if (file === null) {
      binary = 'plain';
      file = wasmPath(WASM_FILE);
    }
    if (file === null) return null;
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(readFileSync(file));
    } catch (e) {
      if (binary === 'plain') throw e;
      return loadSimdKernels('plain');
    }
    exports = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
  } catch {
    // A runtime without WebAssembly SIMD rejects the module, and the playground's browser
    // worker has no file system (its node: modules are stubs that throw): the TypeScript loops
    // serve there.
    return null;
  }
  return { ...overMemory(exports, binary), optimizers: null };
}

/** The scratch and reservation bookkeeping over a loaded build's memory. */
function overMemory(exports: Exports, binary: SimdBinary): Omit<SimdKernels, 'optimizers'> {
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
    binary,
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
let choice: SimdBinary | 'auto' = 'auto';
/** Each binary once loaded, so switching back and forth (useSimdBinary) compiles nothing again. */
const instances = new Map<SimdBinary, SimdKernels | null>();

export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) {
    const env = typeof process !== 'undefined' ? process.env : {};
    const binary = choice === 'auto' ? preferredBinary(env) : choice;
    if (!instances.has(binary)) instances.set(binary, loadSimdKernels(binary));
    loaded = instances.get(binary)!;
  }
  return loaded;
}

/** The kernels' implementation as a kernel name reports it. */
export type SimdName = 'native-avx2' | 'wasm-simd-fma' | 'wasm-simd';

/**
 * The kernels' implementation as a kernel name reports it: 'native-avx2' for the native build,
 * 'wasm-simd-fma' for the relaxed binary, 'wasm-simd' for the plain one, null without any.
 */
export function simdName(): SimdName | null {
  const simd = simdKernels();
  return simd === null ? null : SIMD_NAMES[simd.binary];
}

const SIMD_NAMES: Record<SimdBinary, SimdName> = { native: 'native-avx2', relaxed: 'wasm-simd-fma', plain: 'wasm-simd' };

/**
 * Turns the module off (false) or back on, so the tests compare the TypeScript kernels with
 * tfjs-layers on a built checkout too, and the benchmark measures both.
 */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Runs the kernels on the given binary from now on ('auto': the one simdKernels picks by
 * itself), so the tests and the benchmark compare the two binaries in one process, and a kernel
 * thread runs the binary its caller runs. Loads each binary once, on first use. A forward pass's
 * tape stays in the module that made it: switch between whole passes.
 */
export function useSimdBinary(which: SimdBinary | 'auto'): void {
  if (which === choice) return;
  choice = which;
  loaded = undefined;
}
