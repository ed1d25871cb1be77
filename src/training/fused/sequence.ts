// The whole-sequence kernels of simd/recurrent.as.ts behind the KernelForward interface the
// TypeScript kernels (lstm.ts, gru.ts, simple-rnn.ts) implement: one wasm call runs every step
// forward, one the backward pass. Each call copies its inputs into the module's memory once and
// its outputs out once, as whole arrays; nothing crosses per step or per row. The forward pass's
// tape stays in the module's memory for the backward pass (a Tape), unless another call needs
// that memory first (another layer's forward pass, or Predict, which never asks for a backward
// pass): then it is copied out to JavaScript, and copied back in for the backward pass.
import type { ElementwiseActivation } from './activations';
import { KernelForward, KernelGradients, KernelInput, RecurrentKind } from './kernel';
import type { ProjectionRows, RowsKernelForward, RowsKernelInput } from './rows';
import { fillRows, onesOf } from './matmul';
import type { GradientTargets, InputsKernelForward, InputsKernelInput, OutputRows, ProjectionInputs } from './inputs';
import { Reservation, SIMD_ACTIVATIONS, SimdKernels, SimdName, simdKernels, simdName } from './simd/module';

/**
 * A region's content: an array copied in; null, "none" (address 0); absent, zeros; or WRITTEN:
 * no content, as the kernel writes every float of it before reading any (or reads only what it
 * wrote). Zero-filling those cost the sentiment model's LSTM 24 MB of memset a batch.
 */
const WRITTEN = 'written by the kernel';
type Region = Float32Array | Uint8Array | Int32Array | Strided | null | typeof WRITTEN;

/**
 * A caller's packed rows at a stride in a region: block b (the `length` floats of `data` from
 * b·length) at float b·stride + offset of the region. As a content, the region's other floats
 * are zeros; as a result, the blocks are copied out into `data`. So a layer's output rows (every
 * step's, or the last step's, without the state rows) and their gradient cross the boundary
 * once, with no copy in between in the layer's layout.
 */
interface Strided {
  data: Float32Array;
  blocks: number;
  length: number;
  stride: number;
  offset: number;
}

function isStrided(x: unknown): x is Strided {
  return typeof x === 'object' && x !== null && 'stride' in x;
}

/** Writes a strided content into the region at float `from` of `size` floats, zeros between the blocks. */
function placeStrided(mem: Float32Array, from: number, size: number, s: Strided): void {
  let next = from;
  for (let b = 0; b < s.blocks; b++) {
    const at = from + b * s.stride + s.offset;
    if (at > next) mem.fill(0, next, at);
    mem.set(s.data.subarray(b * s.length, (b + 1) * s.length), at);
    next = at + s.length;
  }
  if (from + size > next) mem.fill(0, next, from + size);
}

/** Regions already in the module's memory (by byte address), and where new ones may start. */
interface Placed<K extends string> {
  at: Partial<Record<K, number>>;
  from: number;
}

function bytesOf(floats: number): number {
  return Math.ceil(floats / 4) * 16;
}

/**
 * Places regions of the given float counts in the module's memory (16-byte aligned) after
 * `placed.from`, except those `placed` already holds; copies in the given contents (zeros where
 * a content is absent), runs `call` with their byte addresses (0 for a region whose content is
 * null: "none" to the kernels, as for an absent mask) and copies the named results out.
 */
function inModule<K extends string>(
  simd: SimdKernels, sizes: Record<K, number>, contents: Partial<Record<NoInfer<K>, Region>>,
  call: (at: Record<K, number>, mem: Float32Array) => void, results: NoInfer<K>[],
  placed: Placed<NoInfer<K>> = { at: {}, from: simd.base },
  into: Partial<Record<NoInfer<K>, Float32Array | Strided>> = {},
): { out: Record<K, Float32Array>; at: Record<K, number> } {
  const at = {} as Record<K, number>;
  let next = placed.from;
  const fresh = (Object.keys(sizes) as K[]).filter((key) => placed.at[key] === undefined);
  for (const key of fresh) {
    at[key] = next;
    next += bytesOf(sizes[key]);
  }
  const mem = simd.scratch((next - placed.from) / 4, placed.from);
  const bytes = new Uint8Array(mem.buffer);
  for (const key of fresh) {
    const content = contents[key];
    const from = at[key] / 4;
    if (content === WRITTEN) continue;
    if (content instanceof Uint8Array) bytes.set(content, at[key]);
    else if (content instanceof Int32Array) new Int32Array(mem.buffer).set(content, from);
    else if (isStrided(content)) placeStrided(mem, from, sizes[key], content);
    else if (content) mem.set(content, from);
    else mem.fill(0, from, from + sizes[key]);
    if (content === null) at[key] = 0;
  }
  for (const key of Object.keys(placed.at) as K[]) at[key] = placed.at[key]!;
  call(at, mem);
  const out = {} as Record<K, Float32Array>;
  for (const key of results) {
    const from = at[key] / 4;
    const target = into[key];
    if (isStrided(target)) {
      for (let b = 0; b < target.blocks; b++) {
        const at = from + b * target.stride + target.offset;
        target.data.set(mem.subarray(at, at + target.length), b * target.length);
      }
      out[key] = target.data;
    } else if (target instanceof Float32Array && target.length === sizes[key]) {
      target.set(mem.subarray(from, from + sizes[key]));
      out[key] = target;
    } else {
      out[key] = mem.slice(from, from + sizes[key]);
    }
  }
  return { out, at };
}

