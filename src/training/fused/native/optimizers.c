// RMSprop's update of one weight in one pass with AVX2: the native counterpart of
// ../../optimizerSteps.ts's rmspropStep (tfjs-core's formula), eight weights at a time. The
// sentiment model's Embedding has 320,000 weights whose moments move every batch (the table's
// gradient is dense, as in tfjs), and that pass in JavaScript (a square root and a division in
// double precision per weight) was a seventh of a batch. The arithmetic is float32 in tfjs's order, as
// tfjs's own kernels compute it (the JavaScript loop computes in double and rounds on storing:
// the two agree to float32 rounding, test/unit/training-native-optimizers.test.ts).
#include "optimizers.h"
#include "vec.h"

/**
 * ms = ρ·ms + (1 − ρ)·g²; mom = μ·mom + lr·g / √(ms + ε); x −= mom. With mg (centered):
 * mg = ρ·mg + (1 − ρ)·g and the root of ms − (mg² + ε). n floats each; mg may be NULL.
 */
void rmspropStep(float *x, const float *g, float *ms, float *mom, float *mg, size_t n, float lr, float rho, float momentum, float eps) {
  const v8 vRho = splat(rho), vKeep = splat(1 - rho), vLr = splat(lr), vMomentum = splat(momentum), vEps = splat(eps);
  for (size_t i = 0; i < n; i += 8) {
    const int left = n - i < 8 ? (int)(n - i) : 8;
    const v8 gi = load8(g + i, left);
    const v8 s = _mm256_add_ps(_mm256_mul_ps(load8(ms + i, left), vRho), _mm256_mul_ps(_mm256_mul_ps(gi, gi), vKeep));
    store8(ms + i, s, left);
    v8 under;
    if (mg != NULL) {
      const v8 m = _mm256_add_ps(_mm256_mul_ps(load8(mg + i, left), vRho), _mm256_mul_ps(gi, vKeep));
      store8(mg + i, m, left);
      under = _mm256_sub_ps(s, _mm256_add_ps(_mm256_mul_ps(m, m), vEps));
    } else {
      under = _mm256_add_ps(s, vEps);
    }
    const v8 step = _mm256_add_ps(_mm256_mul_ps(load8(mom + i, left), vMomentum), _mm256_div_ps(_mm256_mul_ps(gi, vLr), _mm256_sqrt_ps(under)));
    store8(mom + i, step, left);
    store8(x + i, _mm256_sub_ps(load8(x + i, left), step), left);
  }
}
