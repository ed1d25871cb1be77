// The multiply-adds of the kernels (matmul.as.ts's products, vector-math.as.ts's polynomials,
// recurrent.as.ts's gate updates), written once for both binaries scripts/build-wasm.mjs makes
// from the same sources: with relaxed SIMD enabled (ASC_FEATURE_RELAXED_SIMD, a compile-time
// constant) they are f32x4.relaxed_madd, one fused multiply-add instruction where the CPU has
// FMA; otherwise a 4-lane multiply then an add. The two differ only in rounding (a fused one
// rounds once), so both binaries compute the same math.

/** a · b + c on four float32 lanes. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** c − a · b on four float32 lanes. */
// @ts-ignore: decorator
@inline
export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}
