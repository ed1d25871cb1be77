// C += A·B with AVX2 + FMA: the native twin of ../simd/matmul.as.ts (whose comments give the
// arguments). 256-bit registers hold eight floats where WebAssembly SIMD holds four, and x64
// gives native code 16 of them, so a tile is four rows by sixteen columns of c: eight
// accumulators, two vectors of b and one broadcast of a per step of k, eight fused
// multiply-adds for two loads of b and four broadcasts.
#include "matmul.h"
#include "vec.h"

// A deep product (a recurrent kernel's gradient sums over every step of every sample) runs in
// slices of k, so the slice of b every tile walks stays in the cache.
#define DEPTH_BLOCK 256

/**
 * ROWS (1..4) rows of c by the columns [j, j + 8·VECS) (VECS = 1 or 2), the last vector with
 * only `tail` lanes when tail < 8. Inlined with constant ROWS and VECS, so the accumulators
 * stay in registers.
 */
INLINE void tile(int ROWS, int VECS, int tail, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  v8 acc[4][2];
  for (int r = 0; r < ROWS; r++)
    for (int v = 0; v < VECS; v++) acc[r][v] = load8(c + r * cr + 8 * v, v == VECS - 1 ? tail : 8);
  const float *ap = a;
  const float *bp = b;
  for (int k = 0; k < depth; k++) {
    v8 bv[2];
    for (int v = 0; v < VECS; v++) bv[v] = load8(bp + 8 * v, v == VECS - 1 ? tail : 8);
    for (int r = 0; r < ROWS; r++) {
      const v8 s = _mm256_broadcast_ss(ap + r * ar);
      for (int v = 0; v < VECS; v++) acc[r][v] = madd(s, bv[v], acc[r][v]);
    }
    ap += ac;
    bp += br;
  }
  for (int r = 0; r < ROWS; r++)
    for (int v = 0; v < VECS; v++) store8(c + r * cr + 8 * v, acc[r][v], v == VECS - 1 ? tail : 8);
}

/** ROWS rows of c, all n columns: sixteen at a time, then eight, then the rest. */
INLINE void rowBlock(int ROWS, int n, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  int j = 0;
  for (; j + 16 <= n; j += 16) tile(ROWS, 2, 8, depth, a, ar, ac, b + j, br, c + j, cr);
  if (j + 8 <= n) {
    tile(ROWS, 1, 8, depth, a, ar, ac, b + j, br, c + j, cr);
    j += 8;
  }
  if (j < n) tile(ROWS, 1, n - j, depth, a, ar, ac, b + j, br, c + j, cr);
}

static void gemmSlice(int m, int n, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  int i = 0;
  for (; i + 4 <= m; i += 4) rowBlock(4, n, depth, a + i * ar, ar, ac, b, br, c + i * cr, cr);
  switch (m - i) {
    case 3: rowBlock(3, n, depth, a + i * ar, ar, ac, b, br, c + i * cr, cr); break;
    case 2: rowBlock(2, n, depth, a + i * ar, ar, ac, b, br, c + i * cr, cr); break;
    case 1: rowBlock(1, n, depth, a + i * ar, ar, ac, b, br, c + i * cr, cr); break;
    default: break;
  }
}

/**
 * One column of c (a Dense(1) on every step, its gradients), where a tile has nothing to fill:
 * the lanes go along k when a's rows and b's column are contiguous (a dot product per row),
 * else along c's rows when a is read down its columns. Returns 0, doing nothing, when neither.
 */
static int oneColumn(int m, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  if (ac == 1 && br == 1) {
    for (int i = 0; i < m; i++) {
      const float *ai = a + i * ar;
      v8 s0 = zero8(), s1 = zero8();
      int k = 0;
      for (; k + 16 <= depth; k += 16) {
        s0 = madd(_mm256_loadu_ps(ai + k), _mm256_loadu_ps(b + k), s0);
        s1 = madd(_mm256_loadu_ps(ai + k + 8), _mm256_loadu_ps(b + k + 8), s1);
      }
      for (; k < depth; k += 8) s0 = madd(load8(ai + k, depth - k), load8(b + k, depth - k), s0);
      c[i * cr] += hsum(_mm256_add_ps(s0, s1));
    }
    return 1;
  }
  if (ar == 1 && cr == 1) {
    for (int i = 0; i < m; i += 8) {
      const int lanes = m - i;
      v8 acc = load8(c + i, lanes);
      const float *ap = a + i;
      const float *bp = b;
      for (int k = 0; k < depth; k++) {
        acc = madd(load8(ap, lanes), _mm256_broadcast_ss(bp), acc);
        ap += ac;
        bp += br;
      }
      store8(c + i, acc, lanes);
    }
    return 1;
  }
  return 0;
}

void gemm(int m, int n, int depth, const float *a, int aRow, int aCol, const float *b, int bRow, float *c, int cRow) {
  if (m <= 0 || n <= 0 || depth <= 0) return;
  const long ar = aRow, ac = aCol, br = bRow, cr = cRow;
  if (n == 1 && oneColumn(m, depth, a, ar, ac, b, br, c, cr)) return;
  for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
    const int kn = depth - k0 < DEPTH_BLOCK ? depth - k0 : DEPTH_BLOCK;
    gemmSlice(m, n, kn, a + k0 * ac, ar, ac, b + k0 * br, br, c, cr);
  }
}

void addTransposedProduct(const float *left, int rows, int units, const float *d, int dCols, int from, int width, float *out) {
  gemm(units, width, rows, left, 1, units, d + from, dCols, out + from, dCols);
}

void transpose(const float *src, int rows, int cols, float *dst) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[(long)c * rows + r] = src[(long)r * cols + c];
}
