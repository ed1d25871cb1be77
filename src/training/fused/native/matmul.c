// C += A·B with AVX2 + FMA: the native twin of ../simd/matmul.as.ts (whose comments give the
// arguments). 256-bit registers hold eight floats where WebAssembly SIMD holds four, and x64
// gives native code 16 of them, so a tile is up to six rows by sixteen columns of c: twelve
// accumulators (enough to keep both FMA units busy through their four-cycle latency), two
// vectors of b and one broadcast of a per step of k, twelve fused multiply-adds for two loads
// of b and six broadcasts.
//
// b is read in strips sixteen columns wide, and a strip is walked by every row block of c
// before the next one starts, so it stays in L1. Where a strip's rows lie far apart in b (a
// recurrent kernel's row is 1 KB at LSTM(64)), their cache lines fall into a few of L1's sets
// and evict each other; so a strip is first copied into a contiguous panel (k-major, sixteen
// floats a row, zeros past n): once per product here, once per sequence call where the
// recurrent kernels multiply by the same matrix at every step (packPanels, gemmPanels).
// A b that fits in L1 as it is (an input projection's few features) needs neither: there the
// tiles go along c's rows instead (byRows), reading and writing c in order. Every element of c
// sums its products in the same order whichever way, so the results do not depend on it.
#include "matmul.h"
#include "vec.h"

// A deep product (a recurrent kernel's gradient sums over every step of every sample) runs in
// slices of k, so the strip of b every tile walks stays in the cache.
#define DEPTH_BLOCK 256
// PANEL_WIDTH (matmul.h) columns a panel.
#define PANEL PANEL_WIDTH

/**
 * ROWS (1..6) rows of c by the columns [j, j + 8·VECS) (VECS = 1 or 2), the last vector of c
 * with only `tail` lanes when tail < 8, and of b with `bTail` (a panel's zero padding lets b
 * be read whole). Inlined with constant ROWS and VECS, so the accumulators stay in registers.
 */
