// An input projection given as rows of a table: the native twin of ../simd/rows.as.ts.
#ifndef SEQMODEL_ROWS_H
#define SEQMODEL_ROWS_H

#include <stdint.h>

void gatherRows(const float *table, const int32_t *ids, int n, int width, float *out);
void scatterAddRows(const float *d, const int32_t *ids, int n, int width, float *table);

#endif
