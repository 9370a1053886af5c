// Functions that generated JavaScript kernels call, emitted into a module once each and only
// when its code uses them (codegen/helpers.ts); each must stand alone, naming nothing of the
// runtime but its types. Written once by hand, not per cell, so they are read, tested and tuned
// in one place.
//
// gemm's register blocking: two sample rows and four outputs at a time, so each weight read serves
// two samples and each x read serves four sums; a single row (a batch of one) takes eight outputs
// at a time, whose eight independent sums hide the latency of the adds. Each sum runs over j in
// order, in float64, and is stored to float32, so a row's result does not depend on the blocking.
import type { FloatArray } from "../shared/tensor.js";

/**
 * out[r, i] = bias[r, i] + sum over j of w[i, j] * x[r, j], for rows r < rows and outputs i < m:
 * w is m x k, row-major as PyTorch stores it; row r of x, out and bias starts at
 * off + r * stride (a bias stride of 0 adds the same vector to every row).
 */
export function gemm(
  rows: number,
  m: number,
  k: number,
  w: Float32Array,
  x: FloatArray,
  xOff: number,
  xStride: number,
  out: FloatArray,
  outOff: number,
  outStride: number,
  bias: FloatArray,
  biasOff: number,
  biasStride: number,
): void {
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const x0 = xOff + r * xStride;
    const x1 = x0 + xStride;
    const o0 = outOff + r * outStride;
    const o1 = o0 + outStride;
    const b0 = biasOff + r * biasStride;
    const b1 = b0 + biasStride;
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const w0 = i * k;
      const w1 = w0 + k;
      const w2 = w1 + k;
      const w3 = w2 + k;
      let a00 = bias[b0 + i]!,
        a01 = bias[b0 + i + 1]!,
        a02 = bias[b0 + i + 2]!,
        a03 = bias[b0 + i + 3]!;
      let a10 = bias[b1 + i]!,
        a11 = bias[b1 + i + 1]!,
        a12 = bias[b1 + i + 2]!,
        a13 = bias[b1 + i + 3]!;
      for (let j = 0; j < k; j++) {
        const u = x[x0 + j]!;
        const v = x[x1 + j]!;
        const c0 = w[w0 + j]!,
          c1 = w[w1 + j]!,
          c2 = w[w2 + j]!,
          c3 = w[w3 + j]!;
        a00 += c0 * u;
        a01 += c1 * u;
        a02 += c2 * u;
        a03 += c3 * u;
        a10 += c0 * v;
        a11 += c1 * v;
        a12 += c2 * v;
        a13 += c3 * v;
      }
      out[o0 + i] = a00;
      out[o0 + i + 1] = a01;
      out[o0 + i + 2] = a02;
      out[o0 + i + 3] = a03;
      out[o1 + i] = a10;
      out[o1 + i + 1] = a11;
      out[o1 + i + 2] = a12;
      out[o1 + i + 3] = a13;
    }
    for (; i < m; i++) {
      const wi = i * k;
      let a0 = bias[b0 + i]!,
        a1 = bias[b1 + i]!;
      for (let j = 0; j < k; j++) {
        a0 += w[wi + j]! * x[x0 + j]!;
        a1 += w[wi + j]! * x[x1 + j]!;
      }
      out[o0 + i] = a0;
      out[o1 + i] = a1;
    }
  }
  for (; r < rows; r++) {
    const x0 = xOff + r * xStride;
    const o0 = outOff + r * outStride;
    const b0 = biasOff + r * biasStride;
    let i = 0;
    for (; i + 7 < m; i += 8) {
      const w0 = i * k;
      const w1 = w0 + k,
        w2 = w1 + k,
        w3 = w2 + k,
        w4 = w3 + k,
        w5 = w4 + k,
        w6 = w5 + k,
        w7 = w6 + k;
      let a0 = bias[b0 + i]!,
        a1 = bias[b0 + i + 1]!,
        a2 = bias[b0 + i + 2]!,
        a3 = bias[b0 + i + 3]!;
      let a4 = bias[b0 + i + 4]!,
        a5 = bias[b0 + i + 5]!,
        a6 = bias[b0 + i + 6]!,
        a7 = bias[b0 + i + 7]!;
      for (let j = 0; j < k; j++) {
        const u = x[x0 + j]!;
        a0 += w[w0 + j]! * u;
        a1 += w[w1 + j]! * u;
        a2 += w[w2 + j]! * u;
        a3 += w[w3 + j]! * u;
        a4 += w[w4 + j]! * u;
        a5 += w[w5 + j]! * u;
        a6 += w[w6 + j]! * u;
        a7 += w[w7 + j]! * u;
      }
      out[o0 + i] = a0;
      out[o0 + i + 1] = a1;
      out[o0 + i + 2] = a2;
      out[o0 + i + 3] = a3;
      out[o0 + i + 4] = a4;
      out[o0 + i + 5] = a5;
      out[o0 + i + 6] = a6;
      out[o0 + i + 7] = a7;
    }
    for (; i < m; i++) {
      const wi = i * k;
      let a = bias[b0 + i]!;
      for (let j = 0; j < k; j++) a += w[wi + j]! * x[x0 + j]!;
      out[o0 + i] = a;
    }
  }
}

