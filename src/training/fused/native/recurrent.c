// Whole sequences of Keras's recurrent layers with AVX2 + FMA: the native twin of
// ../simd/recurrent.as.ts, step for step with eight lanes where it has four (its comments give
// the math, layouts and tape; ../sequence.ts places the arrays), with one more helper: a cell
// function per kind, run over the lanes by OVER_LANES. Arrays are float32 and batch-major; `y`
// is (batch, steps + states, units); `mask` is (batch, steps) bytes and `rmask` the (batch,
// units) recurrent dropout mask, NULL for none; `act` and `ract` are activation codes
// (vector-math.h).
//
// Every step multiplies by the same recurrent kernel (R forward, Rᵀ backward), so each call packs
// it once into gemm's panel layout (Operand) and the steps' products read the panels. Keras's
// default activations (tanh, sigmoid) get a copy of each kernel compiled with them as
// constants (WITH_ACTIVATIONS), so the gate loops carry no switch per activation and keep
// their constants in registers; any other pair runs the general copy.
#include "recurrent.h"
#include <stdlib.h>
#include "matmul.h"
#include "vector-math.h"

/**
 * A matrix the steps multiply by: `depth` rows of `n` columns of b, every bRow floats, and its
 * panels (packPanels), or NULL panels when there was no memory for them: then the products
 * read b itself, slower and with the same sums.
 */
typedef struct {
  const float *b;
  int bRow, depth, n;
  float *panels;
} Operand;

/** The operand for products of `rows` rows of a in all (batch × steps): packed unless that is too few to repay it. */
static Operand operand(const float *b, int bRow, int depth, int n, long rows) {
  Operand o = {b, bRow, depth, n, NULL};
  if (rows < PACK_MIN_ROWS) return o;
  const size_t bytes = (size_t)panelsSize(depth, n) * 4;
  o.panels = bytes > 0 ? aligned_alloc(32, (bytes + 31) & ~(size_t)31) : NULL;
  if (o.panels != NULL) packPanels(b, bRow, depth, n, o.panels);
  return o;
}

static void release(Operand *o) { free(o->panels); }

/** c (m rows, every cRow floats) += a (m rows of `depth`, every aRow floats) · rows [k0, k0 + depth) of o. */
static void multiply(int m, const float *a, int aRow, const Operand *o, int k0, int depth, float *c, int cRow) {
  if (o->panels != NULL) gemmPanels(m, o->n, depth, a, aRow, 1, o->panels + (long)k0 * PANEL_WIDTH, o->depth, c, cRow);
  else gemm(m, o->n, depth, a, aRow, 1, o->b + (long)k0 * o->bRow, o->bRow, c, cRow);
}

/** Runs CALL(ACT, RACT) with Keras's defaults as constants when they are the pair asked for. */
#define WITH_ACTIVATIONS(act, ract, CALL) \
  do {                                     \
    if ((act) == TANH && (ract) == SIGMOID) \
      CALL(TANH, SIGMOID);                 \
    else                                   \
      CALL(act, ract);                     \
  } while (0)

/** Where sample b's row of step t starts in a batch-major (batch, steps, width) array: the layout of every per-step array here. */
INLINE long stepRow(int b, int t, int steps, int width) { return ((long)b * steps + t) * width; }

static inline int counts(const uint8_t *mask, int b, int steps, int t) { return mask == NULL || mask[stepRow(b, t, steps, 1)] != 0; }

/**
 * Runs CELL(j, n) over U units in groups of eight lanes: the full groups with n the constant 8,
 * so that the compiler drops their masks, then the tail of U mod 8.
 */
#define OVER_LANES(U, CELL)                                        \
  do {                                                             \
    int j_ = 0;                                                    \
    _Pragma("GCC unroll 2") for (; j_ + 8 <= (U); j_ += 8) CELL(j_, 8); \
    if (j_ < (U)) CELL(j_, (U) - j_);                              \
  } while (0)

