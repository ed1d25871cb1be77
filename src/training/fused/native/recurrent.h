// The whole-sequence kernels of recurrent.c and the activations' test entry: the native twins
// of ../simd/recurrent.as.ts's exports, same arguments in the same order (pointers for its byte
// addresses, NULL for its 0 = "none").
#ifndef SEQMODEL_RECURRENT_H
#define SEQMODEL_RECURRENT_H

#include <stdint.h>

void lstmForward(int B, int T, int U, float *pre, const float *R, float *h, float *c, float *hIn, float *gate, float *cell,
                 float *cellAct, float *hPrev, float *cPrev, float *y, const uint8_t *mask, const float *rmask, int act, int ract);
void lstmBackward(int B, int T, int U, const float *pre, const float *gate, const float *cell, const float *cellAct, const float *cPrev,
                  const float *RT, float *dy, float *da, float *dh, float *dc, float *scratch, const uint8_t *mask, const float *rmask,
                  int act, int ract);
void simpleRnnForward(int B, int T, int U, float *pre, const float *R, float *h, float *hIn, float *post, float *hPrev, float *y,
                      const uint8_t *mask, const float *rmask, int act);
void simpleRnnBackward(int B, int T, int U, const float *pre, const float *post, const float *RT, float *dy, float *da, float *dh,
                       float *scratch, const uint8_t *mask, const float *rmask, int act);
void gruResetAfterForward(int B, int T, int U, const float *x, const float *R, const float *rbias, float *h, float *hIn, float *pre,
                          float *post, float *product, float *hPrev, float *left, float *y, const uint8_t *mask, const float *rmask,
                          int act, int ract);
void gruResetAfterBackward(int B, int T, int U, const float *pre, const float *post, const float *product, const float *hPrev,
                           const float *RT, float *dy, float *dx, float *dProducts, float *dh, float *scratch, const uint8_t *mask,
                           const float *rmask, int act, int ract);
void gruResetBeforeForward(int B, int T, int U, float *pre, const float *R, float *h, float *hIn, float *post, float *resetH,
                           float *hPrev, float *y, const uint8_t *mask, const float *rmask, int act, int ract);
void gruResetBeforeBackward(int B, int T, int U, const float *pre, const float *post, const float *hPrev, const float *RT, float *dy,
                            float *da, float *dh, float *dResetH, const uint8_t *mask, const float *rmask, int act, int ract);
void activations(int code, const float *x, int n, float *y, float *dy);

#endif
