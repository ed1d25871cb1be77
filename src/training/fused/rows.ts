// A recurrent kernel whose input projection comes as rows of a table: row r of the (batch·steps,
// gates·units) projection is row ids[r] of `table`. When an Embedding feeds a recurrent layer,
// x_t · kernel is the kernel times the token's embedding row, so the whole-model path projects
// each distinct token of the batch once (wholeModel/layers/embedded-recurrent.ts) and hands the
// kernel that table and every step's row index. The WebAssembly kernels gather the rows in
// their own memory (simd/rows.as.ts) and return the gate gradients summed per row, so neither
// the projection nor its gradient crosses the module's boundary. Elsewhere (the TypeScript
// kernels) the rows are gathered into an ordinary projection here, runKernel runs it (split over
// two threads where that pays) and the gradient is summed per row here.
//
// The batch split over two threads (parallel.ts) carries a projection, not rows: where a split is
// forced (configureSplit), the rows are gathered for it; otherwise the WebAssembly (or native)
// rows path runs on one thread, which beat the split on this shape (splitsNext says why).
import { GATES, type KernelGradients, type KernelInput, type RecurrentKind } from './kernel';
import { addTransposedTimesMatrix, columnSums } from './matmul';
import { runKernel, type RunOptions, splitsNext } from './parallel';
import { rowsSequenceKernel } from './sequence';

export interface ProjectionRows {
  /** (table rows, gates·units) */
  table: Float32Array;
  /** (batch, steps): the table row of each step's projection, in the order the kernel processes the steps. */
  ids: Int32Array;
}

export type RowsKernelInput = Omit<KernelInput, 'xproj' | 'reuse'> & {
  rows: ProjectionRows;
  /**
   * As KernelInput.reuse: arrays for y and dRows, and where the rows are gathered for runKernel,
   * for the gathered projection and its gradient; each used when its length is exactly right.
   */
  reuse?: { y?: Float32Array; dRows?: Float32Array; xproj?: Float32Array; dxproj?: Float32Array };
};

export interface RowsKernelGradients {
  /** (table rows, gates·units): the projection's gradient summed over the steps that read each row. */
  dRows: Float32Array;
  dh0: Float32Array;
  dc0: Float32Array | null;
  /** (units, gates·units) */
  dRecurrentKernel: Float32Array;
  /** (gates·units): GRU reset_after's recurrent bias gradient (row 1 of Keras's bias); null for the other kinds. */
  dRecurrentBias: Float32Array | null;
}

export interface RowsKernelForward {
  y: Float32Array;
  backward(dy: Float32Array): RowsKernelGradients;
  /**
   * Frees what the forward pass kept for a backward pass that will not come (a validation
   * batch): the WebAssembly kernel's tape, which the next call would otherwise copy out of the
   * module first (about 100 MB for a sentiment batch of 128). Then backward() may not be called.
   */
  release(): void;
}

/** Throws unless every id is a row of the table and there is one per step. */
function checkRows(k: RowsKernelInput, width: number): number {
  const { table, ids } = k.rows;
  if (table.length % width !== 0) throw new RangeError(`projection rows: a table of ${table.length} floats is not rows of ${width}`);
  const tableRows = table.length / width;
  if (ids.length !== k.batch * k.steps) throw new RangeError(`projection rows: ${ids.length} row ids for ${k.batch} × ${k.steps} steps`);
  for (let i = 0; i < ids.length; i++) {
    if (!(ids[i] >= 0 && ids[i] < tableRows)) throw new RangeError(`projection rows: row id ${ids[i]} outside the table's ${tableRows} rows`);
  }
  return tableRows;
}

/** out row r = table row ids[r]. */
export function gatherRows(table: Float32Array, ids: Int32Array, width: number, out: Float32Array): Float32Array {
  // One set() of a view per row: measured 3× faster than an element loop in V8.
  for (let r = 0; r < ids.length; r++) out.set(table.subarray(ids[r] * width, (ids[r] + 1) * width), r * width);
  return out;
}

/** table row ids[r] += d row r: gatherRows's gradient. */
export function scatterAddRows(d: Float32Array, ids: Int32Array, width: number, table: Float32Array): void {
  for (let r = 0; r < ids.length; r++) {
    const to = ids[r] * width;
    const from = r * width;
    for (let j = 0; j < width; j++) table[to + j] += d[from + j];
  }
}

/** Runs the kernel on a projection given as rows: in WebAssembly on this thread, else gathered for runKernel. */
export function runRowsKernel(kind: RecurrentKind, k: RowsKernelInput, options: RunOptions = {}): RowsKernelForward {
  const width = GATES[kind] * k.units;
  const tableRows = checkRows(k, width);
  const wasm = rowsSequenceKernel(kind, k);
  if (wasm !== null && !splitsNext(kind, k)) return wasm(k);
  const { rows, reuse, ...rest } = k;
  const size = rows.ids.length * width;
  const xproj = gatherRows(rows.table, rows.ids, width, reuse?.xproj?.length === size ? reuse.xproj : new Float32Array(size));
  const forward = runKernel(kind, { ...rest, xproj, reuse: { y: reuse?.y, dxproj: reuse?.dxproj } }, options);
  return {
    y: forward.y,
    // The projection kernels keep their tape until the next call needs the memory, as before.
    release: () => undefined,
    backward(dy) {
      const g = forward.backward(dy);
      const dRows = reuse?.dRows?.length === tableRows * width ? reuse.dRows.fill(0) : new Float32Array(tableRows * width);
      scatterAddRows(g.dxproj, rows.ids, width, dRows);
      return { dRows, dh0: g.dh0, dc0: g.dc0, ...recurrentWeightGradients(kind, g, k.batch * k.steps, k.units) };
    },
  };
}

/**
 * The recurrent weights' gradients from a projection kernel's gradients, as the rows and inputs
 * kernels return them: the recurrent kernel's, and GRU reset_after's recurrent bias's (the
 * recurrent products' column sums; null for the other kinds).
 */
export function recurrentWeightGradients(
  kind: RecurrentKind, g: KernelGradients, rows: number, units: number,
): { dRecurrentKernel: Float32Array; dRecurrentBias: Float32Array | null } {
  const width = GATES[kind] * units;
  const dRecurrentBias = kind === 'gru-reset-after' ? new Float32Array(width) : null;
  if (dRecurrentBias) columnSums(g.dProducts, rows, width, dRecurrentBias);
  let dRecurrentKernel = g.dRecurrentKernel;
  if (!dRecurrentKernel) {
    // The TypeScript kernels leave it to its factors (kernel.ts).
    dRecurrentKernel = new Float32Array(units * width);
    for (const { left, from, to } of g.productInputs) addTransposedTimesMatrix(left, rows, units, g.dProducts, width, from, to, dRecurrentKernel, from, width);
  }
  return { dRecurrentKernel, dRecurrentBias };
}
