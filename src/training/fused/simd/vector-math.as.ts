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
const ROUNDER: f32 = 12582912.0; // 1.5 · 2^23

// @ts-ignore: decorator
@inline
function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.0));
  const shifted = madd(x, f32x4.splat(1.44269504088896341), f32x4.splat(ROUNDER));
  const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
  // ln2 in two parts, so n·ln2 is exact enough for the reduction.
  let r = nmadd(n, f32x4.splat(0.693145751953125), x);
  r = nmadd(n, f32x4.splat(1.428606765330187045e-6), r);
  // The polynomial in Estrin's order (pairs of terms, then pairs of pairs) rather than Horner's:
  // a chain of three multiply-adds instead of seven, as the gate loops are bound by latency.
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const q0 = f32x4.add(f32x4.splat(1.0), r);
  const q1 = madd(r, f32x4.splat(1.0 / 6.0), f32x4.splat(0.5));
  const q2 = madd(r, f32x4.splat(1.0 / 120.0), f32x4.splat(1.0 / 24.0));
  const q3 = madd(r, f32x4.splat(1.0 / 5040.0), f32x4.splat(1.0 / 720.0));
  const low = madd(r2, q1, q0);
  const high = madd(r2, q3, q2);
  const p = madd(r4, high, low);
  // The sum's bits are those of 1.5·2^23 plus n; shifted left by 23 the former leave nothing.
  const scale = i32x4.shl(i32x4.add(shifted, i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline
function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

// tanh from e^(−2|x|), whose quotient loses relative accuracy near 0: there (|x| < 0.5) its
// odd Taylor polynomial to x^11 (relative error below 1e-6) serves instead.
// @ts-ignore: decorator
@inline
function vtanh(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = vexp(f32x4.mul(a, f32x4.splat(-2.0)));
  const one = f32x4.splat(1.0);
  const far = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const x2 = f32x4.mul(a, a);
  const x4 = f32x4.mul(x2, x2);
  // -1/3 + 2/15 x² − 17/315 x⁴ + 62/2835 x⁶ − 1382/155925 x⁸, in Estrin's order as in vexp.
  const q0 = madd(x2, f32x4.splat(2.0 / 15.0), f32x4.splat(-1.0 / 3.0));
  const q1 = madd(x2, f32x4.splat(62.0 / 2835.0), f32x4.splat(-17.0 / 315.0));
  const x8 = f32x4.mul(x4, x4);
  const p = madd(x8, f32x4.splat(-1382.0 / 155925.0), madd(x4, q1, q0));
  const near = madd(a, f32x4.mul(p, x2), a);
  const magnitude = v128.bitselect(near, far, f32x4.lt(a, f32x4.splat(0.5)));
  // The sign of x onto the magnitude.
  return v128.or(magnitude, v128.and(x, i32x4.splat(0x80000000)));
}

// Inlined into the gate loops: a call per four lanes cost more than a sigmoid's arithmetic. The
// switch stays in the loop, where its branch is always the same one and so predicted.
// @ts-ignore: decorator
@inline
export function activate(code: i32, x: v128): v128 {
  switch (code) {
    case RELU:
      return f32x4.pmax(x, f32x4.splat(0));
    case RELU6:
      return f32x4.pmin(f32x4.pmax(x, f32x4.splat(0)), f32x4.splat(6));
    case SIGMOID:
      return vsigmoid(x);
    case HARD_SIGMOID:
      return f32x4.pmin(f32x4.pmax(madd(x, f32x4.splat(0.2), f32x4.splat(0.5)), f32x4.splat(0)), f32x4.splat(1));
    case TANH:
      return vtanh(x);
    case SOFTSIGN:
      return f32x4.div(x, f32x4.add(f32x4.splat(1), f32x4.abs(x)));
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
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  switch (code) {
    case RELU:
      return v128.and(one, f32x4.gt(x, zero));
    case RELU6:
      return v128.and(one, v128.and(f32x4.gt(x, zero), f32x4.lt(x, f32x4.splat(6))));
    case SIGMOID:
      return f32x4.mul(y, f32x4.sub(one, y));
    case HARD_SIGMOID:
      // tfjs's clipByValue passes the gradient on the closed interval.
      return v128.and(f32x4.splat(0.2), v128.and(f32x4.ge(x, f32x4.splat(-2.5)), f32x4.le(x, f32x4.splat(2.5))));
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
