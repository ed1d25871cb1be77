// The Node-API face of the native fused kernels (dist/fused-kernels-native.node): the same
// exports as the WebAssembly module (../simd/module.ts's Exports) over a linear memory of its
// own, so that nothing above module.ts knows which one runs. Plain C Node-API (node_api.h, no
// C++ wrapper library), context-aware: each thread that loads it (the training worker, the
// kernel thread) gets its own memory, as each gets its own wasm instance.
//
// The memory is an ArrayBuffer that V8 allocates (napi_create_arraybuffer, not an external
// buffer, which Electron's V8 sandbox refuses); pointers are byte offsets into it, as in wasm.
// `grow` makes a larger one, copies, and detaches the old one, as growing a wasm memory does, so
// the TypeScript side's re-viewing on a changed `memory.buffer` works unchanged.
//
// Where a wasm module traps on an access outside its memory, native code would corrupt the
// process: every kernel call checks each region its arguments name against the memory's size
// first (the sizes the kernels read and write, from batch, steps and units) and throws a
// RangeError naming the argument instead.
//
// This file is compiled without -mavx2: the CPU check below runs before any AVX2 instruction.
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "matmul.h"
#include "optimizers.h"
#include "recurrent.h"
#include "rows.h"

#define PAGE 65536
/** The first byte the kernels' callers may use (0 stays "none", as in the wasm module). */
#define HEAP_BASE 64
/** As in ../simd/module.ts's SIMD_ACTIVATIONS. */
#define ACTIVATIONS 8
#define MAX_ARGS 20

typedef struct {
  napi_ref buffer;
  uint8_t *data;
  size_t bytes;
} Memory;

