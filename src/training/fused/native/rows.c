// An input projection given as rows of a table, with AVX2: the native twin of
// ../simd/rows.as.ts (whose comments say why: when an Embedding feeds a recurrent layer, each
// step's projection is a row of the distinct tokens' projections). addon.c checks every id
// against the memory before these run.
#include "rows.h"
#include "vec.h"

/** out row r = table row ids[r], for r in [0, n). */
void gatherRows(const float *table, const int32_t *ids, int n, int width, float *out) {
  for (int r = 0; r < n; r++) {
    const float *from = table + (long)ids[r] * width;
    float *to = out + (long)r * width;
    for (int j = 0; j < width; j += 8) store8(to + j, load8(from + j, width - j), width - j);
  }
}

/** table row ids[r] += d row r, for r in [0, n): the gradient of gatherRows, summed per row. */
void scatterAddRows(const float *d, const int32_t *ids, int n, int width, float *table) {
  for (int r = 0; r < n; r++) {
    float *to = table + (long)ids[r] * width;
    const float *from = d + (long)r * width;
    for (int j = 0; j < width; j += 8) store8(to + j, _mm256_add_ps(load8(to + j, width - j), load8(from + j, width - j)), width - j);
  }
}
