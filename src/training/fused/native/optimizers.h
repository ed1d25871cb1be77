// The optimizers' update passes with AVX2 (optimizers.c), over a weight's own arrays.
#ifndef SEQMODEL_OPTIMIZERS_H
#define SEQMODEL_OPTIMIZERS_H

#include <stddef.h>

void rmspropStep(float *x, const float *g, float *ms, float *mom, float *mg, size_t n, float lr, float rho, float momentum, float eps);

#endif
