// AssemblyScript (WebAssembly SIMD, scripts/build-wasm.mjs): an input projection given as rows
// of a table (../rows.ts). When an Embedding feeds a recurrent layer, x_t · kernel is row
// ids[r] of P = (the table's rows for the batch's distinct tokens) · kernel, so the kernels'
// (batch·steps, width) projection is gathered here from P, in the module's memory where the
// kernel reads it, and on the way back the gate gradients are summed per row of P here too:
// neither the projection nor its gradient (8 MB each a sentiment batch) crosses the module's
// boundary, nor runs through a JavaScript loop.
//
// Pointers are byte addresses in this memory; arrays are float32 rows of `width` values, `ids`
// int32 row indices into the table (the caller checks them: no bounds check here).
import { load4, store4 } from './vector-math.as';

// @ts-ignore: decorator
@inline
function f4(i: i32): usize {
  return <usize>i << 2;
}

/** out row r = table row ids[r], for r in [0, n). */
export function gatherRows(table: usize, ids: usize, n: i32, width: i32, out: usize): void {
  for (let r = 0; r < n; r++) {
    const from = table + f4(load<i32>(ids + f4(r)) * width);
    const to = out + f4(r * width);
    for (let j = 0; j < width; j += 4) store4(to + f4(j), load4(from + f4(j), width - j), width - j);
  }
}

/** table row ids[r] += d row r, for r in [0, n): the gradient of gatherRows, summed per row. */
export function scatterAddRows(d: usize, ids: usize, n: i32, width: i32, table: usize): void {
  for (let r = 0; r < n; r++) {
    const to = table + f4(load<i32>(ids + f4(r)) * width);
    const from = d + f4(r * width);
    for (let j = 0; j < width; j += 4) store4(to + f4(j), f32x4.add(load4(to + f4(j), width - j), load4(from + f4(j), width - j)), width - j);
  }
}
