// The eight-lane vector helpers every native kernel uses (AVX2 + FMA, 256 bits): the native
// twin of madd.as.ts and of vector-math.as.ts's load4/store4. Only the files compiled with
// -mavx2 -mfma include this (scripts/build-native.mjs); addon.c checks the CPU before any of
// their functions runs.
#ifndef SEQMODEL_VEC_H
#define SEQMODEL_VEC_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))

typedef __m256 v8;

/** a · b + c, one rounding (the wasm FMA binary's relaxed_madd on the same CPU). */
INLINE v8 madd(v8 a, v8 b, v8 c) { return _mm256_fmadd_ps(a, b, c); }
/** c − a · b, one rounding. */
INLINE v8 nmadd(v8 a, v8 b, v8 c) { return _mm256_fnmadd_ps(a, b, c); }
INLINE v8 splat(float x) { return _mm256_set1_ps(x); }
INLINE v8 zero8(void) { return _mm256_setzero_ps(); }

/** The lanes below n (0 < n < 8) set: a mask for maskload/maskstore. */
INLINE __m256i lanes(int n) {
  const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), index);
}

/** Eight floats from p, or the first n (< 8) with the rest read as 0 and nothing read past them. */
INLINE v8 load8(const float *p, int n) {
  if (n >= 8) return _mm256_loadu_ps(p);
  return _mm256_maskload_ps(p, lanes(n));
}

/** Stores eight lanes, or the first n (< 8) and nothing past them. */
INLINE void store8(float *p, v8 v, int n) {
  if (n >= 8) _mm256_storeu_ps(p, v);
  else _mm256_maskstore_ps(p, lanes(n), v);
}

/** The sum of the eight lanes. */
INLINE float hsum(v8 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

#endif
