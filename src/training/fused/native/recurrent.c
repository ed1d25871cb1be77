// Whole sequences of Keras's recurrent layers with AVX2 + FMA: the native twin of
// ../simd/recurrent.as.ts, line for line with eight lanes where it has four (its comments give
// the math, layouts and tape; ../sequence.ts places the arrays). Arrays are float32 and
// batch-major; `y` is (batch, steps + states, units); `mask` is (batch, steps) bytes and
// `rmask` the (batch, units) recurrent dropout mask, NULL for none; `act` and `ract` are
// activation codes (vector-math.h).
#include "recurrent.h"
#include "matmul.h"
#include "vector-math.h"

static inline int counts(const uint8_t *mask, int b, int steps, int t) { return mask == NULL || mask[(long)b * steps + t] != 0; }

/** h ⊙ rmask into `out` (n floats), or h itself when there is no mask: what the product sees. */
static float *dropped(float *h, const float *rmask, float *out, int n) {
  if (rmask == NULL) return h;
  for (int i = 0; i < n; i += 8) store8(out + i, _mm256_mul_ps(load8(h + i, n - i), load8(rmask + i, n - i)), n - i);
  return out;
}

/** Row `index` of the trailing state rows of each sample's y (or dy): into / out of (batch, units). */
static void copyStateRows(float *y, float *states, int index, int B, int T, int S, int U, int toY) {
  const long row = (long)(T + S) * U;
  for (int b = 0; b < B; b++) {
    float *yAt = y + b * row + (long)(T + index) * U;
    float *sAt = states + (long)b * U;
    if (toY) memmove(yAt, sAt, 4 * (size_t)U);
    else memmove(sAt, yAt, 4 * (size_t)U);
  }
}

/** dst[0..n) += src[0..n). */
INLINE void addRow(float *dst, const float *src, int n) {
  for (int j = 0; j < n; j += 8) store8(dst + j, _mm256_add_ps(load8(dst + j, n - j), load8(src + j, n - j)), n - j);
}

/** dh += dy of step t. */
static void addOutputGradient(float *dh, const float *dy, int B, int T, int S, int U, int t) {
  const long row = (long)(T + S) * U;
  for (int b = 0; b < B; b++) addRow(dh + (long)b * U, dy + b * row + (long)t * U, U);
}

/** dh += (step t's rows of d, columns [from, from + width)) · Rᵀ, through the recurrent dropout mask. */
static void addStateGradient(const float *d, int t, int T, int GU, int from, int width, int B, int U, const float *RT, const float *rmask,
                             float *scratch, float *dh) {
  const float *rows = d + (long)t * GU + from;
  const float *m = RT + (long)from * U;
  if (rmask == NULL) {
    addRowsTimesMatrixStrided(rows, T * GU, B, width, m, U, 0, U, dh, U);
    return;
  }
  memset(scratch, 0, 4 * (size_t)B * U);
  addRowsTimesMatrixStrided(rows, T * GU, B, width, m, U, 0, U, scratch, U);
  const int n = B * U;
  for (int i = 0; i < n; i += 8) store8(dh + i, madd(load8(scratch + i, n - i), load8(rmask + i, n - i), load8(dh + i, n - i)), n - i);
}

// ---- LSTM (gates i f c o) ----