/** h ⊙ rmask into `out` (n floats), or h itself when there is no mask: what the product sees. */
static float *dropped(float *h, const float *rmask, float *out, int n) {
  if (rmask == NULL) return h;
  for (int i = 0; i < n; i += 8) store8(out + i, _mm256_mul_ps(load8(h + i, n - i), load8(rmask + i, n - i)), n - i);
  return out;
}

/**
 * rows (B rows, every rowStride floats) += (h ⊙ rmask) · the first U rows of R: the step's
 * recurrent product. Returns its left factor: h, or hIn holding h ⊙ rmask.
 */
INLINE float *addRecurrentProduct(int B, int U, float *h, const float *rmask, float *hIn, const Operand *R, float *rows, int rowStride) {
  float *src = dropped(h, rmask, hIn, B * U);
  multiply(B, src, U, R, 0, U, rows, rowStride);
  return src;
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

/**
 * Asks for a row of `n` floats into L1 (or only L2) ahead of the step that touches it. A
 * sample's rows of the per-step arrays lie a whole sequence apart (256 KB at the sentiment
 * model's 500 steps), where the hardware prefetchers, which follow streams, do not look, so
 * each step's first touch of them would wait on memory.
 */
INLINE void prefetchRow(const float *p, long n) {
  for (long i = 0; i < n; i += 16) _mm_prefetch((const char *)(p + i), _MM_HINT_T0);
}

INLINE void prefetchRowToL2(const float *p, long n) {
  for (long i = 0; i < n; i += 16) _mm_prefetch((const char *)(p + i), _MM_HINT_T1);
}

/** dst[0..n) += src[0..n). */
INLINE void addRow(float *dst, const float *src, int n) {
  for (int j = 0; j < n; j += 8) store8(dst + j, _mm256_add_ps(load8(dst + j, n - j), load8(src + j, n - j)), n - j);
}

/**
 * Whether step t of sample b is masked: then it passes dh on, its output's gradient dyAt added
 * (and dc unchanged), and the caller skips its gates.
 */
INLINE int passesMasked(const uint8_t *mask, int b, int T, int t, float *dh, const float *dyAt, int U) {
  if (counts(mask, b, T, t)) return 0;
  addRow(dh, dyAt, U);
  return 1;
}

/** dh += dy of step t. */
static void addOutputGradient(float *dh, const float *dy, int B, int T, int S, int U, int t) {
  const long row = (long)(T + S) * U;
  for (int b = 0; b < B; b++) addRow(dh + (long)b * U, dy + b * row + (long)t * U, U);
}

/** dh += (step t's rows of d, columns [from, from + width)) · Rᵀ, through the recurrent dropout mask. */
static void addStateGradient(const float *d, int t, int T, int GU, int from, int width, int B, int U, const Operand *RT, const float *rmask,
                             float *scratch, float *dh) {
  const float *rows = d + (long)t * GU + from;
  if (rmask == NULL) {
    multiply(B, rows, T * GU, RT, from, width, dh, U);
    return;
  }
  memset(scratch, 0, 4 * (size_t)B * U);
  multiply(B, rows, T * GU, RT, from, width, scratch, U);
  const int n = B * U;
  for (int i = 0; i < n; i += 8) store8(dh + i, madd(load8(scratch + i, n - i), load8(rmask + i, n - i), load8(dh + i, n - i)), n - i);
}

// ---- LSTM (gates i f c o) ----

/** One step of one sample at n (≤ 8) units: p and g point at the first gate's lanes, U apart. */
INLINE void lstmCell(int act, int ract, int n, const float *p, float *g, const float *src, float *cAt, float *hAt, float *hPrev, float *cPrev,
                     float *cell, float *cellAct, float *yo, int U) {
  store8(hPrev, load8(src, n), n);
  const v8 i = activate(ract, load8(p, n));
  const v8 f = activate(ract, load8(p + U, n));
  const v8 gg = activate(act, load8(p + 2 * U, n));
  const v8 o = activate(ract, load8(p + 3 * U, n));
  store8(g, i, n);
  store8(g + U, f, n);
  store8(g + 2 * U, gg, n);
  store8(g + 3 * U, o, n);
  const v8 cv = load8(cAt, n);
  store8(cPrev, cv, n);
  const v8 cn = madd(f, cv, _mm256_mul_ps(i, gg));
  const v8 ca = activate(act, cn);
  const v8 hn = _mm256_mul_ps(o, ca);
  store8(cell, cn, n);
  store8(cellAct, ca, n);
  store8(cAt, cn, n);
  store8(hAt, hn, n);
  store8(yo, hn, n);
}

INLINE void lstmForwardWith(int B, int T, int U, float *pre, const Operand *R, float *h, float *c, float *hIn, float *gate, float *cell,
                            float *cellAct, float *hPrev, float *cPrev, float *y, const uint8_t *mask, const float *rmask, int act,
                            int ract) {
  const int GU = 4 * U;
  const long rowY = (long)(T + 2) * U;
  for (int t = 0; t < T; t++) {
    float *src = addRecurrentProduct(B, U, h, rmask, hIn, R, pre + (long)t * GU, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
      float *yo = y + b * rowY + (long)t * U;
      // The next step's projection row, for the product (to L2: a whole step runs before it is read)
      // and the next sample's tape rows this step writes (to L1: they are written right after).
      if (t + 1 < T) prefetchRowToL2(pre + go + GU, GU);
      if (b + 1 < B) {
        const long next = ho + (long)T * U;
        prefetchRow(gate + go + (long)T * GU, GU);
        prefetchRow(cell + next, U);
        prefetchRow(cellAct + next, U);
        prefetchRow(hPrev + next, U);
        prefetchRow(cPrev + next, U);
        prefetchRow(yo + rowY, U);
      }
      if (!counts(mask, b, T, t)) {
        memmove(hPrev + ho, src + so, 4 * (size_t)U);
        memmove(cPrev + ho, c + so, 4 * (size_t)U);
        memmove(yo, h + so, 4 * (size_t)U);
        continue;
      }
#define CELL(j, n)                                                                                                                  \
  lstmCell(act, ract, n, pre + go + j, gate + go + j, src + so + j, c + so + j, h + so + j, hPrev + ho + j, cPrev + ho + j, cell + ho + j, \
           cellAct + ho + j, yo + j, U)
      OVER_LANES(U, CELL);
#undef CELL
    }
  }
  copyStateRows(y, h, 0, B, T, 2, U, 1);
  copyStateRows(y, c, 1, B, T, 2, U, 1);
}

void lstmForward(int B, int T, int U, float *pre, const float *R, float *h, float *c, float *hIn, float *gate, float *cell,
                 float *cellAct, float *hPrev, float *cPrev, float *y, const uint8_t *mask, const float *rmask, int act, int ract) {
  Operand r = operand(R, 4 * U, U, 4 * U, (long)B * T);
#define CALL(A, RA) lstmForwardWith(B, T, U, pre, &r, h, c, hIn, gate, cell, cellAct, hPrev, cPrev, y, mask, rmask, A, RA)
  WITH_ACTIVATIONS(act, ract, CALL);
#undef CALL
  release(&r);
}

/** lstmCell's gradients: p, g and d point at the first gate's lanes, U apart. */
INLINE void lstmCellBackward(int act, int ract, int n, const float *p, const float *g, const float *cell, const float *cellAct,
                             const float *cPrev, const float *dyAt, float *d, float *dhAt, float *dcAt, int U) {
  const v8 i = load8(g, n);
  const v8 f = load8(g + U, n);
  const v8 gg = load8(g + 2 * U, n);
  const v8 o = load8(g + 3 * U, n);
  const v8 ca = load8(cellAct, n);
  const v8 dhn = _mm256_add_ps(load8(dhAt, n), load8(dyAt, n));
  const v8 dcn = madd(_mm256_mul_ps(dhn, o), derivative(act, load8(cell, n), ca), load8(dcAt, n));
  store8(d, _mm256_mul_ps(_mm256_mul_ps(dcn, gg), derivative(ract, load8(p, n), i)), n);
  store8(d + U, _mm256_mul_ps(_mm256_mul_ps(dcn, load8(cPrev, n)), derivative(ract, load8(p + U, n), f)), n);
  store8(d + 2 * U, _mm256_mul_ps(_mm256_mul_ps(dcn, i), derivative(act, load8(p + 2 * U, n), gg)), n);
  store8(d + 3 * U, _mm256_mul_ps(_mm256_mul_ps(dhn, ca), derivative(ract, load8(p + 3 * U, n), o)), n);
  store8(dcAt, _mm256_mul_ps(dcn, f), n);
  // h_{t-1} reaches h_t only through the recurrent product, added by the step's caller.
  store8(dhAt, zero8(), n);
}

INLINE void lstmBackwardWith(int B, int T, int U, const float *pre, const float *gate, const float *cell, const float *cellAct,
                             const float *cPrev, const Operand *RT, float *dy, float *da, float *dh, float *dc, float *scratch,
                             const uint8_t *mask, const float *rmask, int act, int ract) {
  const int GU = 4 * U;
  const long rowY = (long)(T + 2) * U;
  copyStateRows(dy, dh, 0, B, T, 2, U, 0);
  copyStateRows(dy, dc, 1, B, T, 2, U, 0);
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const float *dyAt = dy + b * rowY + (long)t * U;
      if (passesMasked(mask, b, T, t, dh + so, dyAt, U)) continue;
      const long ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
#define CELL(j, n)                                                                                                                        \
  lstmCellBackward(act, ract, n, pre + go + j, gate + go + j, cell + ho + j, cellAct + ho + j, cPrev + ho + j, dyAt + j, da + go + j, dh + so + j, \
                   dc + so + j, U)
      OVER_LANES(U, CELL);
#undef CELL
    }
    addStateGradient(da, t, T, GU, 0, GU, B, U, RT, rmask, scratch, dh);
  }
}

