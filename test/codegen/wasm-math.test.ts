// The WebAssembly SIMD exp, sigmoid, tanh, sin, cos and erf (src/compiler/wasm/math.ts, trig.ts,
// erf.ts) and floor against float64 Math (erf: the interpreter's float64 erf), over dense sweeps and the edges: they replace Math.exp, Math.sin ...
// in every WASM kernel, so their error bounds what the WASM target can promise beyond the GEMM's
// float32 rounding.
import { describe, expect, it } from "vitest";
import { Code } from "../../src/compiler/wasm/code.js";
import { VectorMath } from "../../src/compiler/wasm/math.js";
import { assemble } from "../../src/compiler/wasm/module.js";
import { I32, Simd } from "../../src/compiler/wasm/opcodes.js";
import { erf } from "../../src/embedded/helpers.js";
import { Heap, compileKernels } from "../../src/embedded/wasm-heap.js";
import { rng } from "../helpers/random.js";
import { TRIG_HARD_CASES } from "./trig-hard-cases.js";

type MathFn = "exp" | "sigmoid" | "tanh" | "sin" | "cos" | "erf" | "floor";

/** A module whose `fn(in, out, n)` applies one vector function to n floats, 4 at a time. */
function vectorKernel(fn: MathFn): (xs: Float32Array) => Float32Array {
  const c = new Code([I32, I32, I32]);
  const [input, output, count] = [0, 1, 2];
  const math = new VectorMath(c);
  const i = c.local(I32);
  c.openConstantPool();
  c.forLoop(
    i,
    () => c.i32(0),
    () => c.get(count),
    4,
    () => {
      c.get(output).get(i).i32(4).op(0x6c).op(0x6a); // out + 4 * i
      c.get(input).get(i).i32(4).op(0x6c).op(0x6a).load128();
      if (fn === "floor") c.simd(Simd.f32x4Floor);
      else math[fn]();
      math.release();
      c.store128();
    },
  );
  c.closeConstantPool();
  const bytes = assemble([{ name: "fn", params: c.params, locals: c.locals, body: c.bytes }]);
  // Through the runtime's own loader, as generated modules instantiate their kernels.
  const module = compileKernels(Buffer.from(bytes).toString("base64"));
  if (!module) throw new Error("test setup: no WebAssembly SIMD here");
  const heap = new Heap<{ fn(input: number, output: number, n: number): void }>(module);
  return (xs) => {
    const n = Math.ceil(xs.length / 4) * 4;
    const [input, output] = [heap.alloc(n), heap.alloc(n)];
    heap.f32.fill(0, input, input + n);
    heap.f32.set(xs, input);
    heap.kernels.fn(4 * input, 4 * output, n);
    return heap.f32.slice(output, output + xs.length);
  };
}

const REFERENCE: Record<MathFn, (x: number) => number> = {
  exp: Math.exp,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  sin: Math.sin,
  cos: Math.cos,
  erf,
  floor: Math.floor,
};

/** Every float32 step of 1/256 over [-lo, hi], plus the points where the formulas switch. */
function sweep(lo: number, hi: number): Float32Array {
  const xs: number[] = [];
  for (let x = lo; x <= hi; x += 1 / 256) xs.push(x);
  xs.push(0.625, -0.625, Math.fround(0.625 - 1e-7), 1e-6, -1e-6, 1e-30, -1e-30);
  return Float32Array.from(xs);
}

/** The largest error in units of float32 precision (2^-24) relative to the value. */
function worstError(fn: MathFn, xs: Float32Array): { x: number; units: number } {
  const got = vectorKernel(fn)(xs);
  let worst = { x: 0, units: 0 };
  xs.forEach((x, i) => {
    const want = REFERENCE[fn](x);
    const units = Math.abs(got[i]! - want) / Math.max(Math.abs(want), 2 ** -126) / 2 ** -24;
    if (units > worst.units) worst = { x, units };
  });
  return worst;
}

describe("WebAssembly SIMD math", () => {
  // Measured: exp 2.5, sigmoid 2.8, tanh 3.3 units; the bound leaves a little room and is still
  // a millionth of the fixtures' tolerances, so a wrong constant or a dropped term fails here.
  it.each<[MathFn, number, number]>([
    ["exp", -80, 80],
    ["sigmoid", -40, 40],
    ["tanh", -12, 12],
  ])("%s stays within 4 float32 units of Math on [%d, %d]", (fn, lo, hi) => {
    const worst = worstError(fn, sweep(lo, hi));
    expect(worst.units, `worst at x = ${worst.x}`).toBeLessThan(4);
  });

  it("gives exact limits and propagates NaN", () => {
    const xs = Float32Array.from([Infinity, -Infinity, 100, -100, 1e30, -1e30, NaN, 0, -0]);
    const exp = vectorKernel("exp")(xs);
    // Math.exp(-100) is a float32 subnormal (3.6e-44); exp flushes below e^-86.6 to 0.
    expect(Array.from(exp)).toEqual([Infinity, 0, Infinity, 0, Infinity, 0, NaN, 1, 1]);
    const sigmoid = vectorKernel("sigmoid")(xs);
    expect(Array.from(sigmoid)).toEqual([1, 0, 1, 0, 1, 0, NaN, 0.5, 0.5]);
    const tanh = vectorKernel("tanh")(xs);
    expect(Array.from(tanh.slice(0, 8))).toEqual([1, -1, 1, -1, 1, -1, NaN, 0]);
    // The sign of tanh(-0) is not kept (x + x^3 P(x^2) adds +0 to -0); its value is.
    expect(tanh[8]).toBe(0);
  });
});