void lstmForward(int B, int T, int U, float *pre, const float *R, float *h, float *c, float *hIn, float *gate, float *cell,
                 float *cellAct, float *hPrev, float *cPrev, float *y, const uint8_t *mask, const float *rmask, int act, int ract) {
  const int GU = 4 * U;
  const long rowY = (long)(T + 2) * U;
  for (int t = 0; t < T; t++) {
    float *src = dropped(h, rmask, hIn, B * U);
    addRowsTimesMatrixStrided(src, U, B, U, R, GU, 0, GU, pre + (long)t * GU, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      float *yo = y + b * rowY + (long)t * U;
      if (!counts(mask, b, T, t)) {
        memmove(hPrev + ho, src + so, 4 * (size_t)U);
        memmove(cPrev + ho, c + so, 4 * (size_t)U);
        memmove(yo, h + so, 4 * (size_t)U);
        continue;
      }
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const float *p = pre + go + j;
        float *g = gate + go + j;
        store8(hPrev + ho + j, load8(src + so + j, n), n);
        const v8 i = activate(ract, load8(p, n));
        const v8 f = activate(ract, load8(p + U, n));
        const v8 gg = activate(act, load8(p + 2 * U, n));
        const v8 o = activate(ract, load8(p + 3 * U, n));
        store8(g, i, n);
        store8(g + U, f, n);
        store8(g + 2 * U, gg, n);
        store8(g + 3 * U, o, n);
        float *cAt = c + so + j;
        const v8 cv = load8(cAt, n);
        store8(cPrev + ho + j, cv, n);
        const v8 cn = madd(f, cv, _mm256_mul_ps(i, gg));
        const v8 ca = activate(act, cn);
        const v8 hn = _mm256_mul_ps(o, ca);
        store8(cell + ho + j, cn, n);
        store8(cellAct + ho + j, ca, n);
        store8(cAt, cn, n);
        store8(h + so + j, hn, n);
        store8(yo + j, hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 2, U, 1);
  copyStateRows(y, c, 1, B, T, 2, U, 1);
}

void lstmBackward(int B, int T, int U, const float *pre, const float *gate, const float *cell, const float *cellAct, const float *cPrev,
                  const float *RT, float *dy, float *da, float *dh, float *dc, float *scratch, const uint8_t *mask, const float *rmask,
                  int act, int ract) {
  const int GU = 4 * U;
  const long rowY = (long)(T + 2) * U;
  copyStateRows(dy, dh, 0, B, T, 2, U, 0);
  copyStateRows(dy, dc, 1, B, T, 2, U, 0);
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const float *dyAt = dy + b * rowY + (long)t * U;
      // A masked step passes dh (plus its output's gradient) and dc through unchanged.
      if (!counts(mask, b, T, t)) {
        addRow(dh + so, dyAt, U);
        continue;
      }
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const float *g = gate + go + j;
        const float *p = pre + go + j;
        float *d = da + go + j;
        const v8 i = load8(g, n);
        const v8 f = load8(g + U, n);
        const v8 gg = load8(g + 2 * U, n);
        const v8 o = load8(g + 3 * U, n);
        const v8 ca = load8(cellAct + ho + j, n);
        float *dhAt = dh + so + j;
        float *dcAt = dc + so + j;
        const v8 dhn = _mm256_add_ps(load8(dhAt, n), load8(dyAt + j, n));
        const v8 dcn = madd(_mm256_mul_ps(dhn, o), derivative(act, load8(cell + ho + j, n), ca), load8(dcAt, n));
        store8(d, _mm256_mul_ps(_mm256_mul_ps(dcn, gg), derivative(ract, load8(p, n), i)), n);
        store8(d + U, _mm256_mul_ps(_mm256_mul_ps(dcn, load8(cPrev + ho + j, n)), derivative(ract, load8(p + U, n), f)), n);
        store8(d + 2 * U, _mm256_mul_ps(_mm256_mul_ps(dcn, i), derivative(act, load8(p + 2 * U, n), gg)), n);
        store8(d + 3 * U, _mm256_mul_ps(_mm256_mul_ps(dhn, ca), derivative(ract, load8(p + 3 * U, n), o)), n);
        store8(dcAt, _mm256_mul_ps(dcn, f), n);
        // h_{t-1} reaches h_t only through the recurrent product, added below.
        store8(dhAt, zero8(), n);
      }
    }
    addStateGradient(da, t, T, GU, 0, GU, B, U, RT, rmask, scratch, dh);
  }
}

// ---- SimpleRNN ----

void simpleRnnForward(int B, int T, int U, float *pre, const float *R, float *h, float *hIn, float *post, float *hPrev, float *y,
                      const uint8_t *mask, const float *rmask, int act) {
  const long rowY = (long)(T + 1) * U;
  for (int t = 0; t < T; t++) {
    float *src = dropped(h, rmask, hIn, B * U);
    addRowsTimesMatrixStrided(src, U, B, U, R, U, 0, U, pre + (long)t * U, T * U);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const long o = ((long)b * T + t) * U;
      float *yo = y + b * rowY + (long)t * U;
      if (!counts(mask, b, T, t)) {
        memmove(hPrev + o, src + so, 4 * (size_t)U);
        memmove(yo, h + so, 4 * (size_t)U);
        continue;
      }
      // src may be h itself: each lane group is read before it is written.
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        store8(hPrev + o + j, load8(src + so + j, n), n);
        const v8 hn = activate(act, load8(pre + o + j, n));
        store8(post + o + j, hn, n);
        store8(h + so + j, hn, n);
        store8(yo + j, hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, 1);
}

void simpleRnnBackward(int B, int T, int U, const float *pre, const float *post, const float *RT, float *dy, float *da, float *dh,
                       float *scratch, const uint8_t *mask, const float *rmask, int act) {
  copyStateRows(dy, dh, 0, B, T, 1, U, 0);
  const long rowY = (long)(T + 1) * U;
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const float *dyAt = dy + b * rowY + (long)t * U;
      if (!counts(mask, b, T, t)) {
        addRow(dh + so, dyAt, U);
        continue;
      }
      const long o = ((long)b * T + t) * U;
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = o + j;
        float *dhAt = dh + so + j;
        const v8 dhn = _mm256_add_ps(load8(dhAt, n), load8(dyAt + j, n));
        store8(da + at, _mm256_mul_ps(dhn, derivative(act, load8(pre + at, n), load8(post + at, n))), n);
        store8(dhAt, zero8(), n);
      }
    }
    addStateGradient(da, t, T, U, 0, U, B, U, RT, rmask, scratch, dh);
  }
}