static napi_value fail(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static Memory *memoryOf(napi_env env) {
  Memory *m = NULL;
  napi_get_instance_data(env, (void **)&m);
  return m;
}

/** Replaces the memory by a new ArrayBuffer of `bytes`, the old contents copied in. */
static int resize(napi_env env, Memory *m, size_t bytes) {
  void *data = NULL;
  napi_value buffer;
  if (napi_create_arraybuffer(env, bytes, &data, &buffer) != napi_ok) return 0;
  napi_value old = NULL;
  if (m->buffer != NULL) {
    napi_get_reference_value(env, m->buffer, &old);
    memcpy(data, m->data, m->bytes);
    napi_delete_reference(env, m->buffer);
  }
  napi_create_reference(env, buffer, 1, &m->buffer);
  m->data = data;
  m->bytes = bytes;
  // A view of the old buffer must not go on reading stale floats: detached, it throws instead.
  if (old != NULL) napi_detach_arraybuffer(env, old);
  return 1;
}

static napi_value number(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

static napi_value heapBaseFn(napi_env env, napi_callback_info info) {
  (void)info;
  return number(env, HEAP_BASE);
}

static napi_value bufferFn(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value buffer;
  napi_get_reference_value(env, memoryOf(env)->buffer, &buffer);
  return buffer;
}

/** memory.grow(pages): the old size in pages, as WebAssembly.Memory's. */
static napi_value growFn(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t pages = -1;
  if (argc < 1 || napi_get_value_int64(env, argv[0], &pages) != napi_ok || pages < 0 || pages > 65536)
    return fail(env, "native fused kernels: memory.grow takes a page count from 0 to 65536");
  Memory *m = memoryOf(env);
  const size_t before = m->bytes / PAGE;
  if (before + (size_t)pages > 65536) return fail(env, "native fused kernels: memory.grow past 4 GiB");
  if (pages > 0 && !resize(env, m, m->bytes + (size_t)pages * PAGE)) return fail(env, "native fused kernels: out of memory");
  return number(env, (double)before);
}

/**
 * Reads a call's arguments by `spec`, one word a argument: "i" an integer; "B", "T", "U" the
 * batch, steps and units (integers ≥ 0); "a" an activation code; a region "f:SIZE" (floats,
 * required), "g:SIZE" (floats, 0 = none), "m:SIZE" (bytes, 0 = none), "d:SIZE" (the recurrent
 * dropout mask, floats, 0 = none) or "r:SIZE" (floats the kernel touches only with that mask:
 * ../sequence.ts gives them no room without it), SIZE a product of B, T, U, G (gates) and S
 * (steps + state rows). Regions come out as pointers into the memory, after their bounds are
 * checked; integers in `ints`.
 */
static int readArgs(napi_env env, napi_callback_info info, const char *name, const char *const *spec, int count, int G, int S,
                    int64_t *ints, void **ptrs) {
  size_t argc = MAX_ARGS;
  napi_value argv[MAX_ARGS];
  char message[200];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if ((int)argc < count) {
    snprintf(message, sizeof message, "native fused kernels: %s takes %d arguments, got %d", name, count, (int)argc);
    fail(env, message);
    return 0;
  }
  Memory *m = memoryOf(env);
  int64_t B = 0, T = 0, U = 0;
  int dropout = 0;
  for (int i = 0; i < count; i++)
    if (spec[i][0] == 'd') {
      double x = 0;
      napi_get_value_double(env, argv[i], &x);
      dropout = x != 0;
    }
  for (int i = 0; i < count; i++) {
    const char *s = spec[i];
    double x;
    ptrs[i] = NULL;
    // The range first: converting NaN or a huge value to an integer is undefined in C.
    if (napi_get_value_double(env, argv[i], &x) != napi_ok || !(x >= 0 && x <= 4294967296.0) || x != (double)(int64_t)x) {
      snprintf(message, sizeof message, "native fused kernels: %s argument %d is not a whole number from 0 to 2^32", name, i + 1);
      fail(env, message);
      return 0;
    }
    const int64_t v = (int64_t)x;
    ints[i] = v;
    if (s[0] == 'B') B = v;
    else if (s[0] == 'T') T = v;
    else if (s[0] == 'U') U = v;
    if (s[0] == 'a' && v >= ACTIVATIONS) {
      snprintf(message, sizeof message, "native fused kernels: %s argument %d is not an activation code", name, i + 1);
      fail(env, message);
      return 0;
    }
    if (s[1] != ':') {
      if (v > 0x7fffffff) {
        snprintf(message, sizeof message, "native fused kernels: %s argument %d is too large", name, i + 1);
        fail(env, message);
        return 0;
      }
      continue;
    }
    // Optional and absent, or used only with a dropout mask there is not: never touched.
    if ((v == 0 && s[0] != 'f') || (s[0] == 'r' && !dropout)) continue;
    uint64_t size = s[0] == 'm' ? 1 : 4;
    int overflow = 0;
    for (const char *f = s + 2; *f; f++) {
      const int64_t factor = *f == 'B' ? B : *f == 'T' ? T : *f == 'U' ? U : *f == 'G' ? G : T + S;
      // Sizes from huge counts must not wrap around to small ones that pass the check.
      overflow |= __builtin_mul_overflow(size, (uint64_t)factor, &size);
    }
    if (overflow || v < HEAP_BASE || size > m->bytes || (uint64_t)v > m->bytes - size) {
      snprintf(message, sizeof message, "native fused kernels: %s argument %d: %llu bytes at %lld are outside the memory (%llu bytes)",
               name, i + 1, (unsigned long long)size, (long long)v, (unsigned long long)m->bytes);
      fail(env, message);
      return 0;
    }
    ptrs[i] = m->data + v;
  }
  return 1;
}

/** Whether `floats` floats at byte `at` lie in the memory (an empty region anywhere in it). */
static int inside(Memory *m, int64_t at, int64_t floats) {
  if (floats <= 0) return at >= 0 && (uint64_t)at <= m->bytes;
  // Checked in this order so that no sum or product wraps around.
  return at >= HEAP_BASE && (uint64_t)floats <= m->bytes / 4 && (uint64_t)at <= m->bytes - 4 * (uint64_t)floats;
}

static napi_value gemmFn(napi_env env, napi_callback_info info) {
  static const char *const spec[] = {"i", "i", "i", "i", "i", "i", "i", "i", "i", "i"};
  int64_t v[MAX_ARGS];
  void *p[MAX_ARGS];
  if (!readArgs(env, info, "gemm", spec, 10, 0, 0, v, p)) return NULL;
  const int64_t M = v[0], N = v[1], K = v[2], aRow = v[4], aCol = v[5], bRow = v[7], cRow = v[9];
  Memory *m = memoryOf(env);
  const int empty = M == 0 || N == 0 || K == 0;
  if (!empty && (!inside(m, v[3], (M - 1) * aRow + (K - 1) * aCol + 1) || !inside(m, v[6], (K - 1) * bRow + N) ||
                 !inside(m, v[8], (M - 1) * cRow + N)))
    return fail(env, "native fused kernels: gemm's operands are outside the memory");
  if (!empty) gemm((int)M, (int)N, (int)K, (const float *)(m->data + v[3]), (int)aRow, (int)aCol, (const float *)(m->data + v[6]), (int)bRow,
                   (float *)(m->data + v[8]), (int)cRow);
  return NULL;
}

static napi_value transposeFn(napi_env env, napi_callback_info info) {
  static const char *const spec[] = {"i", "i", "i", "i"};
  int64_t v[MAX_ARGS];
  void *p[MAX_ARGS];
  if (!readArgs(env, info, "transpose", spec, 4, 0, 0, v, p)) return NULL;
  Memory *m = memoryOf(env);
  if (!inside(m, v[0], v[1] * v[2]) || !inside(m, v[3], v[1] * v[2])) return fail(env, "native fused kernels: transpose's operands are outside the memory");
  if (v[1] * v[2] > 0) transpose((const float *)(m->data + v[0]), (int)v[1], (int)v[2], (float *)(m->data + v[3]));
  return NULL;
}

static napi_value addTransposedProductFn(napi_env env, napi_callback_info info) {
  static const char *const spec[] = {"i", "i", "i", "i", "i", "i", "i", "i"};
  int64_t v[MAX_ARGS];
  void *p[MAX_ARGS];
  if (!readArgs(env, info, "addTransposedProduct", spec, 8, 0, 0, v, p)) return NULL;
  const int64_t rows = v[1], units = v[2], dCols = v[4], from = v[5], width = v[6];
  Memory *m = memoryOf(env);
  if (from + width > dCols || !inside(m, v[0], rows * units) || !inside(m, v[3], rows * dCols) || !inside(m, v[7], units * dCols))
    return fail(env, "native fused kernels: addTransposedProduct's operands are outside the memory");
  if (rows > 0 && units > 0 && width > 0)
    addTransposedProduct((const float *)(m->data + v[0]), (int)rows, (int)units, (const float *)(m->data + v[3]), (int)dCols, (int)from,
                         (int)width, (float *)(m->data + v[7]));
  return NULL;
}

static napi_value activationsFn(napi_env env, napi_callback_info info) {
  static const char *const spec[] = {"a", "i", "i", "i", "i"};
  int64_t v[MAX_ARGS];
  void *p[MAX_ARGS];
  if (!readArgs(env, info, "activations", spec, 5, 0, 0, v, p)) return NULL;
  Memory *m = memoryOf(env);
  if (!inside(m, v[1], v[2]) || !inside(m, v[3], v[2]) || !inside(m, v[4], v[2])) return fail(env, "native fused kernels: activations' operands are outside the memory");
  if (v[2] > 0) activations((int)v[0], (const float *)(m->data + v[1]), (int)v[2], (float *)(m->data + v[3]), (float *)(m->data + v[4]));
  return NULL;
}

/**
 * gatherRows / scatterAddRows: the n ids (int32) and the n rows of `width` floats in the
 * memory, and every id a row that lies in the memory from `table` (rows.as.ts leaves the ids to
 * its caller; here an id past the memory would write outside it, so each is checked).
 */
static int rowsInside(napi_env env, Memory *m, const char *name, int64_t table, int64_t ids, int64_t n, int64_t width, int64_t rows) {
  char message[200];
  if (!inside(m, ids, n) || !inside(m, rows, n * width) || (n > 0 && width > 0 && !inside(m, table, width))) {
    snprintf(message, sizeof message, "native fused kernels: %s's operands are outside the memory", name);
    fail(env, message);
    return 0;
  }
  if (n == 0 || width == 0) return 1;
  const int32_t *id = (const int32_t *)(m->data + ids);
  const int64_t limit = ((int64_t)m->bytes - table) / (4 * width);
  for (int64_t r = 0; r < n; r++) {
    if (id[r] < 0 || id[r] >= limit) {
      snprintf(message, sizeof message, "native fused kernels: %s: id %d (position %lld) is a row outside the memory", name, id[r], (long long)r);
      fail(env, message);
      return 0;
    }
  }
  return 1;
}

/** gatherRows(table, ids, n, width, out) or scatterAddRows(d, ids, n, width, table). */
static napi_value rowsCall(napi_env env, napi_callback_info info, int scatter) {
  static const char *const spec[] = {"i", "i", "i", "i", "i"};
  const char *name = scatter ? "scatterAddRows" : "gatherRows";
  int64_t v[MAX_ARGS];
  void *p[MAX_ARGS];
  if (!readArgs(env, info, name, spec, 5, 0, 0, v, p)) return NULL;
  Memory *m = memoryOf(env);
  const int64_t table = scatter ? v[4] : v[0], rows = scatter ? v[0] : v[4];
  if (!rowsInside(env, m, name, table, v[1], v[2], v[3], rows)) return NULL;
  if (v[2] == 0 || v[3] == 0) return NULL;
  const int32_t *ids = (const int32_t *)(m->data + v[1]);
  if (scatter) scatterAddRows((const float *)(m->data + rows), ids, (int)v[2], (int)v[3], (float *)(m->data + table));
  else gatherRows((const float *)(m->data + table), ids, (int)v[2], (int)v[3], (float *)(m->data + rows));
  return NULL;
}

static napi_value gatherRowsFn(napi_env env, napi_callback_info info) { return rowsCall(env, info, 0); }
static napi_value scatterAddRowsFn(napi_env env, napi_callback_info info) { return rowsCall(env, info, 1); }

/**
 * A Float32Array argument's data and length, or 0 after throwing a TypeError naming it. Unlike
 * the kernels' regions, an optimizer's arrays are the weights' own (JavaScript arrays that live
 * as long as the model): reading them in place spares copying megabytes into the memory and
 * back each batch, and a wasm module, which cannot do that, has no twin of these.
 */
static int floatArray(napi_env env, napi_value value, const char *name, int position, float **data, size_t *length) {
  napi_typedarray_type type;
  void *p = NULL;
  napi_value buffer;
  size_t offset;
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  if (!isTyped || napi_get_typedarray_info(env, value, &type, length, &p, &buffer, &offset) != napi_ok || type != napi_float32_array) {
    char message[160];
    snprintf(message, sizeof message, "native fused kernels: %s argument %d is not a Float32Array", name, position);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *data = (float *)p;
  return 1;
}

/** rmspropStep(x, g, ms, mom, mg | null, lr, rho, momentum, epsilon): optimizers.c's, in place on equal-length Float32Arrays. */
static napi_value rmspropStepFn(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 9) return fail(env, "native fused kernels: rmspropStep takes 9 arguments");
  float *a[5] = {NULL, NULL, NULL, NULL, NULL};
  size_t n[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 5; i++) {
    napi_valuetype t;
    napi_typeof(env, argv[i], &t);
    // The centered mean gradient is optional: null without it.
    if (i == 4 && t == napi_null) continue;
    if (!floatArray(env, argv[i], "rmspropStep", i + 1, &a[i], &n[i])) return NULL;
    if (n[i] != n[0]) return fail(env, "native fused kernels: rmspropStep's arrays differ in length");
  }
  double h[4];
  for (int i = 0; i < 4; i++)
    if (napi_get_value_double(env, argv[5 + i], &h[i]) != napi_ok) return fail(env, "native fused kernels: rmspropStep's settings are not numbers");
  if (n[0] > 0) rmspropStep(a[0], a[1], a[2], a[3], a[4], n[0], (float)h[0], (float)h[1], (float)h[2], (float)h[3]);
  return NULL;
}

// The eight sequence kernels: each reads its arguments by its spec (the regions' sizes are
// those ../sequence.ts places) and calls recurrent.c.
#define F(i) ((float *)p[i])
#define M8(i) ((const uint8_t *)p[i])
#define I(i) ((int)v[i])
#define KERNEL(fn, G, S, call, ...)                                                   \
  static napi_value fn##Fn(napi_env env, napi_callback_info info) {                   \
    static const char *const spec[] = {__VA_ARGS__};                                  \
    int64_t v[MAX_ARGS];                                                              \
    void *p[MAX_ARGS];                                                                \
    if (!readArgs(env, info, #fn, spec, sizeof spec / sizeof *spec, G, S, v, p)) return NULL; \
    call;                                                                             \
    return NULL;                                                                      \
  }

KERNEL(lstmForward, 4, 2,
       lstmForward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11), F(12), F(13), M8(14), F(15), I(16), I(17)),
       "B", "T", "U", "f:BTGU", "f:UGU", "f:BU", "f:BU", "f:BU", "f:BTGU", "f:BTU", "f:BTU", "f:BTU", "f:BTU", "f:BSU", "m:BT", "d:BU", "a", "a")
KERNEL(lstmBackward, 4, 2,
       lstmBackward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11), F(12), F(13), M8(14), F(15), I(16), I(17)),
       "B", "T", "U", "f:BTGU", "f:BTGU", "f:BTU", "f:BTU", "f:BTU", "f:GUU", "f:BSU", "f:BTGU", "f:BU", "f:BU", "f:BU", "m:BT", "d:BU", "a", "a")
