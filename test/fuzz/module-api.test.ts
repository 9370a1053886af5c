// Fuzzes a generated module's API: random, often wrong, weights, inputs, initial states, options
// and sequence lengths for shipped cells on both targets. Every call either returns tensors of the
// shape PyTorch would (zeros past each sample's length), or throws a one-line DataError; never
// another exception, never over the budget.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { type KernelModule, loadKernel } from "../../src/kernel.js";
import { compileOrThrow } from "../../src/index.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellSource } from "../helpers/cells.js";
import { PROPERTY_TIMEOUT_MS, fuzzParameters, withinBudget } from "./settings.js";

const CELLS = ["lstm", "gru", "rnn", "lstmp"] as const;
const passes = PIPELINE.map((p) => p.name);
const kernels = new Map<string, KernelModule>();
for (const name of CELLS) {
  const { optIR, source } = compileOrThrow(cellSource(name), { file: `${name}.cell` });
  for (const target of ["wasm", "js"] as const) {
    kernels.set(`${name}/${target}`, await loadKernel(optIR, source, passes, target));
  }
}

/** Data for a shape: float32 or float64, and with `faults`, now and then one value short or over. */
const dataFor = (shape: readonly number[], faults = true) =>
  fc
    .record({
      off: faults
        ? fc.oneof(
            { weight: 12, arbitrary: fc.constant(0) },
            { weight: 1, arbitrary: fc.constantFrom(-1, 1) },
          )
        : fc.constant(0),
      f64: fc.boolean(),
    })
    .map(({ off, f64 }) => {
      const whole = shape.every((d) => Number.isInteger(d) && d >= 0);
      const n = whole ? shape.reduce((a, b) => a * b, 1) : 0;
      const length = Math.max(0, Math.min(n + off, 1 << 16));
      const data = f64 ? new Float64Array(length) : new Float32Array(length);
      for (let i = 0; i < length; i++) data[i] = Math.sin(i * 12.9898) * 0.5;
      return { data, shape };
    });

const dim = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2.5, 2 ** 31, 2 ** 40, Number.NaN) },
);

/** The weights of an L-layer, D-direction stack of `cell`, with occasional mistakes. */
function weightsFor(cell: (typeof CELLS)[number], I: number, H: number) {
  const gates = cell === "lstm" || cell === "lstmp" ? 4 : cell === "gru" ? 3 : 1;
  const P = cell === "lstmp" ? Math.max(1, H - 1) : H;
  return fc
    .record({
      layers: fc.integer({ min: 1, max: 2 }),
      directions: fc.integer({ min: 1, max: 2 }),
      mistake: fc.oneof(
        { weight: 12, arbitrary: fc.constant("none") },
        { weight: 1, arbitrary: fc.constantFrom("drop", "extra", "proto", "shape", "junk") },
      ),
    })
    .chain(({ layers, directions, mistake }) => {
      const shapes: [string, number[]][] = [];
      for (let k = 0; k < layers; k++) {
        for (let d = 0; d < directions; d++) {
          const suffix = `_l${k}${d === 1 ? "_reverse" : ""}`;
          const input = k === 0 ? I : directions * P;
          shapes.push([`weight_ih${suffix}`, [gates * H, input]]);
          shapes.push([`weight_hh${suffix}`, [gates * H, P]]);
          shapes.push([`bias_ih${suffix}`, [gates * H]]);
          if (cell === "lstmp") shapes.push([`weight_hr${suffix}`, [P, H]]);
        }
      }
      if (mistake === "drop") shapes.pop();
      if (mistake === "extra") shapes.push(["bogus_l0", [2]]);
      if (mistake === "proto") shapes.push(["__proto__", [1]], ["constructor", [1]]);
      if (mistake === "shape") shapes[0]![1] = [shapes[0]![1][0]! + 1, shapes[0]![1][1]!];
      return fc.tuple(...shapes.map(([, s]) => dataFor(s, false))).map((tensors) => {
        const entries: [string, unknown][] = shapes.map(([name], i) => [name, tensors[i]]);
        if (mistake === "junk") entries.push(["weight_hh_l0", "not a tensor"]);
        return { weights: Object.fromEntries(entries), layers, directions, P };
      });
    });
}

const problem = fc
  .record({
    cell: fc.constantFrom(...CELLS),
    target: fc.constantFrom("wasm", "js"),
    I: fc.integer({ min: 1, max: 4 }),
    H: fc.integer({ min: 1, max: 4 }),
    T: dim,
    B: dim,
    batchFirst: fc.boolean(),
    threads: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, 1.5, 99) },
    ),
    inputRank: fc.oneof(
      { weight: 8, arbitrary: fc.constant(3) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) },
    ),
    initialKind: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("none", "zeros") },
      { weight: 1, arbitrary: fc.constantFrom("wrong-shape", "unknown", "proto", "junk") },
    ),
    lengthsKind: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("none", "valid", "valid-array") },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          ...["zero", "over", "count", "fraction", "floats", "strings", "junk"],
          ...["unknown-option", "options-junk"],
        ),
      },
    ),
    lengthSeed: fc.nat(),
  })
  .chain((p) =>
    fc.record({
      p: fc.constant(p),
      w: weightsFor(p.cell, p.I, p.H),
      input: dataFor(
        [p.batchFirst ? p.B : p.T, p.batchFirst ? p.T : p.B, p.I, 1].slice(0, p.inputRank),
      ),
    }),
  );

