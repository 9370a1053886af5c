// Vector sin and cos: four float32 lanes widened to two float64 halves, reduced modulo pi/2 exactly
// enough, evaluated with musl's float polynomials (__sindf, __cosdf) and rounded to float32 once:
// within a float32 unit of Math.sin/Math.cos for every float32 argument (see wasm-math.test.ts).
import type { Code, Local } from "./code.js";
import { Simd } from "./opcodes.js";

// Below 2^20, n = round(x * 2/pi) has at most 20 bits, so n * P1 and n * P2 (33 bits each, from
// fdlibm's __rem_pio2) are exact and x - n*P1 - n*P2 - n*P3 loses nothing a float32 result sees.
const FAST_LIMIT = 2 ** 20;
const TWO_OVER_PI = 0.6366197723675814;
const PIO2 = 1.5707963267948966;
const PIO2_PARTS = [1.5707963267341256, 6.077100506303966e-11, 2.0222662487959506e-21];

// 2/pi in 24-bit pieces (fdlibm's ipio2 table), enough bits for x up to float32's largest, 2^128:
// x * piece is exact in float64 (24 x 24 bits), so x * 2/pi is a sum of exact terms.
const TWO_OVER_PI_BITS = [
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041,
];
const TWO_OVER_PI_PIECES = TWO_OVER_PI_BITS.map((bits, i) => bits * 2 ** (-24 * (i + 1)));

// sin r ~ r + r^3 S(r^2) and cos r ~ 1 + r^2 C(r^2) on |r| <= pi/4 (musl, errors under 2^-34).
const SIN_POLY = [
  2.718311493989822e-6, -1.9839334836096632e-4, 8.333329385889463e-3, -1.6666666641626524e-1,
];
const COS_POLY = [
  2.439044879627741e-5, -1.3886763774609929e-3, 4.166662332373906e-2, -4.99999997251031e-1,
];

/** Bytes 8-15 of a vector first: its high float32 pair where promote reads the low one. */
export const HIGH_PAIR = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
/** Lanes 0-1 of the first vector, then lanes 0-1 of the second. */
export const LOW_PAIRS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** A reduced argument: x = (q + r / (pi/2)) quarter turns, |r| <= pi/4, q a whole number. */
interface Reduced {
  readonly r: Local;
  readonly q: Local;
}

export class VectorTrig {
  constructor(
    private readonly c: Code,
    private readonly temp: () => Local,
  ) {}

  /**
   * sin of the float32 vector on the stack (cos: `quarterTurns` = 1, as cos x = sin(x + pi/2)).
   * A vector with a lane past 2^20 takes the exact reduction; NaN and infinities give NaN.
   */
  sin(quarterTurns: 0 | 1): void {
    const c = this.c;
    const [x, lo, hi] = [this.temp(), this.temp(), this.temp()];
    c.tee(x).simd(Simd.f64x2PromoteLowF32x4).set(lo);
    c.get(x).get(x).shuffle(HIGH_PAIR).simd(Simd.f64x2PromoteLowF32x4).set(hi);
    const halves = [lo, hi].map((xd) => ({ xd, r: this.temp(), q: this.temp() }));
    c.get(x).simd(Simd.f32x4Abs).splat(FAST_LIMIT).simd(Simd.f32x4Gt).simd(Simd.v128AnyTrue);
    c.ifElse(
      () => halves.forEach((h) => this.reduceExact(h.xd, h)),
      () => halves.forEach((h) => this.reduceFast(h.xd, h)),
    );
    for (const h of halves) {
      this.evaluate(h, quarterTurns);
      c.simd(Simd.f32x4DemoteF64x2Zero);
    }
    c.shuffle(LOW_PAIRS);
  }

