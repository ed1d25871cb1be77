// Element-wise activations and their derivatives on eight float32 lanes: the native twin of
// ../simd/vector-math.as.ts, with the same approximations (e^x by range reduction and a
// degree-7 polynomial in Estrin's order, tanh's Taylor polynomial below 0.5) and the same
// fused multiply-adds as its FMA binary, so both agree to float32 rounding. Codes as in
// ../simd/module.ts's SIMD_ACTIVATIONS. Header-only: inlined into recurrent.c's gate loops.
#ifndef SEQMODEL_VECTOR_MATH_H
#define SEQMODEL_VECTOR_MATH_H

#include "vec.h"

enum { LINEAR = 0, RELU = 1, RELU6 = 2, SIGMOID = 3, HARD_SIGMOID = 4, TANH = 5, SOFTSIGN = 6, SWISH = 7 };

// x86's max(a, b) is a > b ? a : b, so max(c, x) passes a NaN x through, as wasm's
// pmax(x, c) does (and min likewise): the two builds treat NaN alike.
INLINE v8 pmax(v8 x, v8 c) { return _mm256_max_ps(c, x); }
INLINE v8 pmin(v8 x, v8 c) { return _mm256_min_ps(c, x); }
INLINE v8 vabs(v8 x) { return _mm256_andnot_ps(splat(-0.0f), x); }

INLINE v8 vexp(v8 x) {
  x = pmin(pmax(x, splat(-87.3f)), splat(88.0f));
  // n = round(x·log2 e), by adding 1.5·2^23: n stays in the sum's low mantissa bits.
  const v8 rounder = splat(12582912.0f);
  const v8 shifted = madd(x, splat(1.44269504088896341f), rounder);
  const v8 n = _mm256_sub_ps(shifted, rounder);
  // ln2 in two parts, so n·ln2 is exact enough for the reduction.
  v8 r = nmadd(n, splat(0.693145751953125f), x);
  r = nmadd(n, splat(1.428606765330187045e-6f), r);
  const v8 r2 = _mm256_mul_ps(r, r);
  const v8 r4 = _mm256_mul_ps(r2, r2);
  const v8 q0 = _mm256_add_ps(splat(1.0f), r);
  const v8 q1 = madd(r, splat(1.0f / 6.0f), splat(0.5f));
  const v8 q2 = madd(r, splat(1.0f / 120.0f), splat(1.0f / 24.0f));
  const v8 q3 = madd(r, splat(1.0f / 5040.0f), splat(1.0f / 720.0f));
  const v8 low = madd(r2, q1, q0);
  const v8 high = madd(r2, q3, q2);
  const v8 p = madd(r4, high, low);
  // 2^n in the exponent bits: the sum's bits are 1.5·2^23's plus n, and the former shift out.
  const __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(scale));
}

INLINE v8 vsigmoid(v8 x) {
  const v8 one = splat(1.0f);
  return _mm256_div_ps(one, _mm256_add_ps(one, vexp(_mm256_xor_ps(x, splat(-0.0f)))));
}

// tanh from e^(−2|x|), and below |x| = 0.5 its odd Taylor polynomial to x^11 (the quotient
// loses relative accuracy near 0).
INLINE v8 vtanh(v8 x) {
  const v8 a = vabs(x);
  const v8 e = vexp(_mm256_mul_ps(a, splat(-2.0f)));
  const v8 one = splat(1.0f);
  const v8 far = _mm256_div_ps(_mm256_sub_ps(one, e), _mm256_add_ps(one, e));
  const v8 x2 = _mm256_mul_ps(a, a);
  const v8 x4 = _mm256_mul_ps(x2, x2);
  const v8 q0 = madd(x2, splat(2.0f / 15.0f), splat(-1.0f / 3.0f));
  const v8 q1 = madd(x2, splat(62.0f / 2835.0f), splat(-17.0f / 315.0f));
  const v8 x8 = _mm256_mul_ps(x4, x4);
  const v8 p = madd(x8, splat(-1382.0f / 155925.0f), madd(x4, q1, q0));
  const v8 near = madd(a, _mm256_mul_ps(p, x2), a);
  const v8 magnitude = _mm256_blendv_ps(far, near, _mm256_cmp_ps(a, splat(0.5f), _CMP_LT_OQ));
  return _mm256_or_ps(magnitude, _mm256_and_ps(x, splat(-0.0f)));
}

// The switch stays inside the gate loops, where its branch is always the same one.
INLINE v8 activate(int code, v8 x) {
  switch (code) {
    case RELU: return pmax(x, zero8());
    case RELU6: return pmin(pmax(x, zero8()), splat(6.0f));
    case SIGMOID: return vsigmoid(x);
    case HARD_SIGMOID: return pmin(pmax(madd(x, splat(0.2f), splat(0.5f)), zero8()), splat(1.0f));
    case TANH: return vtanh(x);
    case SOFTSIGN: return _mm256_div_ps(x, _mm256_add_ps(splat(1.0f), vabs(x)));
    case SWISH: return _mm256_mul_ps(x, vsigmoid(x));
    default: return x;
  }
}

/** d f / d x at x, where y = f(x), as ../activations.ts takes it. */
INLINE v8 derivative(int code, v8 x, v8 y) {
  const v8 one = splat(1.0f);
  const v8 zero = zero8();
  switch (code) {
    case RELU: return _mm256_and_ps(one, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    case RELU6:
      return _mm256_and_ps(one, _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_GT_OQ), _mm256_cmp_ps(x, splat(6.0f), _CMP_LT_OQ)));
    case SIGMOID: return _mm256_mul_ps(y, _mm256_sub_ps(one, y));
    case HARD_SIGMOID:
      // tfjs's clipByValue passes the gradient on the closed interval.
      return _mm256_and_ps(splat(0.2f), _mm256_and_ps(_mm256_cmp_ps(x, splat(-2.5f), _CMP_GE_OQ), _mm256_cmp_ps(x, splat(2.5f), _CMP_LE_OQ)));
    case TANH: return nmadd(y, y, one);
    case SOFTSIGN: {
      const v8 d = _mm256_add_ps(one, vabs(x));
      return _mm256_div_ps(one, _mm256_mul_ps(d, d));
    }
    case SWISH: {
      const v8 s = vsigmoid(x);
      return madd(x, _mm256_mul_ps(s, _mm256_sub_ps(one, s)), s);
    }
    default: return one;
  }
}

#endif
