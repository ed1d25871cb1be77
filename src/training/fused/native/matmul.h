// The matrix products of matmul.c: the native twin of ../simd/matmul.as.ts, same arguments
// (pointers instead of byte addresses, strides in floats).
#ifndef SEQMODEL_MATMUL_H
#define SEQMODEL_MATMUL_H

void gemm(int m, int n, int depth, const float *a, int aRow, int aCol, const float *b, int bRow, float *c, int cRow);
void addTransposedProduct(const float *left, int rows, int units, const float *d, int dCols, int from, int width, float *out);
void transpose(const float *src, int rows, int cols, float *dst);

/** out's rows (every outStride floats) += a's rows (every aStride floats) · m's columns [from, from + width). */
static inline void addRowsTimesMatrixStrided(
    const float *a, int aStride, int rows, int inner, const float *m, int mCols, int from, int width, float *out, int outStride) {
  gemm(rows, width, inner, a, aStride, 1, m + from, mCols, out, outStride);
}

#endif
