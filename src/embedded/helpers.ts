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
