// The matrix products of matmul.c: the native twin of ../simd/matmul.as.ts, same arguments
// (pointers instead of byte addresses, strides in floats).
#ifndef SEQMODEL_MATMUL_H
#define SEQMODEL_MATMUL_H

void gemm(int m, int n, int depth, const float *a, int aRow, int aCol, const float *b, int bRow, float *c, int cRow);
void addTransposedProduct(const float *left, int rows, int units, const float *d, int dCols, int from, int width, float *out);
void transpose(const float *src, int rows, int cols, float *dst);

/** Below this many rows of a, a strip of b is read too few times to repay copying it into a panel. */
#ifndef PACK_MIN_ROWS
#define PACK_MIN_ROWS 12
#endif

/** The columns of one panel: two eight-float vectors, the width of gemm's tiles. */
#define PANEL_WIDTH 16

/**
 * A matrix b (depth rows of n columns, every bRow floats) as panels of sixteen columns, each
 * k-major and contiguous, the last one zero-padded: the layout gemm's tiles read best. For a
 * recurrent kernel, which every step of a sequence multiplies by, packed once per call.
 * `out` holds panelsSize(depth, n) floats.
 */
long panelsSize(int depth, int n);
void packPanels(const float *b, int bRow, int depth, int n, float *out);
/**
 * gemm with b given as packPanels' panels of a matrix `fullDepth` rows deep: c += a · rows
 * [0, depth) of it (the caller offsets `panels` by PANEL_WIDTH·k0 floats to start at row k0).
 */
void gemmPanels(int m, int n, int depth, const float *a, int aRow, int aCol, const float *panels, int fullDepth, float *c, int cRow);

#endif
