// Element-wise activations and their derivatives on four float32 lanes at once, for the
// whole-sequence kernels (recurrent.as.ts). They follow ../activations.ts (tfjs-layers's
// definitions) to float32 rounding; the codes are the positions in SIMD_ACTIVATIONS
// (../simd/module.ts). Activations not here (elu, selu, softplus, gelu, mish: they need an
// accurate expm1 or erf) keep the TypeScript kernels. Their multiply-adds are madd.as.ts's
// (fused in the relaxed-SIMD binary).
import { madd, nmadd } from './madd.as';

export const LINEAR = 0;
export const RELU = 1;
export const RELU6 = 2;
export const SIGMOID = 3;
export const HARD_SIGMOID = 4;
export const TANH = 5;
export const SOFTSIGN = 6;
export const SWISH = 7;

// The constants of the functions below, each in all four lanes, read from this table rather
// than written as f32x4.splat(c): V8 builds a v128 constant in registers from two 64-bit
// immediates at every use (four instructions, rematerialised inside the gate loops), where a
// load from memory is one, and folds into the arithmetic instruction that uses it. Measured on
// the activations alone (CPU time per four lanes, value and derivative): sigmoid 11.2 → 7.4 ns,
// tanh 17.7 → 11.9 ns (docs/benchmarks.md, "The time beside the products").
const ONE = 0;
const EXP_LOW = 1;
const EXP_HIGH = 2;
const LOG2E = 3;
// n is rounded by adding 1.5·2^23 (see vexp).
const ROUNDER = 4;
// ln2 in two parts, so n·ln2 is exact enough for the reduction.
const LN2_HIGH = 5;
const LN2_LOW = 6;
const HALF = 7;
const E3 = 8; // 1/3!, and so on to 1/7!
const E4 = 9;
const E5 = 10;
const E6 = 11;
const E7 = 12;
const MINUS_TWO = 13;
// tanh's odd Taylor coefficients after x: −1/3, 2/15, −17/315, 62/2835, −1382/155925.
const T3 = 14;
const T5 = 15;
const T7 = 16;
const T9 = 17;
const T11 = 18;
const ZERO = 19;
const SIX = 20;
const FIFTH = 21;
const HARD_EDGE = 22; // 2.5, where hard_sigmoid's slope ends
const MINUS_HARD_EDGE = 23;
// In the order of the indices above, each constant four times (one v128).
const TABLE: usize = memory.data<f32>([
  1.0, 1.0, 1.0, 1.0, // ONE
  -87.3, -87.3, -87.3, -87.3, // EXP_LOW
  88.0, 88.0, 88.0, 88.0, // EXP_HIGH
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // LOG2E
  12582912.0, 12582912.0, 12582912.0, 12582912.0, // ROUNDER
  0.693145751953125, 0.693145751953125, 0.693145751953125, 0.693145751953125, // LN2_HIGH
  1.428606765330187045e-6, 1.428606765330187045e-6, 1.428606765330187045e-6, 1.428606765330187045e-6, // LN2_LOW
  0.5, 0.5, 0.5, 0.5, // HALF
  1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, // E3
  1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0, // E4
  1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0, // E5
  1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0, // E6
  1.0 / 5040.0, 1.0 / 5040.0, 1.0 / 5040.0, 1.0 / 5040.0, // E7
  -2.0, -2.0, -2.0, -2.0, // MINUS_TWO
  -1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0, // T3
  2.0 / 15.0, 2.0 / 15.0, 2.0 / 15.0, 2.0 / 15.0, // T5
  -17.0 / 315.0, -17.0 / 315.0, -17.0 / 315.0, -17.0 / 315.0, // T7
  62.0 / 2835.0, 62.0 / 2835.0, 62.0 / 2835.0, 62.0 / 2835.0, // T9
  -1382.0 / 155925.0, -1382.0 / 155925.0, -1382.0 / 155925.0, -1382.0 / 155925.0, // T11
  0.0, 0.0, 0.0, 0.0, // ZERO
  6.0, 6.0, 6.0, 6.0, // SIX
  0.2, 0.2, 0.2, 0.2, // FIFTH
  2.5, 2.5, 2.5, 2.5, // HARD_EDGE
  -2.5, -2.5, -2.5, -2.5, // MINUS_HARD_EDGE
], 16);
// The exponent bias, and float32's sign bit, as integer lanes.
const BIAS: usize = memory.data<i32>([127, 127, 127, 127, 0x80000000, 0x80000000, 0x80000000, 0x80000000], 16);

// @ts-ignore: decorator
@inline
function c(index: i32): v128 {
  return v128.load(TABLE + (<usize>index << 4));
}

/** 1 in every lane, from the table (for the kernels' 1 − z). */
// @ts-ignore: decorator
@inline
export function ones(): v128 {
  return c(ONE);
}