function initialFor(
  kind: string,
  names: readonly string[],
  count: number,
  B: number,
  size: number,
): unknown {
  const zeros = (shape: number[]) => ({
    data: new Float32Array(
      Math.max(
        0,
        shape.reduce((a, b) => a * b, 1),
      ) || 0,
    ),
    shape,
  });
  const ok = Number.isInteger(B) && B >= 0 && B < 64;
  switch (kind) {
    case "zeros":
      return ok ? Object.fromEntries(names.map((n) => [n, zeros([count, B, size])])) : {};
    case "wrong-shape":
      return ok ? { [names[0]!]: zeros([count, B + 1, size]) } : {};
    case "unknown":
      return { nope: zeros([1]) };
    case "proto":
      return JSON.parse('{"__proto__": 1, "constructor": 2}') as unknown;
    case "junk":
      return 42;
    default:
      return undefined;
  }
}

/** Forward options for `kind`: valid lengths (1..T, drawn from `seed`), or one mistake. */
function lengthsFor(kind: string, T: number, B: number, seed: number): unknown {
  const ok = Number.isInteger(B) && B >= 0 && B < 64 && Number.isInteger(T) && T >= 1;
  const n = ok ? B : 2;
  const valid = Array.from({ length: n }, (_, b) => 1 + ((seed + 7919 * b) % Math.max(1, T)));
  switch (kind) {
    case "none":
      return undefined;
    case "valid":
      return { lengths: Int32Array.from(valid) };
    case "valid-array":
      return { lengths: valid };
    case "zero":
      return { lengths: valid.map((v, b) => (b === 0 ? 0 : v)) };
    case "over":
      return { lengths: valid.map((v, b) => (b === n - 1 ? T + 1 : v)) };
    case "count":
      return { lengths: [...valid, 1] };
    case "fraction":
      return { lengths: valid.map((v, b) => (b === 0 ? v - 0.5 : v)) };
    case "floats":
      return { lengths: Float32Array.from(valid) };
    case "strings":
      return { lengths: valid.map(String) };
    case "junk":
      return { lengths: "1,2" };
    case "unknown-option":
      return { lenghts: valid };
    default:
      return 7;
  }
}

/** Zeros at every step past a sample's length, for both layouts. */
function expectZeroPadding(output: Tensor, lengths: ArrayLike<number>, batchFirst: boolean) {
  const [a, b, F] = output.shape as [number, number, number];
  const [T, B] = batchFirst ? [b, a] : [a, b];
  for (let s = 0; s < B; s++) {
    for (let t = lengths[s]!; t < T; t++) {
      const row = batchFirst ? s * T + t : t * B + s;
      expect(output.data.subarray(row * F, (row + 1) * F).every((x) => x === 0)).toBe(true);
    }
  }
}

test.prop([problem], fuzzParameters(150))(
  "create and forward return PyTorch's shapes or a one-line DataError",
  ({ p, w, input }) => {
    const kernel = kernels.get(`${p.cell}/${p.target}`)!;
    const states = kernel.meta.states.map((s) => s.name);
    const count = w.layers * w.directions;
    const size = p.cell === "lstmp" ? w.P : p.H;
    const initial = initialFor(p.initialKind, states, count, Number(p.B), size);
    const options = lengthsFor(p.lengthsKind, Number(p.T), Number(p.B), p.lengthSeed);
    withinBudget(`${p.cell} ${JSON.stringify(input.shape)}`, () => {
      let model: ReturnType<KernelModule["create"]> | null = null;
      try {
        model = kernel.create(w.weights as never, { batchFirst: p.batchFirst, threads: p.threads });
        const { output } = model.forward(input, initial as never, options as never);
        const [a, b] = input.shape as [number, number];
        expect(output.shape).toEqual([a, b, w.directions * w.P]);
        const given = (options as { lengths?: ArrayLike<number> } | undefined)?.lengths;
        if (given) expectZeroPadding(output, given, p.batchFirst);
      } catch (e) {
        expect((e as Error).name, String((e as Error).stack)).toBe("DataError");
        expect((e as Error).message).not.toMatch(/\n|[\u0000-\u001f]/);
      } finally {
        model?.close();
      }
    });
  },
  PROPERTY_TIMEOUT_MS,
);