INLINE void tile(int ROWS, int VECS, int tail, int bTail, int depth, const float *a, long ar, long ac, const float *b, long br, float *c,
                 long cr) {
  v8 acc[6][2];
  for (int r = 0; r < ROWS; r++)
    for (int v = 0; v < VECS; v++) acc[r][v] = load8(c + r * cr + 8 * v, v == VECS - 1 ? tail : 8);
  const float *ap = a;
  const float *bp = b;
  for (int k = 0; k < depth; k++) {
    v8 bv[2];
    for (int v = 0; v < VECS; v++) bv[v] = load8(bp + 8 * v, v == VECS - 1 ? bTail : 8);
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

/** `rows` (1..6) rows of c against one strip: the constant-row tiles behind one switch. */
INLINE void rowTile(int rows, int VECS, int tail, int bTail, int depth, const float *a, long ar, long ac, const float *b, long br, float *c,
                    long cr) {
  switch (rows) {
    case 6: tile(6, VECS, tail, bTail, depth, a, ar, ac, b, br, c, cr); break;
    case 5: tile(5, VECS, tail, bTail, depth, a, ar, ac, b, br, c, cr); break;
    case 4: tile(4, VECS, tail, bTail, depth, a, ar, ac, b, br, c, cr); break;
    case 3: tile(3, VECS, tail, bTail, depth, a, ar, ac, b, br, c, cr); break;
    case 2: tile(2, VECS, tail, bTail, depth, a, ar, ac, b, br, c, cr); break;
    default: tile(1, VECS, tail, bTail, depth, a, ar, ac, b, br, c, cr); break;
  }
}

/**
 * How many rows of c the tile at row i takes: six, and the last 7 to 9 as two tiles of three to
 * five rather than a six and a thin one (a tile of one or two rows keeps too few accumulators to
 * hide the multiply-adds' latency).
 */
static inline int tileRows(int m, int i) {
  const int rest = m - i;
  if (rest >= 10 || rest == 6) return 6;
  return rest > 6 ? rest / 2 + (rest & 1) : rest;
}

/** All m rows of c against one strip of b (width ≤ 16 columns). */
INLINE void stripRows(int VECS, int tail, int bTail, int m, int depth, const float *a, long ar, long ac, const float *b, long br, float *c,
                      long cr) {
  for (int i = 0, rows; i < m; i += rows) {
    rows = tileRows(m, i);
    rowTile(rows, VECS, tail, bTail, depth, a + i * ar, ar, ac, b, br, c + i * cr, cr);
  }
}

/** One strip of `width` (1..16) columns; `padded` when b is a panel, readable to sixteen. */
static void strip(int width, int padded, int m, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  if (width > 8) {
    if (padded) stripRows(2, width - 8, 8, m, depth, a, ar, ac, b, br, c, cr);
    else stripRows(2, width - 8, width - 8, m, depth, a, ar, ac, b, br, c, cr);
  } else {
    if (padded) stripRows(1, width, 8, m, depth, a, ar, ac, b, br, c, cr);
    else stripRows(1, width, width, m, depth, a, ar, ac, b, br, c, cr);
  }
}

long panelsSize(int depth, int n) { return (long)((n + PANEL - 1) / PANEL) * PANEL * depth; }

/** One panel: b's columns [0, width) of `depth` rows, sixteen floats a row, zeros past width. */
static void packPanel(const float *b, long br, int depth, int width, float *out) {
  for (int k = 0; k < depth; k++) {
    const float *row = b + k * br;
    float *to = out + (long)k * PANEL;
    store8(to, load8(row, width), 8);
    store8(to + 8, width > 8 ? load8(row + 8, width - 8) : zero8(), 8);
  }
}

void packPanels(const float *b, int bRow, int depth, int n, float *out) {
  for (int j = 0; j < n; j += PANEL) packPanel(b + j, bRow, depth, n - j < PANEL ? n - j : PANEL, out + (long)j * depth);
}

void gemmPanels(int m, int n, int depth, const float *a, int aRow, int aCol, const float *panels, int fullDepth, float *c, int cRow) {
  if (m <= 0 || n <= 0 || depth <= 0) return;
  const long ar = aRow, ac = aCol, cr = cRow;
  for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
    const int kn = depth - k0 < DEPTH_BLOCK ? depth - k0 : DEPTH_BLOCK;
    for (int j = 0; j < n; j += PANEL)
      strip(n - j < PANEL ? n - j : PANEL, 1, m, kn, a + k0 * ac, ar, ac, panels + (long)j * fullDepth + (long)k0 * PANEL, PANEL, c + j, cr);
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

/** ROWS rows of c across all n columns of b as it is: sixteen at a time, then eight, then the rest. */
INLINE void rowAcross(int ROWS, int n, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  int j = 0;
  for (; j + 16 <= n; j += 16) tile(ROWS, 2, 8, 8, depth, a, ar, ac, b + j, br, c + j, cr);
  if (j + 8 <= n) {
    tile(ROWS, 1, 8, 8, depth, a, ar, ac, b + j, br, c + j, cr);
    j += 8;
  }
  if (j < n) tile(ROWS, 1, n - j, n - j, depth, a, ar, ac, b + j, br, c + j, cr);
}

/**
 * The tiles along c's rows, each across all columns: for a b small enough to stay in L1 (under
 * SMALL_B floats) whichever order the tiles take, this one reads and writes c in order (an
 * input projection's three features: c, 1,920 rows of 1 KB, is all the traffic there is).
 */
static void byRows(int m, int n, int depth, const float *a, long ar, long ac, const float *b, long br, float *c, long cr) {
  for (int i = 0, rows; i < m; i += rows) {
    rows = tileRows(m, i);
    const float *ai = a + i * ar;
    float *ci = c + i * cr;
    switch (rows) {
      case 6: rowAcross(6, n, depth, ai, ar, ac, b, br, ci, cr); break;
      case 5: rowAcross(5, n, depth, ai, ar, ac, b, br, ci, cr); break;
      case 4: rowAcross(4, n, depth, ai, ar, ac, b, br, ci, cr); break;
      case 3: rowAcross(3, n, depth, ai, ar, ac, b, br, ci, cr); break;
      case 2: rowAcross(2, n, depth, ai, ar, ac, b, br, ci, cr); break;
      default: rowAcross(1, n, depth, ai, ar, ac, b, br, ci, cr); break;
    }
  }
}

// Half of L1 (16 KB), in floats.
#define SMALL_B 4096

void gemm(int m, int n, int depth, const float *a, int aRow, int aCol, const float *b, int bRow, float *c, int cRow) {
  if (m <= 0 || n <= 0 || depth <= 0) return;
  const long ar = aRow, ac = aCol, br = bRow, cr = cRow;
  if (n == 1 && oneColumn(m, depth, a, ar, ac, b, br, c, cr)) return;
  float panel[DEPTH_BLOCK * PANEL] __attribute__((aligned(32)));
  for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
    const int kn = depth - k0 < DEPTH_BLOCK ? depth - k0 : DEPTH_BLOCK;
    const float *ak = a + k0 * ac;
    const float *bk = b + k0 * br;
    if ((long)kn * n < SMALL_B) {
      byRows(m, n, kn, ak, ar, ac, bk, br, c, cr);
      continue;
    }
    for (int j = 0; j < n; j += PANEL) {
      const int width = n - j < PANEL ? n - j : PANEL;
      if (m >= PACK_MIN_ROWS) {
        packPanel(bk + j, br, kn, width, panel);
        strip(width, 1, m, kn, ak, ar, ac, panel, PANEL, c + j, cr);
      } else {
        strip(width, 0, m, kn, ak, ar, ac, bk + j, br, c + j, cr);
      }
    }
  }
}

void addTransposedProduct(const float *left, int rows, int units, const float *d, int dCols, int from, int width, float *out) {
  gemm(units, width, rows, left, 1, units, d + from, dCols, out + from, dCols);
}

void transpose(const float *src, int rows, int cols, float *dst) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[(long)c * rows + r] = src[(long)r * cols + c];
}