// ---- GRU, reset_after=True (Keras's default): h~ = act(x_h + r ⊙ (h·U + b_rec)_h) ----

void gruResetAfterForward(int B, int T, int U, const float *x, const float *R, const float *rbias, float *h, float *hIn, float *pre,
                          float *post, float *product, float *hPrev, float *left, float *y, const uint8_t *mask, const float *rmask,
                          int act, int ract) {
  const int GU = 3 * U;
  const long rowY = (long)(T + 1) * U;
  for (int t = 0; t < T; t++) {
    if (rbias != NULL) {
      for (int b = 0; b < B; b++) memmove(product + ((long)b * T + t) * GU, rbias, 4 * (size_t)GU);
    }
    float *src = dropped(h, rmask, hIn, B * U);
    addRowsTimesMatrixStrided(src, U, B, U, R, GU, 0, GU, product + (long)t * GU, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      float *yo = y + b * rowY + (long)t * U;
      if (rmask != NULL) memmove(left + ho, src + so, 4 * (size_t)U);
      if (!counts(mask, b, T, t)) {
        memmove(hPrev + ho, h + so, 4 * (size_t)U);
        memmove(yo, h + so, 4 * (size_t)U);
        continue;
      }
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 pz = _mm256_add_ps(load8(x + at, n), load8(product + at, n));
        const v8 pr = _mm256_add_ps(load8(x + at + U, n), load8(product + at + U, n));
        const v8 z = activate(ract, pz);
        const v8 r = activate(ract, pr);
        const v8 ph = madd(r, load8(product + at + 2 * U, n), load8(x + at + 2 * U, n));
        const v8 hh = activate(act, ph);
        store8(pre + at, pz, n);
        store8(pre + at + U, pr, n);
        store8(pre + at + 2 * U, ph, n);
        store8(post + at, z, n);
        store8(post + at + U, r, n);
        store8(post + at + 2 * U, hh, n);
        float *hAt = h + so + j;
        const v8 hv = load8(hAt, n);
        store8(hPrev + ho + j, hv, n);
        const v8 hn = madd(z, hv, _mm256_mul_ps(_mm256_sub_ps(splat(1.0f), z), hh));
        store8(hAt, hn, n);
        store8(yo + j, hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, 1);
}

void gruResetAfterBackward(int B, int T, int U, const float *pre, const float *post, const float *product, const float *hPrev,
                           const float *RT, float *dy, float *dx, float *dProducts, float *dh, float *scratch, const uint8_t *mask,
                           const float *rmask, int act, int ract) {
  const int GU = 3 * U;
  copyStateRows(dy, dh, 0, B, T, 1, U, 0);
  for (int t = T - 1; t >= 0; t--) {
    addOutputGradient(dh, dy, B, T, 1, U, t);
    for (int b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const long so = (long)b * U;
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 z = load8(post + at, n);
        const v8 r = load8(post + at + U, n);
        const v8 hh = load8(post + at + 2 * U, n);
        float *dhAt = dh + so + j;
        const v8 dhn = load8(dhAt, n);
        const v8 dph = _mm256_mul_ps(_mm256_mul_ps(dhn, _mm256_sub_ps(splat(1.0f), z)), derivative(act, load8(pre + at + 2 * U, n), hh));
        const v8 dpz = _mm256_mul_ps(_mm256_mul_ps(dhn, _mm256_sub_ps(load8(hPrev + ho + j, n), hh)), derivative(ract, load8(pre + at, n), z));
        const v8 dpr = _mm256_mul_ps(_mm256_mul_ps(dph, load8(product + at + 2 * U, n)), derivative(ract, load8(pre + at + U, n), r));
        store8(dx + at, dpz, n);
        store8(dx + at + U, dpr, n);
        store8(dx + at + 2 * U, dph, n);
        store8(dProducts + at, dpz, n);
        store8(dProducts + at + U, dpr, n);
        store8(dProducts + at + 2 * U, _mm256_mul_ps(dph, r), n);
        store8(dhAt, _mm256_mul_ps(dhn, z), n);
      }
    }
    addStateGradient(dProducts, t, T, GU, 0, GU, B, U, RT, rmask, scratch, dh);
  }
}

// ---- GRU, reset_after=False (tfjs's GRU): h~ = act(x_h + (r ⊙ h)·U_h) ----

void gruResetBeforeForward(int B, int T, int U, float *pre, const float *R, float *h, float *hIn, float *post, float *resetH,
                           float *hPrev, float *y, const uint8_t *mask, const float *rmask, int act, int ract) {
  const int GU = 3 * U;
  const long rowY = (long)(T + 1) * U;
  for (int t = 0; t < T; t++) {
    float *src = dropped(h, rmask, hIn, B * U);
    addRowsTimesMatrixStrided(src, U, B, U, R, GU, 0, 2 * U, pre + (long)t * GU, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      if (!counts(mask, b, T, t)) {
        memmove(hPrev + ho, src + so, 4 * (size_t)U);
        continue;
      }
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 z = activate(ract, load8(pre + at, n));
        const v8 r = activate(ract, load8(pre + at + U, n));
        store8(post + at, z, n);
        store8(post + at + U, r, n);
        const v8 hv = load8(src + so + j, n);
        store8(hPrev + ho + j, hv, n);
        store8(resetH + ho + j, _mm256_mul_ps(r, hv), n);
      }
    }
    addRowsTimesMatrixStrided(resetH + (long)t * U, T * U, B, U, R, GU, 2 * U, U, pre + (long)t * GU + 2 * U, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const long go = ((long)b * T + t) * GU;
      float *yo = y + b * rowY + (long)t * U;
      if (!counts(mask, b, T, t)) {
        memmove(yo, h + so, 4 * (size_t)U);
        continue;
      }
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 z = load8(post + at, n);
        const v8 hh = activate(act, load8(pre + at + 2 * U, n));
        store8(post + at + 2 * U, hh, n);
        const v8 hv = load8(src + so + j, n);
        const v8 hn = madd(z, hv, _mm256_mul_ps(_mm256_sub_ps(splat(1.0f), z), hh));
        store8(h + so + j, hn, n);
        store8(yo + j, hn, n);
      }
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, 1);
}