// e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial to r^7 (relative error
// below 1e-8 there, under float32 rounding), 2^n built in the exponent bits. Inputs are clamped
// to where 2^n is a normal float: e^x saturates at about 2^127 and 2^-126, far outside where
// any activation here still changes.
//
// Written for what V8 emits on x64: pmin/pmax are one instruction each where min/max (NaN and
// signed-zero rules) are about eight, and a NaN passes through them here because it fails both
// comparisons. n is rounded by adding 1.5·2^23, which leaves n in the low mantissa bits of the
// sum: those bits shifted into the exponent field give 2^n with no float-to-int conversion
// (nearest and trunc_sat are several instructions each in V8).
// @ts-ignore: decorator
@inline
function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, c(EXP_LOW)), c(EXP_HIGH));
  const shifted = madd(x, c(LOG2E), c(ROUNDER));
  const n = f32x4.sub(shifted, c(ROUNDER));
  // ln2 in two parts, so n·ln2 is exact enough for the reduction.
  let r = nmadd(n, c(LN2_HIGH), x);
  r = nmadd(n, c(LN2_LOW), r);
  // The polynomial in Estrin's order (pairs of terms, then pairs of pairs) rather than Horner's:
  // a chain of three multiply-adds instead of seven, as the gate loops are bound by latency.
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const q0 = f32x4.add(c(ONE), r);
  const q1 = madd(r, c(E3), c(HALF));
  const q2 = madd(r, c(E5), c(E4));
  const q3 = madd(r, c(E7), c(E6));
  const low = madd(r2, q1, q0);
  const high = madd(r2, q3, q2);
  const p = madd(r4, high, low);
  // The sum's bits are those of 1.5·2^23 plus n; shifted left by 23 the former leave nothing.
  const scale = i32x4.shl(i32x4.add(shifted, v128.load(BIAS)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline
function vsigmoid(x: v128): v128 {
  const one = c(ONE);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

// tanh from e^(−2|x|), whose quotient loses relative accuracy near 0: there (|x| < 0.5) its
// odd Taylor polynomial to x^11 (relative error below 1e-6) serves instead.
// @ts-ignore: decorator
@inline
function vtanh(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = vexp(f32x4.mul(a, c(MINUS_TWO)));
  const one = c(ONE);
  const far = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const x2 = f32x4.mul(a, a);
  const x4 = f32x4.mul(x2, x2);
  // -1/3 + 2/15 x² − 17/315 x⁴ + 62/2835 x⁶ − 1382/155925 x⁸, in Estrin's order as in vexp.
  const q0 = madd(x2, c(T5), c(T3));
  const q1 = madd(x2, c(T9), c(T7));
  const x8 = f32x4.mul(x4, x4);
  const p = madd(x8, c(T11), madd(x4, q1, q0));
  const near = madd(a, f32x4.mul(p, x2), a);
  const magnitude = v128.bitselect(near, far, f32x4.lt(a, c(HALF)));
  // The sign of x onto the magnitude.
  return v128.or(magnitude, v128.and(x, v128.load(BIAS, 16)));
}

// Inlined into the gate loops: a call per four lanes cost more than a sigmoid's arithmetic. The
// switch stays in the loop, where its branch is always the same one and so predicted.
// @ts-ignore: decorator
@inline
export function activate(code: i32, x: v128): v128 {
  switch (code) {
    case RELU:
      return f32x4.pmax(x, c(ZERO));
    case RELU6:
      return f32x4.pmin(f32x4.pmax(x, c(ZERO)), c(SIX));
    case SIGMOID:
      return vsigmoid(x);
    case HARD_SIGMOID:
      return f32x4.pmin(f32x4.pmax(madd(x, c(FIFTH), c(HALF)), c(ZERO)), c(ONE));
    case TANH:
      return vtanh(x);
    case SOFTSIGN:
      return f32x4.div(x, f32x4.add(c(ONE), f32x4.abs(x)));
    case SWISH:
      return f32x4.mul(x, vsigmoid(x));
    default:
      return x;
  }
}

/** d f / d x at x, where y = f(x): as ../activations.ts takes it. */
// @ts-ignore: decorator
@inline
export function derivative(code: i32, x: v128, y: v128): v128 {
  const one = c(ONE);
  const zero = c(ZERO);
  switch (code) {
    case RELU:
      return v128.and(one, f32x4.gt(x, zero));
    case RELU6:
      return v128.and(one, v128.and(f32x4.gt(x, zero), f32x4.lt(x, c(SIX))));
    case SIGMOID:
      return f32x4.mul(y, f32x4.sub(one, y));
    case HARD_SIGMOID:
      // tfjs's clipByValue passes the gradient on the closed interval.
      return v128.and(c(FIFTH), v128.and(f32x4.ge(x, c(MINUS_HARD_EDGE)), f32x4.le(x, c(HARD_EDGE))));
    case TANH:
      return nmadd(y, y, one);
    case SOFTSIGN: {
      const d = f32x4.add(one, f32x4.abs(x));
      return f32x4.div(one, f32x4.mul(d, d));
    }
    case SWISH: {
      const s = vsigmoid(x);
      return madd(x, f32x4.mul(s, f32x4.sub(one, s)), s);
    }
    default:
      return one;
  }
}

// Loads and stores of n < 4 lanes, for unit counts that are not multiples of 4: the lanes past
// n read as 0 and are not written.
// @ts-ignore: decorator
@inline
export function load4(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

// @ts-ignore: decorator
@inline
export function store4(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