/**
 * A forward pass's tape: the named regions, first in the module's memory, left there for the
 * backward pass until another call needs the memory (then copied out).
 */
class Tape<K extends string> {
  private readonly reservation: Reservation;
  private copied: Record<K, Float32Array> | null = null;

  constructor(private readonly simd: SimdKernels, private readonly at: Record<K, number>, readonly sizes: Record<K, number>) {
    const keys = Object.keys(sizes) as K[];
    const end = Math.max(...keys.map((k) => at[k] + bytesOf(sizes[k])));
    this.reservation = simd.reserve(end, () => {
      // Not through scratch(): this runs inside it, before the memory is reused.
      const mem = new Float32Array(simd.exports.memory.buffer);
      const copied = {} as Record<K, Float32Array>;
      for (const k of keys) copied[k] = mem.slice(at[k] / 4, at[k] / 4 + sizes[k]);
      this.copied = copied;
    });
  }

  private released = false;

  /** Contents for a call that reads the tape: none while it is in place, else its copies. */
  contents(): Partial<Record<K, Float32Array>> {
    if (this.released) throw new Error('fused recurrent kernel: a backward pass asked for a tape that an earlier backward pass consumed');
    if (this.reservation.held()) return {};
    return this.copied!;
  }

  /** Where it is, when in place; else nothing placed. */
  placed(): Placed<K> {
    return this.reservation.held() ? { at: this.at, from: this.reservation.end } : { at: {}, from: this.simd.base };
  }

  /** After the backward pass: the memory is free again (tfjs runs a backward pass once). */
  release(): void {
    this.simd.release(this.reservation);
    this.copied = null;
    this.released = true;
  }
}

/** Runs a backward pass on the tape (in place, or copied back in) and frees it. */
function backwardPass<K extends string, T extends string>(
  simd: SimdKernels, tape: Tape<T>, sizes: Record<K, number>, contents: Partial<Record<NoInfer<K>, Region>>,
  call: (at: Record<K | T, number>, mem: Float32Array) => void, results: NoInfer<K>[], into: Partial<Record<NoInfer<K>, Float32Array | Strided>> = {},
): Record<K, Float32Array> {
  const { out } = inModule<K | T>(
    simd, { ...tape.sizes, ...sizes } as Record<K | T, number>, { ...tape.contents(), ...contents } as Partial<Record<K | T, Region>>,
    call, results, tape.placed() as Placed<K | T>, into as Partial<Record<K | T, Float32Array>>,
  );
  tape.release();
  return out as Record<K, Float32Array>;
}