/** Float32 values from random bit patterns: every magnitude alike, 2^-149 to 3.4e38 (no NaN). */
function randomFloats(count: number): Float32Array {
  const random = rng(11);
  const bits = new Uint32Array(1);
  const value = new Float32Array(bits.buffer);
  const out: number[] = [];
  while (out.length < count) {
    bits[0] = Math.floor(random() * 2 ** 32);
    if (Number.isFinite(value[0]!)) out.push(value[0]!);
  }
  return Float32Array.from(out);
}

/** The hardest argument of each binade (tools/trig_hard_cases.py), with its negation. */
function hardCases(): Float32Array {
  const bits = Uint32Array.from(TRIG_HARD_CASES.flatMap((b) => [b, b | 0x80000000]));
  return new Float32Array(bits.buffer);
}

/** Ordinary arguments, each vector of four with a lane past 2^20: the exact reduction for all. */
function besideLargeLanes(): Float32Array {
  const xs: number[] = [];
  for (let x = -10; x <= 10; x += 1 / 64) xs.push(x, x + 1 / 128, Math.fround(x * Math.PI), 3e30);
  return Float32Array.from(xs);
}

describe("WebAssembly SIMD sin and cos", () => {
  // Measured: at most 1.0 unit everywhere, i.e. the float32 rounding of the exact value (half a
  // float32 ulp is up to 2^-24 relative), also over every finite float32 (tools/trig_exhaustive.mjs:
  // sin 0.99991, cos 0.99995); dropping a 24-bit piece of 2/pi gives 100 units at the hard cases,
  // and the three-part reduction past 2^20 millions.
  it.each<[string, () => Float32Array]>([
    ["a dense sweep of [-100, 100]", () => sweep(-100, 100)],
    ["random float32 values of every magnitude", () => randomFloats(100_000)],
    ["the hardest argument of each binade up to 2^128", hardCases],
    ["ordinary arguments reduced beside a large one", besideLargeLanes],
  ])("stays within 1.5 float32 units of Math on %s", (_, xs) => {
    const inputs = xs();
    for (const fn of ["sin", "cos"] as const) {
      const worst = worstError(fn, inputs);
      expect(worst.units, `${fn} worst at x = ${worst.x}`).toBeLessThan(1.5);
    }
  });

  it("gives NaN for infinities and NaN, and exact values at 0", () => {
    const xs = Float32Array.from([Infinity, -Infinity, NaN, 0, -0, 3e38, -3e38, 5]);
    const sin = vectorKernel("sin")(xs);
    const cos = vectorKernel("cos")(xs);
    expect(Array.from(sin.slice(0, 4))).toEqual([NaN, NaN, NaN, 0]);
    expect(Array.from(cos.slice(0, 5))).toEqual([NaN, NaN, NaN, 1, 1]);
    // The sign of sin(-0) is not kept (-0 - 0 * pi/2 is +0); its value is.
    expect(sin[4]).toBe(0);
    expect(Array.from(sin.slice(5))).toEqual(
      Array.from(xs.slice(5), (x) => Math.fround(Math.sin(x))),
    );
  });
});

describe("WebAssembly SIMD floor", () => {
  it("equals Math.floor when applied to fractions, whole numbers, -0, large values and NaN", () => {
    const xs = Float32Array.from([
      ...sweep(-20, 20),
      ...[-0, 0.5, -0.5, 2 ** 23 + 1, -(2 ** 24), 3e38, -3e38, Infinity, -Infinity, NaN],
    ]);
    const got = vectorKernel("floor")(xs);
    expect(Array.from(got)).toEqual(Array.from(xs, Math.floor));
  });
});

describe("WebAssembly SIMD erf", () => {
  // Measured: 1.015 units at worst over every finite float32 (tools/erf_exhaustive.mjs): the
  // float32 rounding (up to 1 unit) plus the fit's 9.3e-10. A coefficient off in its sixth digit
  // gives 24 units; a clamp at 3.9 instead of 4 fails the exact ends below.
  it.each<[string, () => Float32Array]>([
    ["a dense sweep of [-8, 8]", () => sweep(-8, 8)],
    ["random float32 values of every magnitude", () => randomFloats(100_000)],
  ])("stays within 1.1 float32 units of the float64 erf on %s", (_, xs) => {
    const worst = worstError("erf", xs());
    expect(worst.units, `worst at x = ${worst.x}`).toBeLessThan(1.1);
  });

  it("gives exactly +-1 past 4 and at the infinities, keeps -0 and propagates NaN", () => {
    const xs = Float32Array.from([Infinity, -Infinity, 4, -4, 3.95, 1e30, -3e38, NaN, 0, -0]);
    const got = vectorKernel("erf")(xs);
    expect(Array.from(got.slice(0, 7))).toEqual([1, -1, 1, -1, 1, 1, -1]);
    expect(got[7]).toBeNaN();
    expect(Object.is(got[8], 0)).toBe(true);
    expect(Object.is(got[9], -0)).toBe(true);
  });
});