KERNEL(simpleRnnForward, 1, 1,
       simpleRnnForward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), M8(10), F(11), I(12)),
       "B", "T", "U", "f:BTU", "f:UU", "f:BU", "f:BU", "f:BTU", "f:BTU", "f:BSU", "m:BT", "d:BU", "a")
KERNEL(simpleRnnBackward, 1, 1,
       simpleRnnBackward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), M8(10), F(11), I(12)),
       "B", "T", "U", "f:BTU", "f:BTU", "f:UU", "f:BSU", "f:BTU", "f:BU", "f:BU", "m:BT", "d:BU", "a")
KERNEL(gruResetAfterForward, 3, 1,
       gruResetAfterForward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11), F(12), F(13), M8(14), F(15), I(16), I(17)),
       "B", "T", "U", "f:BTGU", "f:UGU", "g:GU", "f:BU", "f:BU", "f:BTGU", "f:BTGU", "f:BTGU", "f:BTU", "r:BTU", "f:BSU", "m:BT", "d:BU", "a", "a")
KERNEL(gruResetAfterBackward, 3, 1,
       gruResetAfterBackward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11), F(12), M8(13), F(14), I(15), I(16)),
       "B", "T", "U", "f:BTGU", "f:BTGU", "f:BTGU", "f:BTU", "f:GUU", "f:BSU", "f:BTGU", "f:BTGU", "f:BU", "f:BU", "m:BT", "d:BU", "a", "a")
