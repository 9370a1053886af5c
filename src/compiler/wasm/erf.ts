// Vector erf for element-wise kernels: the float32 lanes clamped to [-4, 4] (past 3.92 erf rounds
// to +-1 in float32), widened to float64, x * P(x^2) / Q(x^2) there and rounded to float32 once.
// The fit's relative error is 9.3e-10 (tools/erf_coefficients.py), so the result is within about
// one float32 unit of erf for every float32 argument (tools/erf_exhaustive.mjs measures it).
import type { Code, Local } from "./code.js";
import { Simd } from "./opcodes.js";
import { HIGH_PAIR, LOW_PAIRS } from "./trig.js";

const LIMIT = 4;

// Highest power first; P and Q of degree 6 in x^2, Q(0) = 1.
const P = [
  -4.485845568709942e-8, -2.9216225728064417e-7, 0.0003057016987624386, 0.0029554630160726334,
  0.05093623890466173, 0.16689294495045834, 1.1283791681169517,
];
const Q = [
  -6.204816767589832e-7, 4.0983018444899366e-5, 0.001039683777472399, 0.013490142929668932,
  0.10555359986002298, 0.4812383932629695, 1,
];

/**
 * erf of the float32 vector on the stack. pmax and pmin (a < b ? b : a, b < a ? b : a) let NaN
 * through; -0 stays -0 (-0 times P/Q), and the infinities become erf(+-4), which rounds to +-1.
 */
export function vectorErf(c: Code, temp: () => Local): void {
  const [x, lo, hi, t] = [temp(), temp(), temp(), temp()];
  c.splat(-LIMIT).simd(Simd.f32x4Pmax).splat(LIMIT).simd(Simd.f32x4Pmin);
  c.tee(x).simd(Simd.f64x2PromoteLowF32x4).set(lo);
  c.get(x).get(x).shuffle(HIGH_PAIR).simd(Simd.f64x2PromoteLowF32x4).set(hi);
  for (const half of [lo, hi]) {
    c.get(half).get(half).simd(Simd.f64x2Mul).set(t);
    horner(c, P, t);
    horner(c, Q, t);
    c.simd(Simd.f64x2Div).get(half).simd(Simd.f64x2Mul).simd(Simd.f32x4DemoteF64x2Zero);
  }
  c.shuffle(LOW_PAIRS);
}

/** The float64 polynomial at `t` on the stack, for coefficients from the highest power down. */
function horner(c: Code, coefficients: readonly number[], t: Local): void {
  c.splatF64(coefficients[0]!);
  for (const k of coefficients.slice(1))
    c.get(t).simd(Simd.f64x2Mul).splatF64(k).simd(Simd.f64x2Add);
}
