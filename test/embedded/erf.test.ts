// The float64 erf that the interpreter and the JavaScript kernel share (src/embedded/helpers.ts)
// against reference values: each is mpmath's erf at 50 digits rounded to float64 (Python's
// math.erf gives the same, or one unit less where noted), at the edges of its three ranges (1, 6),
// in the tails and at the special values.
import { describe, expect, it } from "vitest";
import { erf } from "../../src/embedded/helpers.js";

const REFERENCE: readonly (readonly [number, number])[] = [
  [1e-300, 1.1283791670955126e-300],
  [1e-20, 1.1283791670955125e-20],
  [1e-8, 1.1283791670955126e-8],
  [0.001, 0.0011283787909692365],
  [0.1, 0.1124629160182849],
  [0.25, 0.27632639016823696], // math.erf: 0.2763263901682369
  [0.5, 0.5204998778130465],
  [0.75, 0.7111556336535151],
  [0.9, 0.7969082124228322],
  [0.99, 0.8385080695553698],
  [1, 0.8427007929497149],
  [1.01, 0.8468104962282768],
  [1.25, 0.9229001282564583], // math.erf: 0.9229001282564582
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [3, 0.9999779095030014],
  [-3, -0.9999779095030014],
  [-0.5, -0.5204998778130465],
  [3.5, 0.9999992569016276],
  [3.75, 0.9999998862727434],
  [4, 0.9999999845827421],
  [4.5, 0.9999999998033839],
  [5, 0.9999999999984626],
  [5.5, 0.9999999999999927],
  [5.9, 0.9999999999999999],
  [5.99, 1],
];

describe("erf (float64)", () => {
  // tools/erf_coefficients.py measures 2.0 units of 2^-53 at worst over 27,000 arguments.
  it.each(REFERENCE)("is within 3 units of 2^-53 of the reference when x = %d", (x, want) => {
    expect(Math.abs(erf(x) - want)).toBeLessThanOrEqual(3 * 2 ** -53 * Math.abs(want));
  });

  it("gives +-1 from 6 on, +-1 at the infinities, NaN for NaN and keeps the sign of zero", () => {
    expect([6, 6.5, 27, 1e300, Infinity].map(erf)).toEqual([1, 1, 1, 1, 1]);
    expect([-6, -1e300, -Infinity].map(erf)).toEqual([-1, -1, -1]);
    expect(erf(NaN)).toBeNaN();
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(Object.is(erf(-0), -0)).toBe(true);
  });

  it("is odd and never decreasing when swept over [-7, 7] across the range boundaries", () => {
    const bad: number[] = [];
    let previous = -1;
    for (let i = -7 * 4096; i <= 7 * 4096; i++) {
      const x = i / 4096;
      const y = erf(x);
      if (erf(-x) !== -y || y < previous) bad.push(x);
      previous = y;
    }
    expect(bad).toEqual([]);
  });
});