void lstmBackward(int B, int T, int U, const float *pre, const float *gate, const float *cell, const float *cellAct, const float *cPrev,
                  const float *RT, float *dy, float *da, float *dh, float *dc, float *scratch, const uint8_t *mask, const float *rmask,
                  int act, int ract) {
  Operand rt = operand(RT, U, 4 * U, U, (long)B * T);
#define CALL(A, RA) lstmBackwardWith(B, T, U, pre, gate, cell, cellAct, cPrev, &rt, dy, da, dh, dc, scratch, mask, rmask, A, RA)
  WITH_ACTIVATIONS(act, ract, CALL);
#undef CALL
  release(&rt);
}

// ---- SimpleRNN ----

INLINE void simpleRnnForwardWith(int B, int T, int U, float *pre, const Operand *R, float *h, float *hIn, float *post, float *hPrev,
                                 float *y, const uint8_t *mask, const float *rmask, int act) {
  const long rowY = (long)(T + 1) * U;
  for (int t = 0; t < T; t++) {
    float *src = addRecurrentProduct(B, U, h, rmask, hIn, R, pre + (long)t * U, T * U);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U, o = stepRow(b, t, T, U);
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

void simpleRnnForward(int B, int T, int U, float *pre, const float *R, float *h, float *hIn, float *post, float *hPrev, float *y,
                      const uint8_t *mask, const float *rmask, int act) {
  Operand r = operand(R, U, U, U, (long)B * T);
#define CALL(A, RA) simpleRnnForwardWith(B, T, U, pre, &r, h, hIn, post, hPrev, y, mask, rmask, A)
  WITH_ACTIVATIONS(act, SIGMOID, CALL);
#undef CALL
  release(&r);
}

INLINE void simpleRnnBackwardWith(int B, int T, int U, const float *pre, const float *post, const Operand *RT, float *dy, float *da,
                                  float *dh, float *scratch, const uint8_t *mask, const float *rmask, int act) {
  copyStateRows(dy, dh, 0, B, T, 1, U, 0);
  const long rowY = (long)(T + 1) * U;
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U;
      const float *dyAt = dy + b * rowY + (long)t * U;
      if (passesMasked(mask, b, T, t, dh + so, dyAt, U)) continue;
      const long o = stepRow(b, t, T, U);
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

void simpleRnnBackward(int B, int T, int U, const float *pre, const float *post, const float *RT, float *dy, float *da, float *dh,
                       float *scratch, const uint8_t *mask, const float *rmask, int act) {
  Operand rt = operand(RT, U, U, U, (long)B * T);
#define CALL(A, RA) simpleRnnBackwardWith(B, T, U, pre, post, &rt, dy, da, dh, scratch, mask, rmask, A)
  WITH_ACTIVATIONS(act, SIGMOID, CALL);
#undef CALL
  release(&rt);
}

// ---- GRU, reset_after=True (Keras's default): h~ = act(x_h + r ⊙ (h·U + b_rec)_h) ----

/**
 * One step of one sample at n (≤ 8) units: x, product, pre and post point at the update
 * gate's lanes, U apart.
 */
INLINE void gruResetAfterCell(int act, int ract, int n, const float *x, const float *product, float *pre, float *post, float *hAt, float *hPrev,
                              float *yo, int U) {
  const v8 pz = _mm256_add_ps(load8(x, n), load8(product, n));
  const v8 pr = _mm256_add_ps(load8(x + U, n), load8(product + U, n));
  const v8 z = activate(ract, pz);
  const v8 r = activate(ract, pr);
  const v8 ph = madd(r, load8(product + 2 * U, n), load8(x + 2 * U, n));
  const v8 hh = activate(act, ph);
  store8(pre, pz, n);
  store8(pre + U, pr, n);
  store8(pre + 2 * U, ph, n);
  store8(post, z, n);
  store8(post + U, r, n);
  store8(post + 2 * U, hh, n);
  const v8 hv = load8(hAt, n);
  store8(hPrev, hv, n);
  const v8 hn = madd(z, hv, _mm256_mul_ps(_mm256_sub_ps(splat(1.0f), z), hh));
  store8(hAt, hn, n);
  store8(yo, hn, n);
}

INLINE void gruResetAfterForwardWith(int B, int T, int U, const float *x, const Operand *R, const float *rbias, float *h, float *hIn,
                                     float *pre, float *post, float *product, float *hPrev, float *left, float *y, const uint8_t *mask,
                                     const float *rmask, int act, int ract) {
  const int GU = 3 * U;
  const long rowY = (long)(T + 1) * U;
  for (int t = 0; t < T; t++) {
    if (rbias != NULL) {
      for (int b = 0; b < B; b++) memmove(product + stepRow(b, t, T, GU), rbias, 4 * (size_t)GU);
    }
    float *src = addRecurrentProduct(B, U, h, rmask, hIn, R, product + (long)t * GU, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
      float *yo = y + b * rowY + (long)t * U;
      if (rmask != NULL) memmove(left + ho, src + so, 4 * (size_t)U);
      if (!counts(mask, b, T, t)) {
        memmove(hPrev + ho, h + so, 4 * (size_t)U);
        memmove(yo, h + so, 4 * (size_t)U);
        continue;
      }
#define CELL(j, n) gruResetAfterCell(act, ract, n, x + go + j, product + go + j, pre + go + j, post + go + j, h + so + j, hPrev + ho + j, yo + j, U)
      OVER_LANES(U, CELL);
#undef CELL
    }
  }
  copyStateRows(y, h, 0, B, T, 1, U, 1);
}

void gruResetAfterForward(int B, int T, int U, const float *x, const float *R, const float *rbias, float *h, float *hIn, float *pre,
                          float *post, float *product, float *hPrev, float *left, float *y, const uint8_t *mask, const float *rmask,
                          int act, int ract) {
  Operand r = operand(R, 3 * U, U, 3 * U, (long)B * T);
#define CALL(A, RA) gruResetAfterForwardWith(B, T, U, x, &r, rbias, h, hIn, pre, post, product, hPrev, left, y, mask, rmask, A, RA)
  WITH_ACTIVATIONS(act, ract, CALL);
#undef CALL
  release(&r);
}

/** Through the blend h' = z ⊙ h + (1 − z) ⊙ h~ (both GRU conventions): the update gate's pre-activation gradient. */
INLINE v8 gruUpdateGradient(int ract, v8 dhn, v8 z, v8 hh, v8 hPrev, v8 preZ) {
  return _mm256_mul_ps(_mm256_mul_ps(dhn, _mm256_sub_ps(hPrev, hh)), derivative(ract, preZ, z));
}

/** Through the same blend: the candidate's pre-activation gradient. */
INLINE v8 gruCandidateGradient(int act, v8 dhn, v8 z, v8 hh, v8 preH) {
  return _mm256_mul_ps(_mm256_mul_ps(dhn, _mm256_sub_ps(splat(1.0f), z)), derivative(act, preH, hh));
}

/** gruResetAfterCell's gradients, the pointers as there. */
INLINE void gruResetAfterCellBackward(int act, int ract, int n, const float *pre, const float *post, const float *product,
                                      const float *hPrev, float *dx, float *dProducts, float *dhAt, int U) {
  const v8 z = load8(post, n);
  const v8 r = load8(post + U, n);
  const v8 hh = load8(post + 2 * U, n);
  const v8 dhn = load8(dhAt, n);
  const v8 dph = gruCandidateGradient(act, dhn, z, hh, load8(pre + 2 * U, n));
  const v8 dpz = gruUpdateGradient(ract, dhn, z, hh, load8(hPrev, n), load8(pre, n));
  const v8 dpr = _mm256_mul_ps(_mm256_mul_ps(dph, load8(product + 2 * U, n)), derivative(ract, load8(pre + U, n), r));
  store8(dx, dpz, n);
  store8(dx + U, dpr, n);
  store8(dx + 2 * U, dph, n);
  store8(dProducts, dpz, n);
  store8(dProducts + U, dpr, n);
  store8(dProducts + 2 * U, _mm256_mul_ps(dph, r), n);
  store8(dhAt, _mm256_mul_ps(dhn, z), n);
}

INLINE void gruResetAfterBackwardWith(int B, int T, int U, const float *pre, const float *post, const float *product, const float *hPrev,
                                      const Operand *RT, float *dy, float *dx, float *dProducts, float *dh, float *scratch,
                                      const uint8_t *mask, const float *rmask, int act, int ract) {
  const int GU = 3 * U;
  copyStateRows(dy, dh, 0, B, T, 1, U, 0);
  for (int t = T - 1; t >= 0; t--) {
    addOutputGradient(dh, dy, B, T, 1, U, t);
    for (int b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const long so = (long)b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
#define CELL(j, n)                                                                                                              \
  gruResetAfterCellBackward(act, ract, n, pre + go + j, post + go + j, product + go + j, hPrev + ho + j, dx + go + j, dProducts + go + j, \
                            dh + so + j, U)
      OVER_LANES(U, CELL);
#undef CELL
    }
    addStateGradient(dProducts, t, T, GU, 0, GU, B, U, RT, rmask, scratch, dh);
  }
}

void gruResetAfterBackward(int B, int T, int U, const float *pre, const float *post, const float *product, const float *hPrev,
                           const float *RT, float *dy, float *dx, float *dProducts, float *dh, float *scratch, const uint8_t *mask,
                           const float *rmask, int act, int ract) {
  Operand rt = operand(RT, U, 3 * U, U, (long)B * T);
#define CALL(A, RA) gruResetAfterBackwardWith(B, T, U, pre, post, product, hPrev, &rt, dy, dx, dProducts, dh, scratch, mask, rmask, A, RA)
  WITH_ACTIVATIONS(act, ract, CALL);
#undef CALL
  release(&rt);
}

// ---- GRU, reset_after=False (tfjs's GRU): h~ = act(x_h + (r ⊙ h)·U_h) ----

INLINE void gruResetBeforeForwardWith(int B, int T, int U, float *pre, const Operand *Rzr, const Operand *Rh, float *h, float *hIn,
                                      float *post, float *resetH, float *hPrev, float *y, const uint8_t *mask, const float *rmask, int act,
                                      int ract) {
  const int GU = 3 * U;
  const long rowY = (long)(T + 1) * U;
  for (int t = 0; t < T; t++) {
    float *src = addRecurrentProduct(B, U, h, rmask, hIn, Rzr, pre + (long)t * GU, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
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
    multiply(B, resetH + (long)t * U, T * U, Rh, 0, U, pre + (long)t * GU + 2 * U, T * GU);
    for (int b = 0; b < B; b++) {
      const long so = (long)b * U, go = stepRow(b, t, T, GU);
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

void gruResetBeforeForward(int B, int T, int U, float *pre, const float *R, float *h, float *hIn, float *post, float *resetH,
                           float *hPrev, float *y, const uint8_t *mask, const float *rmask, int act, int ract) {
  // The update and reset gates' columns multiply h, the candidate's r ⊙ h: two operands.
  Operand zr = operand(R, 3 * U, U, 2 * U, (long)B * T);
  Operand rh = operand(R + 2 * U, 3 * U, U, U, (long)B * T);
#define CALL(A, RA) gruResetBeforeForwardWith(B, T, U, pre, &zr, &rh, h, hIn, post, resetH, hPrev, y, mask, rmask, A, RA)
  WITH_ACTIVATIONS(act, ract, CALL);
#undef CALL
  release(&zr);
  release(&rh);
}

INLINE void gruResetBeforeBackwardWith(int B, int T, int U, const float *pre, const float *post, const float *hPrev, const Operand *RT,
                                       float *dy, float *da, float *dh, float *dResetH, const uint8_t *mask, const float *rmask, int act,
                                       int ract) {
  const int GU = 3 * U;
  copyStateRows(dy, dh, 0, B, T, 1, U, 0);
  for (int t = T - 1; t >= 0; t--) {
    addOutputGradient(dh, dy, B, T, 1, U, t);
    for (int b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const long so = (long)b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
      for (int j = 0; j < U; j += 8) {
        const int n = U - j;
        const long at = go + j;
        const v8 z = load8(post + at, n);
        const v8 hh = load8(post + at + 2 * U, n);
        float *dhAt = dh + so + j;
        const v8 dhn = load8(dhAt, n);
        store8(da + at, gruUpdateGradient(ract, dhn, z, hh, load8(hPrev + ho + j, n), load8(pre + at, n)), n);
        store8(da + at + 2 * U, gruCandidateGradient(act, dhn, z, hh, load8(pre + at + 2 * U, n)), n);
        store8(dhAt, _mm256_mul_ps(dhn, z), n);
      }
    }
    memset(dResetH, 0, 4 * (size_t)B * U);
    multiply(B, da + (long)t * GU + 2 * U, T * GU, RT, 2 * U, U, dResetH, U);
    for (int b = 0; b < B; b++) {
      if (!counts(mask, b, T, t)) continue;
      const long so = (long)b * U, ho = stepRow(b, t, T, U), go = stepRow(b, t, T, GU);
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
    multiply(B, da + (long)t * GU, T * GU, RT, 0, 2 * U, dh, U);
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

void gruResetBeforeBackward(int B, int T, int U, const float *pre, const float *post, const float *hPrev, const float *RT, float *dy,
                            float *da, float *dh, float *dResetH, const uint8_t *mask, const float *rmask, int act, int ract) {
  Operand rt = operand(RT, U, 3 * U, U, (long)B * T);
#define CALL(A, RA) gruResetBeforeBackwardWith(B, T, U, pre, post, hPrev, &rt, dy, da, dh, dResetH, mask, rmask, A, RA)
  WITH_ACTIVATIONS(act, ract, CALL);
#undef CALL
  release(&rt);
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