/** The logistic function, exact and overflow-safe: exp of a positive number is never taken. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The error function, 2/sqrt(pi) times the integral of e^(-t^2) from 0 to x, within about one
 * float64 unit (2.0 units of 2^-53 relative at worst on tools/erf_coefficients.py's sample, which
 * fitted the polynomials): JavaScript has no Math.erf, and the interpreter and the JavaScript
 * kernel must compute the same one. Below 1, x * S(x^2); from 1 to 6, 1 - e^(-x^2) erfcx(|x|),
 * where erfcx(x) = e^(x^2) erfc(x) is nearly a polynomial in y = (|x| - 3.75) / (|x| + 3.75),
 * so no 1 - erfc(x) loses digits where erf is small; past 6, +-1.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 1) {
    const t = x * x;
    let s = -7.795898827002142e-10;
    s = s * t + 1.3720064546777686e-8;
    s = s * t - 1.6208483801871705e-7;
    s = s * t + 1.6447424703317362e-6;
    s = s * t - 1.492473690741966e-5;
    s = s * t + 0.00012055294904839707;
    s = s * t - 0.0008548325975389692;
    s = s * t + 0.0052239776071164225;
    s = s * t - 0.02686617064323777;
    s = s * t + 0.11283791670945006;
    s = s * t - 0.37612638903183543;
    s = s * t + 1.1283791670955126;
    return x * s;
  }
  if (a < 6) {
    const y = (a - 3.75) / (a + 3.75);
    let g = 7.131731255239265e-7;
    g = g * y + 6.208144801289063e-7;
    g = g * y - 6.300262984335928e-6;
    g = g * y + 3.560667697695621e-6;
    g = g * y + 4.79107314889752e-5;
    g = g * y - 0.00015245718332927927;
    g = g * y - 2.5535448945846046e-5;
    g = g * y + 0.0018029620508574445;
    g = g * y - 0.008220621180507561;
    g = g * y + 0.024143223983468007;
    g = g * y - 0.05480232669388165;
    g = g * y + 0.10260431203203912;
    g = g * y - 0.16357189552393808;
    g = g * y + 0.2260080669166224;
    g = g * y - 0.27342193149542643;
    g = g * y + 0.14558972127503853;
    const r = 1 - Math.exp(-a * a) * g;
    return x < 0 ? -r : r;
  }
  // erfc(6) = 2.2e-17 is below half a float64 unit of 1; NaN stays NaN.
  return a >= 6 ? (x < 0 ? -1 : 1) : x;
}