/** The tape's keys come first in `sizes`, so they are one block from the module's base. */
function forwardPass<K extends string, T extends K>(
  simd: SimdKernels, sizes: Record<K, number>, tapeKeys: T[], contents: Partial<Record<NoInfer<K>, Region>>,
  call: (at: Record<K, number>, mem: Float32Array) => void, y?: Float32Array | Strided,
): { y: Float32Array; tape: Tape<T> } {
  const into = {} as Partial<Record<K, Float32Array | Strided>>;
  if (y) into['y' as K] = y;
  const { out, at } = inModule(simd, sizes, contents, call, ['y' as K], undefined, into);
  const tapeSizes = {} as Record<T, number>;
  const tapeAt = {} as Record<T, number>;
  for (const k of tapeKeys) {
    tapeSizes[k] = sizes[k];
    tapeAt[k] = at[k];
  }
  return { y: out['y' as K], tape: new Tape(simd, tapeAt, tapeSizes) };
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
 * the native build ('native-avx2') or in WebAssembly ('wasm-simd', or 'wasm-simd-fma' with the
 * fused-multiply-add binary), the TypeScript kernel with the step products in one of those (an
 * activation the kernels lack: 'js+native-products', 'js+simd-products', 'js+simd-fma-products'),
 * or TypeScript alone ('js').
 */
export function kernelImplementation(
  kind: RecurrentKind, activation: string, recurrentActivation: string,
): SimdName | 'js+native-products' | 'js+simd-fma-products' | 'js+simd-products' | 'js' {
  const simd = simdName();
  if (simd === null) return 'js';
  if (runsWholeSequence(kind, activation, recurrentActivation)) return simd;
  return PRODUCTS_ONLY[simd];
}

const PRODUCTS_ONLY = { 'native-avx2': 'js+native-products', 'wasm-simd-fma': 'js+simd-fma-products', 'wasm-simd': 'js+simd-products' } as const;

/** The wasm kernel for this input, or null when the TypeScript kernel must run. */
export function sequenceKernel(kind: RecurrentKind, k: KernelInput): ((k: KernelInput) => KernelForward) | null {
  return runsWholeSequence(kind, k.activation.id, k.recurrentActivation.id) ? WHOLE_SEQUENCE[kind] : null;
}

/**
 * The wasm kernel for an input projection given as rows of a table (rows.ts), or null when it
 * must be gathered into an array for the TypeScript kernel.
 */
export function rowsSequenceKernel(kind: RecurrentKind, k: RowsKernelInput): ((k: RowsKernelInput) => RowsKernelForward) | null {
  return runsWholeSequence(kind, k.activation.id, k.recurrentActivation.id) ? ROWS_SEQUENCE[kind] : null;
}

/**
 * The wasm kernel for a layer's input with its kernel and bias, projected in the module, or null
 * when the projection must be made for the TypeScript kernel.
 */
export function inputsSequenceKernel(kind: RecurrentKind, k: InputsKernelInput): ((k: InputsKernelInput) => InputsKernelForward) | null {
  return runsWholeSequence(kind, k.activation.id, k.recurrentActivation.id) ? INPUTS_SEQUENCE[kind] : null;
}

/**
 * What the functions below take: the projection itself (xproj), rows of a table gathered in the
 * module (rows), or the layer's input and its kernel and bias, projected in the module (inputs).
 */
type SequenceInput = Omit<KernelInput, 'xproj' | 'reuse'> & {
  xproj: Float32Array | null;
  rows: ProjectionRows | null;
  inputs: ProjectionInputs | null;
  /** With inputs: the rows of y the caller reads, written there packed (y is then that array, and dy has its layout). */
  outputs: OutputRows | null;
  reuse?: { y?: Float32Array; dInput?: Float32Array };
};

/** Where y goes: the caller's packed output rows, an array for all of y (reuse), or a new one. */
function yTarget(k: SequenceInput, states: number): Float32Array | Strided | undefined {
  return k.outputs ? outputRows(k, k.outputs.into, states) : k.reuse?.y;
}

/** dy as the kernel reads it: the caller's packed rows placed among zeros, or all of y's layout. */
function dyContent(k: SequenceInput, dy: Float32Array, states: number): Float32Array | Strided {
  return k.outputs ? outputRows(k, dy, states) : dy;
}

/** Packed output rows (every step's, or the last step's, per sample) in y's (batch, steps + states, units). */
function outputRows(k: SequenceInput, data: Float32Array, states: number): Strided {
  const { batch: B, steps: T, units: U } = k;
  const all = k.outputs!.sequences;
  return { data, blocks: B, length: all ? T * U : U, stride: (T + states) * U, offset: all ? 0 : (T - 1) * U };
}

interface SequenceGradients {
  /**
   * The projection's gradient (batch, steps, width); with rows, summed per table row (table
   * rows, width); with inputs, none (written into the backward call's targets instead).
   */
  dInput: Float32Array | null;
  dh0: Float32Array;
  dc0: Float32Array | null;
  /** GRU reset_after's recurrent products' gradient, a region of its own; null where it is dInput's (the other kinds), or with rows or inputs. */
  dProducts: Float32Array | null;
  dRecurrentKernel: Float32Array;
  /** With rows or inputs, GRU reset_after's recurrent bias gradient (dProducts' column sums, summed in the module); else null. */
  dRecurrentBias: Float32Array | null;
}

interface Sequence {
  y: Float32Array;
  /** With inputs, `targets` receives the input's and the weights' gradients (dRecurrentKernel and dRecurrentBias are then the targets' arrays). */
  backward(dy: Float32Array, targets?: GradientTargets): SequenceGradients;
  /** Frees the tape for a backward pass that will not come (else the next call copies it out first). */
  release(): void;
}

/**
 * The regions every kind's forward pass has besides its tape and its input side: the recurrent
 * kernel R (units, width), the state h and hIn (h ⊙ the recurrent mask, for the product), y
 * with its `states` trailing state rows, the mask and the recurrent mask.
 */
function stateRegions(k: SequenceInput, width: number, states: number) {
  const { batch: B, steps: T, units: U } = k;
  return {
    sizes: { R: U * width, h: B * U, hIn: B * U, y: B * (T + states) * U, mask: (B * T) / 4, rmask: B * U },
    contents: { R: k.recurrentKernel, h: k.h0, mask: k.mask, rmask: k.recurrentMask, hIn: WRITTEN, y: WRITTEN } as Record<'R' | 'h' | 'mask' | 'rmask' | 'hIn' | 'y', Region>,
  };
}

/**
 * The regions every kind's backward pass has besides the tape and its input side: R and its
 * transpose RT (the call writes it), dy (`dyContent`), dh, the recurrent kernel's gradient dR
 * and the masks.
 */
function stateGradientRegions(k: SequenceInput, width: number, states: number, dy: Float32Array) {
  const { batch: B, steps: T, units: U } = k;
  return {
    sizes: { R: U * width, RT: width * U, dy: B * (T + states) * U, dh: B * U, dR: U * width, mask: (B * T) / 4, rmask: B * U },
    contents: { R: k.recurrentKernel, dy: dyContent(k, dy, states), mask: k.mask, rmask: k.recurrentMask, RT: WRITTEN, dh: WRITTEN } as Record<'R' | 'dy' | 'mask' | 'rmask' | 'RT' | 'dh', Region>,
  };
}

/**
 * The input side's regions of a forward pass: the projection itself (in the kernel's own
 * region), the table and the row ids to gather it from, or the input, the kernel and the bias to
 * project it from. The input `x` belongs to the tape (the kernel's gradient reads it): callers
 * place `tape` right after their own tape regions.
 */
function inputRegions(k: SequenceInput, rows: number) {
  const inputs = k.inputs;
  return {
    tape: { xIn: inputs ? rows * inputs.features : 0 },
    tapeContents: { xIn: inputs ? inputs.x : null },
    sizes: { table: k.rows ? k.rows.table.length : 0, ids: k.rows ? rows : 0, kernel: inputs ? inputs.kernel.length : 0, bias: inputs?.bias ? inputs.bias.length : 0 },
    contents: { table: k.rows ? k.rows.table : null, ids: k.rows ? k.rows.ids : null, kernel: inputs ? inputs.kernel : null, bias: inputs?.bias ?? null },
  };
}

/**
 * The input side's regions of a backward pass: with rows, their ids again and the per-row sums
 * (zeros to start); with inputs, the kernel again (its transpose gives the input's gradient),
 * and the gradients, the kernel's and the bias's starting as the targets' accumulators. `ones`
 * (a column of ones: column sums as a product) is there for the bias and, where
 * `recurrentBiasSums`, for GRU reset_after's recurrent bias. `results` and `into` say what
 * comes out and where: with neither rows nor inputs, the kernel's own region `projection` (the
 * projection's gradient) into the caller's reused array.
 */
function inputGradientRegions(
  k: SequenceInput, rows: number, width: number, targets: GradientTargets | undefined, recurrentBiasSums: boolean, projection: string,
) {
  const inputs = k.inputs;
  if (inputs && !targets) throw new Error('fused recurrent kernel: a backward pass on the input needs the gradients\' targets');
  const t = targets ?? { dx: null, dKernel: new Float32Array(0), dBias: null, dRecurrentKernel: null, dRecurrentBias: null };
  const F = inputs?.features ?? 0;
  const withBias = inputs?.bias != null && t.dBias !== null;
  const ones = withBias || (recurrentBiasSums && (k.rows !== null || inputs !== null));
  const dx = inputs !== null && t.dx !== null;
  let results: string[] = [projection];
  if (k.rows) results = ['dRows'];
  else if (inputs) results = ['dKernel', ...(withBias ? ['dBias'] : []), ...(dx ? ['dxIn'] : [])];
  let into: Record<string, Float32Array | undefined> = { [projection]: k.reuse?.dInput };
  if (k.rows) into = { dRows: k.reuse?.dInput };
  else if (inputs) into = { dxIn: t.dx ?? undefined, dKernel: t.dKernel, dBias: t.dBias ?? undefined, dR: t.dRecurrentKernel ?? undefined, dRB: t.dRecurrentBias ?? undefined };
  return {
    sizes: {
      ids: k.rows ? rows : 0, dRows: k.rows ? k.rows.table.length : 0, ones: ones ? rows : 0,
      kernel: inputs ? F * width : 0, kernelT: dx ? F * width : 0, dxIn: dx ? rows * F : 0,
      dKernel: inputs ? F * width : 0, dBias: withBias ? width : 0,
    },
    contents: {
      ids: k.rows ? k.rows.ids : null, ...(k.rows ? {} : { dRows: null }), ones: ones ? onesOf(rows) : null,
      kernel: inputs ? inputs.kernel : null, kernelT: dx ? WRITTEN : null, ...(dx ? {} : { dxIn: null }),
      dKernel: inputs ? t.dKernel : null, dBias: withBias ? t.dBias : null,
    } as Partial<Record<'ids' | 'dRows' | 'ones' | 'kernel' | 'kernelT' | 'dxIn' | 'dKernel' | 'dBias', Region>>,
    /** The recurrent weights' gradients (every kind's dR, GRU reset_after's dRB) start as the targets' accumulators, with inputs. */
    recurrentContents: (inputs ? { dR: t.dRecurrentKernel, ...(t.dRecurrentBias ? { dRB: t.dRecurrentBias } : {}) } : {}) as { dR?: Region; dRB?: Region },
    results,
    into,
    /** The gradient handed back as dInput: the per-row sums, none with inputs, else the projection's. */
    dInput: (g: Record<string, Float32Array>): Float32Array | null => (k.rows ? g['dRows'] : inputs ? null : g[projection]),
  };
}

/** Fills the projection region `to`: rows gathered from the table, or the input projected (x · kernel + bias). */
function projectInput(simd: SimdKernels, mem: Float32Array, k: SequenceInput, at: { table: number; ids: number; xIn: number; kernel: number; bias: number }, rows: number, width: number, to: number): void {
  if (k.rows) simd.exports.gatherRows(at.table, at.ids, rows, width, to);
  if (!k.inputs) return;
  // gemm adds into its result: the bias (or zeros) first.
  fillRows(mem, to / 4, rows, width, width, k.inputs.bias ?? undefined);
  simd.exports.gemm(rows, width, k.inputs.features, at.xIn, k.inputs.features, 1, at.kernel, width, to, width);
}

/**
 * From the projection's gradient `from`: the per-row sums (rows), or the input's gradient
 * (from · kernelᵀ), the kernel's (xᵀ · from, added) and the bias's (column sums, added) (inputs).
 */
function backpropInput(
  simd: SimdKernels, k: SequenceInput,
  at: { ids: number; dRows: number; xIn: number; kernel: number; kernelT: number; dxIn: number; dKernel: number; dBias: number; ones: number },
  rows: number, width: number, from: number,
): void {
  if (k.rows) simd.exports.scatterAddRows(from, at.ids, rows, width, at.dRows);
  if (!k.inputs) return;
  const F = k.inputs.features;
  if (at.dxIn !== 0) {
    simd.exports.transpose(at.kernel, F, width, at.kernelT);
    simd.exports.gemm(rows, F, width, from, width, 1, at.kernelT, F, at.dxIn, F);
  }
  simd.exports.addTransposedProduct(at.xIn, rows, F, from, width, 0, width, at.dKernel);
  if (at.dBias !== 0) simd.exports.gemm(1, width, rows, at.ones, rows, 1, from, width, at.dBias, width);
}

function lstm(k: SequenceInput): Sequence {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const GU = 4 * U;
  const BT = B * T;
  const input = inputRegions(k, BT);
  const state = stateRegions(k, GU, 2);
  const { y, tape } = forwardPass(
    simd,
    { pre: BT * GU, gate: BT * GU, cell: BT * U, cellAct: BT * U, hPrev: BT * U, cPrev: BT * U, ...input.tape, ...state.sizes, c: B * U, ...input.sizes },
    ['pre', 'gate', 'cell', 'cellAct', 'hPrev', 'cPrev', 'xIn'],
    // gate, cell and cellAct are written at the steps that count, the only ones backward reads.
    {
      pre: k.xproj ?? WRITTEN, ...state.contents, c: k.c0 ?? undefined, ...input.contents, ...input.tapeContents,
      gate: WRITTEN, cell: WRITTEN, cellAct: WRITTEN, hPrev: WRITTEN, cPrev: WRITTEN,
    },
    (at, mem) => {
      projectInput(simd, mem, k, at, BT, GU, at.pre);
      simd.exports.lstmForward(B, T, U, at.pre, at.R, at.h, at.c, at.hIn, at.gate, at.cell, at.cellAct, at.hPrev, at.cPrev, at.y, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
    },
    yTarget(k, 2),
  );
  return {
    y,
    release: () => tape.release(),
    backward(dy, targets) {
      const inputGradient = inputGradientRegions(k, BT, GU, targets, false, 'da');
      const stateGradient = stateGradientRegions(k, GU, 2, dy);
      const g = backwardPass(
        simd, tape,
        { ...stateGradient.sizes, da: BT * GU, dc: B * U, scratch: B * U, ...inputGradient.sizes },
        // A masked step's da stays as it was: zero.
        { ...stateGradient.contents, da: k.mask ? undefined : WRITTEN, dc: WRITTEN, scratch: WRITTEN, ...inputGradient.contents, ...inputGradient.recurrentContents },
        (at) => {
          simd.exports.transpose(at.R, U, GU, at.RT);
          simd.exports.lstmBackward(B, T, U, at.pre, at.gate, at.cell, at.cellAct, at.cPrev, at.RT, at.dy, at.da, at.dh, at.dc, at.scratch, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
          simd.exports.addTransposedProduct(at.hPrev, BT, U, at.da, GU, 0, GU, at.dR);
          backpropInput(simd, k, at, BT, GU, at.da);
        },
        [...inputGradient.results, 'dh', 'dc', 'dR'] as never[],
        inputGradient.into,
      );
      return { dInput: inputGradient.dInput(g), dh0: g.dh, dc0: g.dc, dProducts: null, dRecurrentKernel: g.dR, dRecurrentBias: null };
    },
  };
}

function simpleRnn(k: SequenceInput): Sequence {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const BT = B * T;
  const input = inputRegions(k, BT);
  const state = stateRegions(k, U, 1);
  const { y, tape } = forwardPass(
    simd,
    { pre: BT * U, post: BT * U, hPrev: BT * U, ...input.tape, ...state.sizes, ...input.sizes },
    ['pre', 'post', 'hPrev', 'xIn'],
    { pre: k.xproj ?? WRITTEN, ...state.contents, post: WRITTEN, hPrev: WRITTEN, ...input.contents, ...input.tapeContents },
    (at, mem) => {
      projectInput(simd, mem, k, at, BT, U, at.pre);
      simd.exports.simpleRnnForward(B, T, U, at.pre, at.R, at.h, at.hIn, at.post, at.hPrev, at.y, at.mask, at.rmask, code(k.activation));
    },
    yTarget(k, 1),
  );
  return {
    y,
    release: () => tape.release(),
    backward(dy, targets) {
      const inputGradient = inputGradientRegions(k, BT, U, targets, false, 'da');
      const stateGradient = stateGradientRegions(k, U, 1, dy);
      const g = backwardPass(
        simd, tape,
        { ...stateGradient.sizes, da: BT * U, scratch: B * U, ...inputGradient.sizes },
        { ...stateGradient.contents, da: k.mask ? undefined : WRITTEN, scratch: WRITTEN, ...inputGradient.contents, ...inputGradient.recurrentContents },
        (at) => {
          simd.exports.transpose(at.R, U, U, at.RT);
          simd.exports.simpleRnnBackward(B, T, U, at.pre, at.post, at.RT, at.dy, at.da, at.dh, at.scratch, at.mask, at.rmask, code(k.activation));
          simd.exports.addTransposedProduct(at.hPrev, BT, U, at.da, U, 0, U, at.dR);
          backpropInput(simd, k, at, BT, U, at.da);
        },
        [...inputGradient.results, 'dh', 'dR'] as never[],
        inputGradient.into,
      );
      return { dInput: inputGradient.dInput(g), dh0: g.dh, dc0: null, dProducts: null, dRecurrentKernel: g.dR, dRecurrentBias: null };
    },
  };
}

function gruResetAfter(k: SequenceInput): Sequence {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const GU = 3 * U;
  const BT = B * T;
  const input = inputRegions(k, BT);
  const state = stateRegions(k, GU, 1);
  // `left`, the product's left factor h_{t-1} ⊙ recurrent mask, is hPrev itself without a mask.
  const { y, tape } = forwardPass(
    simd,
    {
      pre: BT * GU, post: BT * GU, product: BT * GU, hPrev: BT * U, left: k.recurrentMask ? BT * U : 0, ...input.tape,
      x: BT * GU, ...state.sizes, rbias: GU, ...input.sizes,
    },
    ['pre', 'post', 'product', 'hPrev', 'left', 'xIn'],
    // product is summed into, so it starts as zeros (or the recurrent bias, which the kernel copies in).
    {
      x: k.xproj ?? WRITTEN, ...state.contents, rbias: k.recurrentBias, ...input.contents, ...input.tapeContents,
      product: k.recurrentBias ? WRITTEN : undefined, pre: WRITTEN, post: WRITTEN, hPrev: WRITTEN, left: WRITTEN,
    },
    (at, mem) => {
      projectInput(simd, mem, k, at, BT, GU, at.x);
      simd.exports.gruResetAfterForward(B, T, U, at.x, at.R, at.rbias, at.h, at.hIn, at.pre, at.post, at.product, at.hPrev, at.left, at.y, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
    },
    yTarget(k, 1),
  );
  return {
    y,
    release: () => tape.release(),
    backward(dy, targets) {
      // With rows or inputs, the recurrent bias's gradient (dProducts' column sums, onesᵀ ·
      // dProducts) is summed here too, so dProducts (as large as the projection) stays in the module.
      const inModuleSums = k.rows !== null || k.inputs !== null;
      const inputGradient = inputGradientRegions(k, BT, GU, targets, true, 'dx');
      const stateGradient = stateGradientRegions(k, GU, 1, dy);
      const g = backwardPass(
        simd, tape,
        { ...stateGradient.sizes, dx: BT * GU, dProducts: BT * GU, scratch: B * U, dRB: inModuleSums ? GU : 0, ...inputGradient.sizes },
        {
          ...stateGradient.contents, ...inputGradient.contents, dRB: inModuleSums ? undefined : null, ...inputGradient.recurrentContents,
          dx: k.mask ? undefined : WRITTEN, dProducts: k.mask ? undefined : WRITTEN, scratch: WRITTEN,
        },
        (at) => {
          simd.exports.transpose(at.R, U, GU, at.RT);
          simd.exports.gruResetAfterBackward(B, T, U, at.pre, at.post, at.product, at.hPrev, at.RT, at.dy, at.dx, at.dProducts, at.dh, at.scratch, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
          simd.exports.addTransposedProduct(k.recurrentMask ? at.left : at.hPrev, BT, U, at.dProducts, GU, 0, GU, at.dR);
          backpropInput(simd, k, at, BT, GU, at.dx);
          if (inModuleSums) simd.exports.gemm(1, GU, BT, at.ones, BT, 1, at.dProducts, GU, at.dRB, GU);
        },
        [...inputGradient.results, ...(inModuleSums ? ['dRB'] : ['dProducts']), 'dh', 'dR'] as never[],
        inputGradient.into,
      );
      return {
        dInput: inputGradient.dInput(g), dh0: g.dh, dc0: null, dProducts: inModuleSums ? null : g.dProducts, dRecurrentKernel: g.dR,
        dRecurrentBias: inModuleSums ? g.dRB : null,
      };
    },
  };
}

function gruResetBefore(k: SequenceInput): Sequence {
  const simd = simdKernels()!;
  const { batch: B, steps: T, units: U } = k;
  const GU = 3 * U;
  const BT = B * T;
  const input = inputRegions(k, BT);
  const state = stateRegions(k, GU, 1);
  const { y, tape } = forwardPass(
    simd,
    { pre: BT * GU, post: BT * GU, resetH: BT * U, hPrev: BT * U, ...input.tape, ...state.sizes, ...input.sizes },
    ['pre', 'post', 'resetH', 'hPrev', 'xIn'],
    // resetH stays zeros at masked steps: the product and the kernel's gradient read every row.
    { pre: k.xproj ?? WRITTEN, ...state.contents, post: WRITTEN, hPrev: WRITTEN, ...input.contents, ...input.tapeContents },
    (at, mem) => {
      projectInput(simd, mem, k, at, BT, GU, at.pre);
      simd.exports.gruResetBeforeForward(B, T, U, at.pre, at.R, at.h, at.hIn, at.post, at.resetH, at.hPrev, at.y, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
    },
    yTarget(k, 1),
  );
  return {
    y,
    release: () => tape.release(),
    backward(dy, targets) {
      const inputGradient = inputGradientRegions(k, BT, GU, targets, false, 'da');
      const stateGradient = stateGradientRegions(k, GU, 1, dy);
      const g = backwardPass(
        simd, tape,
        { ...stateGradient.sizes, da: BT * GU, dResetH: B * U, ...inputGradient.sizes },
        { ...stateGradient.contents, da: k.mask ? undefined : WRITTEN, dResetH: WRITTEN, ...inputGradient.contents, ...inputGradient.recurrentContents },
        (at) => {
          simd.exports.transpose(at.R, U, GU, at.RT);
          simd.exports.gruResetBeforeBackward(B, T, U, at.pre, at.post, at.hPrev, at.RT, at.dy, at.da, at.dh, at.dResetH, at.mask, at.rmask, code(k.activation), code(k.recurrentActivation));
          // z and r's columns multiply h_{t-1}; h~'s multiply r ⊙ h_{t-1}.
          simd.exports.addTransposedProduct(at.hPrev, BT, U, at.da, GU, 0, 2 * U, at.dR);
          simd.exports.addTransposedProduct(at.resetH, BT, U, at.da, GU, 2 * U, U, at.dR);
          backpropInput(simd, k, at, BT, GU, at.da);
        },
        [...inputGradient.results, 'dh', 'dR'] as never[],
        inputGradient.into,
      );
      return { dInput: inputGradient.dInput(g), dh0: g.dh, dc0: null, dProducts: null, dRecurrentKernel: g.dR, dRecurrentBias: null };
    },
  };
}

const SEQUENCES: Record<RecurrentKind, (k: SequenceInput) => Sequence> = {
  lstm,
  gru: gruResetBefore,
  'gru-reset-after': gruResetAfter,
  'simple-rnn': simpleRnn,
};

/** A kernel input as the functions above take it. */
function projected(k: KernelInput): SequenceInput {
  return { ...k, rows: null, inputs: null, outputs: null, reuse: k.reuse && { y: k.reuse.y, dInput: k.reuse.dxproj } };
}

function asKernelGradients(g: SequenceGradients): KernelGradients {
  const dxproj = g.dInput!;
  return { dxproj, dh0: g.dh0, dc0: g.dc0, dProducts: g.dProducts ?? dxproj, productInputs: [], dRecurrentKernel: g.dRecurrentKernel };
}

const WHOLE_SEQUENCE = Object.fromEntries(Object.entries(SEQUENCES).map(([kind, run]) => [kind, (k: KernelInput): KernelForward => {
  const s = run(projected(k));
  return { y: s.y, backward: (dy) => asKernelGradients(s.backward(dy)) };
}])) as Record<RecurrentKind, (k: KernelInput) => KernelForward>;

const ROWS_SEQUENCE = Object.fromEntries(Object.entries(SEQUENCES).map(([kind, run]) => [kind, (k: RowsKernelInput): RowsKernelForward => {
  const s = run({ ...k, xproj: null, inputs: null, outputs: null, reuse: k.reuse && { y: k.reuse.y, dInput: k.reuse.dRows } });
  return {
    y: s.y,
    release: s.release,
    backward: (dy) => {
      const g = s.backward(dy);
      return { dRows: g.dInput!, dh0: g.dh0, dc0: g.dc0, dRecurrentKernel: g.dRecurrentKernel, dRecurrentBias: g.dRecurrentBias };
    },
  };
}])) as Record<RecurrentKind, (k: RowsKernelInput) => RowsKernelForward>;

const INPUTS_SEQUENCE = Object.fromEntries(Object.entries(SEQUENCES).map(([kind, run]) => [kind, (k: InputsKernelInput): InputsKernelForward => {
  const s = run({ ...k, xproj: null, rows: null, outputs: k.outputs ?? null, reuse: k.reuse && { y: k.reuse.y } });
  return {
    y: s.y,
    release: s.release,
    backward: (dy, targets) => {
      const g = s.backward(dy, targets);
      return { dh0: g.dh0, dc0: g.dc0 };
    },
  };
}])) as Record<RecurrentKind, (k: InputsKernelInput) => InputsKernelForward>;