KERNEL(gruResetBeforeForward, 3, 1,
       gruResetBeforeForward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), M8(11), F(12), I(13), I(14)),
       "B", "T", "U", "f:BTGU", "f:UGU", "f:BU", "f:BU", "f:BTGU", "f:BTU", "f:BTU", "f:BSU", "m:BT", "d:BU", "a", "a")
KERNEL(gruResetBeforeBackward, 3, 1,
       gruResetBeforeBackward(I(0), I(1), I(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), M8(11), F(12), I(13), I(14)),
       "B", "T", "U", "f:BTGU", "f:BTGU", "f:BTU", "f:GUU", "f:BSU", "f:BTGU", "f:BU", "f:BU", "m:BT", "d:BU", "a", "a")

static void freeMemory(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  // The reference goes with the environment; only the record is ours to free.
  free(data);
}

NAPI_MODULE_INIT() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    napi_throw_error(env, "ERR_SEQMODEL_NO_AVX2", "native fused kernels: this CPU lacks AVX2 or FMA");
    return NULL;
  }
  Memory *m = calloc(1, sizeof(Memory));
  if (m == NULL || !resize(env, m, PAGE)) {
    free(m);
    napi_throw_error(env, NULL, "native fused kernels: out of memory");
    return NULL;
  }
  napi_set_instance_data(env, m, freeMemory, NULL);
  const napi_property_descriptor properties[] = {
      {"heapBase", NULL, heapBaseFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"buffer", NULL, bufferFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"grow", NULL, growFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gemm", NULL, gemmFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"transpose", NULL, transposeFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"addTransposedProduct", NULL, addTransposedProductFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"activations", NULL, activationsFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gatherRows", NULL, gatherRowsFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"scatterAddRows", NULL, scatterAddRowsFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"lstmForward", NULL, lstmForwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"lstmBackward", NULL, lstmBackwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"simpleRnnForward", NULL, simpleRnnForwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"simpleRnnBackward", NULL, simpleRnnBackwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gruResetAfterForward", NULL, gruResetAfterForwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gruResetAfterBackward", NULL, gruResetAfterBackwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gruResetBeforeForward", NULL, gruResetBeforeForwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gruResetBeforeBackward", NULL, gruResetBeforeBackwardFn, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rmspropStep", NULL, rmspropStepFn, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof *properties, properties);
  return exports;
}