  /** Cody-Waite: q = round(x * 2/pi), r = x - q * pi/2 with pi/2 in three parts. */
  private reduceFast(xd: Local, { r, q }: Reduced): void {
    const c = this.c;
    c.get(xd).splatF64(TWO_OVER_PI).simd(Simd.f64x2Mul).simd(Simd.f64x2Nearest).set(q);
    c.get(xd);
    for (const part of PIO2_PARTS) c.get(q).splatF64(part).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub);
    c.set(r);
  }

  /**
   * x * 2/pi as the sum of exact terms x * piece, each split into a whole part (kept modulo 4 in
   * q) and a fraction; the fractions are summed with the rounding error of each addition kept
   * (two-sum), so the final fraction is exact to float64 precision even where it nearly cancels.
   */
  private reduceExact(xd: Local, { r, q }: Reduced): void {
    const c = this.c;
    const [t, f, s, bb] = [this.temp(), this.temp(), this.temp(), this.temp()];
    const [sum, err] = [this.temp(), this.temp()];
    for (const l of [q, sum, err]) c.splatF64(0).set(l);
    for (const piece of TWO_OVER_PI_PIECES) {
      // t = x * piece (exact); whole part k = round(t), fraction f = t - k (exact)
      c.get(xd).splatF64(piece).simd(Simd.f64x2Mul).tee(t).simd(Simd.f64x2Nearest).set(s);
      c.get(t).get(s).simd(Simd.f64x2Sub).set(f);
      // q += k mod 4, as k - 4 * round(k / 4) (exact; 0 once k is a multiple of 8)
      c.get(q).get(s).get(s).splatF64(0.25).simd(Simd.f64x2Mul).simd(Simd.f64x2Nearest);
      c.splatF64(4).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).simd(Simd.f64x2Add).set(q);
      // s = sum + f, err += its rounding error: (sum - (s - bb)) + (f - bb), bb = s - sum
      c.get(sum).get(f).simd(Simd.f64x2Add).set(s);
      c.get(s).get(sum).simd(Simd.f64x2Sub).set(bb);
      c.get(err).get(sum).get(s).get(bb).simd(Simd.f64x2Sub).simd(Simd.f64x2Sub);
      c.get(f).get(bb).simd(Simd.f64x2Sub).simd(Simd.f64x2Add).simd(Simd.f64x2Add).set(err);
      // sum = s - round(s), in [-1/2, 1/2] (exact), q += round(s)
      c.get(s).simd(Simd.f64x2Nearest).set(bb);
      c.get(s).get(bb).simd(Simd.f64x2Sub).set(sum);
      c.get(q).get(bb).simd(Simd.f64x2Add).set(q);
    }
    c.get(sum).get(err).simd(Simd.f64x2Add).splatF64(PIO2).simd(Simd.f64x2Mul).set(r);
  }

  /** sin(r + (q + quarterTurns) * pi/2) on the stack, as float64: +-sin r or +-cos r. */
  private evaluate({ r, q }: Reduced, quarterTurns: 0 | 1): void {
    const c = this.c;
    const [j, z, sinR, odd] = [this.temp(), this.temp(), this.temp(), this.temp()];
    // j = (q + quarterTurns) mod 4, in 0..3
    c.get(q).splatF64(quarterTurns).simd(Simd.f64x2Add).tee(j);
    c.get(j).splatF64(0.25).simd(Simd.f64x2Mul).simd(Simd.f64x2Floor).splatF64(4);
    c.simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(j);
    c.get(r).get(r).simd(Simd.f64x2Mul).set(z);
    // sin r = r + r * z * S(z)
    this.horner(SIN_POLY, z);
    c.get(r).get(z).simd(Simd.f64x2Mul).simd(Simd.f64x2Mul).get(r).simd(Simd.f64x2Add).set(sinR);
    // cos r = 1 + z * C(z), taken where j is odd
    this.horner(COS_POLY, z);
    c.get(z).simd(Simd.f64x2Mul).splatF64(1).simd(Simd.f64x2Add).get(sinR);
    c.get(j).get(j).splatF64(0.5).simd(Simd.f64x2Mul).simd(Simd.f64x2Floor).splatF64(2);
    c.simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).splatF64(1).simd(Simd.f64x2Eq).set(odd);
    c.get(odd).simd(Simd.v128Bitselect);
    // negated where j >= 2: flip the sign bit
    c.get(j).splatF64(2).simd(Simd.f64x2Ge).splatF64(-0).simd(Simd.v128And).simd(Simd.v128Xor);
  }

  /** P(z) for coefficients from the highest power down. */
  private horner(coefficients: readonly number[], z: Local): void {
    this.c.splatF64(coefficients[0]!);
    for (const k of coefficients.slice(1))
      this.c.get(z).simd(Simd.f64x2Mul).splatF64(k).simd(Simd.f64x2Add);
  }
}
