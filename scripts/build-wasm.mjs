// Compiles the fused recurrent kernels' AssemblyScript (src/training/fused/simd/*.as.ts: the entry
// files below) to two binaries from the same sources: dist/fused-kernels.wasm with WebAssembly
// SIMD, and dist/fused-kernels-relaxed.wasm with relaxed SIMD too, whose multiply-adds
// (madd.as.ts) are fused. src/training/fused/simd/module.ts loads the relaxed one where the
// runtime accepts it. AssemblyScript is an npm devDependency, so a fresh `npm ci` (whose
// prepare step runs the build) produces both with no other toolchain.
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';

export const WASM_SOURCES = ['src/training/fused/simd/matmul.as.ts', 'src/training/fused/simd/recurrent.as.ts', 'src/training/fused/simd/rows.as.ts'];
/** Each binary: its file, and the WebAssembly features it is compiled with. */
export const WASM_BUILDS = [
  { out: 'dist/fused-kernels.wasm', features: ['simd'] },
  { out: 'dist/fused-kernels-relaxed.wasm', features: ['simd', 'relaxed-simd'] },
];

export async function buildWasm() {
  mkdirSync('dist', { recursive: true });
  for (const { out, features } of WASM_BUILDS) {
    const { error, stderr } = await asc.main([
      ...WASM_SOURCES,
      '--outFile', out,
      '--optimizeLevel', '3',
      '--runtime', 'stub',
      ...features.flatMap((f) => ['--enable', f]),
      '--noAssert',
    ]);
    if (error) {
      console.error(stderr.toString());
      throw error;
    }
    console.log(`  ${out}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWasm();