void gruResetBeforeBackward(int B, int T, int U, const float *pre, const float *post, const float *hPrev, const float *RT, float *dy,
                            float *da, float *dh, float *dResetH, const uint8_t *mask, const float *rmask, int act, int ract) {
  const int GU = 3 * U;
  copyStateRows(dy, dh, 0, B, T, 1, U, 0);
  for (int t = T - 1; t >= 0; t--) {
    addOutputGradient(dh, dy, B, T, 1, U, t);
    for (int b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const long so = (long)b * U;
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 z = load8(post + at, n);
        const v8 hh = load8(post + at + 2 * U, n);
        float *dhAt = dh + so + j;
        const v8 dhn = load8(dhAt, n);
        store8(da + at, _mm256_mul_ps(_mm256_mul_ps(dhn, _mm256_sub_ps(load8(hPrev + ho + j, n), hh)), derivative(ract, load8(pre + at, n), z)), n);
        store8(da + at + 2 * U,
               _mm256_mul_ps(_mm256_mul_ps(dhn, _mm256_sub_ps(splat(1.0f), z)), derivative(act, load8(pre + at + 2 * U, n), hh)), n);
        store8(dhAt, _mm256_mul_ps(dhn, z), n);
      }
    }
    memset(dResetH, 0, 4 * (size_t)B * U);
    addRowsTimesMatrixStrided(da + (long)t * GU + 2 * U, T * GU, B, U, RT + (long)2 * U * U, U, 0, U, dResetH, U);
    for (int b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const long so = (long)b * U;
      const long ho = ((long)b * T + t) * U;
      const long go = ((long)b * T + t) * GU;
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 r = load8(post + at + U, n);
        const v8 drh = load8(dResetH + so + j, n);
        store8(da + at + U, _mm256_mul_ps(_mm256_mul_ps(drh, load8(hPrev + ho + j, n)), derivative(ract, load8(pre + at + U, n), r)), n);
        float *dhAt = dh + so + j;
        store8(dhAt, madd(drh, r, load8(dhAt, n)), n);
      }
    }
    addRowsTimesMatrixStrided(da + (long)t * GU, T * GU, B, 2 * U, RT, U, 0, U, dh, U);
    // dh is the gradient of h ⊙ mask at the steps that ran; h's is that times the mask.
    if (rmask != NULL) {
      for (int b = 0; b < B; b++) {
        if (!counts(mask, b, T, t)) continue;
        const long so = (long)b * U;
        for (int j = 0; j < U; j += 8) {
          const int n = U - j;
          store8(dh + so + j, _mm256_mul_ps(load8(dh + so + j, n), load8(rmask + so + j, n)), n);
        }
      }
    }
  }
}

/** y = f(x) and dy = f'(x) over n floats: the activations alone, for the tests' accuracy checks. */
void activations(int code, const float *x, int n, float *y, float *dy) {
  for (int i = 0; i < n; i += 8) {
    const int k = n - i;
    const v8 xv = load8(x + i, k);
    const v8 yv = activate(code, xv);
    store8(y + i, yv, k);
    store8(dy + i, derivative(code, xv, yv), k);
  }
}
