// Compiles the fused recurrent kernels' AssemblyScript (src/training/fused/simd/*.as.ts: the entry files below) to
// dist/fused-kernels.wasm with WebAssembly SIMD. AssemblyScript is an npm devDependency, so a
// fresh `npm ci` (whose prepare step runs the build) produces the binary with no other toolchain.
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';

export const WASM_SOURCES = ['src/training/fused/simd/matmul.as.ts', 'src/training/fused/simd/recurrent.as.ts'];
export const WASM_OUT = 'dist/fused-kernels.wasm';

export async function buildWasm() {
  mkdirSync('dist', { recursive: true });
  const { error, stderr } = await asc.main([
    ...WASM_SOURCES,
    '--outFile', WASM_OUT,
    '--optimizeLevel', '3',
    '--runtime', 'stub',
    '--enable', 'simd',
    '--noAssert',
  ]);
  if (error) {
    console.error(stderr.toString());
    throw error;
  }
  console.log(`  ${WASM_OUT}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWasm();
