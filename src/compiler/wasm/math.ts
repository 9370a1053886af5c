// Vector math for element-wise kernels: exp by range reduction and a degree-5 polynomial
// (Cephes' expf; relative error about 1e-7), sigmoid and tanh built on it, sin and cos (trig.ts)
// and erf (erf.ts). Each takes its argument on the stack and leaves its result there.
import type { Code, Local } from "./code.js";
import { vectorErf } from "./erf.js";
import { Simd, V128 } from "./opcodes.js";
import { VectorTrig } from "./trig.js";

const LOG2E = 1.44269504088896341;
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
// 2^n is built as 2^(n-1) * 2 from exponent bits, which needs -125 <= n <= 128; below the low
// end exp is set to 0 (it is under 3e-38) and past the float32 range to infinity.
const EXP_HI = 88.72283935546875;
const EXP_LO = -86.6;
const MAGIC_126 = 2 ** 23 + 126;
const POLY = [
  1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1,
  5.0000001201e-1,
];

const TANH_POLY = [
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1,
];

export class VectorMath {
  private readonly temps: Local[] = [];
  private used = 0;
  private readonly trig: VectorTrig;

  constructor(private readonly c: Code) {
    this.trig = new VectorTrig(c, () => this.temp());
  }

  /** A v128 temporary; temporaries are reused after `release`, between expressions. */
  private temp(): Local {
    if (this.used === this.temps.length) this.temps.push(this.c.local(V128));
    return this.temps[this.used++]!;
  }

  release(): void {
    this.used = 0;
  }

  exp(): void {
    const c = this.c;
    const [input, x, n, y] = [this.temp(), this.temp(), this.temp(), this.temp()];
    // pmax/pmin (a < b ? b : a, b < a ? b : a) pass a NaN in `input` through and are one
    // instruction each on x64, where max/min, which must also order -0 and +0, take about eight.
    c.tee(input).splat(EXP_LO).simd(Simd.f32x4Pmax).splat(EXP_HI).simd(Simd.f32x4Pmin).set(x);
    // n = round(x / ln 2); x -= n * ln 2, in two parts for accuracy
    c.get(x).splat(LOG2E).simd(Simd.f32x4Mul).simd(Simd.f32x4Nearest).set(n);
    c.get(x).get(n).splat(LN2_HI).simd(Simd.f32x4Mul).simd(Simd.f32x4Sub);
    c.get(n).splat(LN2_LO).simd(Simd.f32x4Mul).simd(Simd.f32x4Sub).set(x);
    // y = 1 + x + x^2 * P(x)
    c.splat(POLY[0]!);
    for (const p of POLY.slice(1)) c.get(x).simd(Simd.f32x4Mul).splat(p).simd(Simd.f32x4Add);
    c.get(x).get(x).simd(Simd.f32x4Mul).simd(Simd.f32x4Mul).get(x).simd(Simd.f32x4Add);
    c.splat(1).simd(Simd.f32x4Add);
    // y * 2^(n-1) * 2, with 2^(n-1) built from its exponent bits: the float n + 2^23 + 126 holds
    // n + 126 in its low mantissa bits (n is whole), which the shift moves into the exponent.
    // Cheaper than converting to integers, which takes V8 about eight instructions on x64.
    c.get(n).splat(MAGIC_126).simd(Simd.f32x4Add);
    c.i32(23).simd(Simd.i32x4Shl).simd(Simd.f32x4Mul).splat(2).simd(Simd.f32x4Mul).set(y);
    // Past float32's range, infinity, as Math.exp rounded to float32 gives; below the low end,
    // 0 (the true value is at most a float32 subnormal, under 3e-38).
    c.splat(Infinity).get(y).get(input).splat(EXP_HI).simd(Simd.f32x4Gt);
    c.simd(Simd.v128Bitselect).set(y);
    c.splat(0).get(y).get(input).splat(EXP_LO).simd(Simd.f32x4Lt).simd(Simd.v128Bitselect);
  }

  sin(): void {
    this.trig.sin(0);
  }

  cos(): void {
    this.trig.sin(1);
  }

  erf(): void {
    vectorErf(this.c, () => this.temp());
  }

  /** 1 / (1 + exp(-x)): exp(-x) overflowing to infinity gives exactly 0. */
  sigmoid(): void {
    const d = this.temp();
    this.c.simd(Simd.f32x4Neg);
    this.exp();
    this.c.splat(1).simd(Simd.f32x4Add).set(d);
    this.c.splat(1).get(d).simd(Simd.f32x4Div);
  }

  /**
   * 1 - 2 / (exp(2x) + 1), exactly -1 and 1 at the ends; below |x| = 0.625, where that formula
   * cancels, Cephes' odd polynomial x + x^3 P(x^2) keeps the relative error near 1e-7.
   */
  tanh(): void {
    const c = this.c;
    const [x, d, s] = [this.temp(), this.temp(), this.temp()];
    c.tee(x).splat(2).simd(Simd.f32x4Mul);
    this.exp();
    c.splat(1).simd(Simd.f32x4Add).set(d);
    c.get(x).get(x).simd(Simd.f32x4Mul).set(s);
    c.splat(TANH_POLY[0]!);
    for (const p of TANH_POLY.slice(1)) c.get(s).simd(Simd.f32x4Mul).splat(p).simd(Simd.f32x4Add);
    c.get(s).simd(Simd.f32x4Mul).get(x).simd(Simd.f32x4Mul).get(x).simd(Simd.f32x4Add);
    c.splat(1).splat(2).get(d).simd(Simd.f32x4Div).simd(Simd.f32x4Sub);
    c.get(x).simd(Simd.f32x4Abs).splat(0.625).simd(Simd.f32x4Lt).simd(Simd.v128Bitselect);
  }
}
