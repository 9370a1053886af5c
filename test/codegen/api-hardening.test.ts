// A generated module's API given what a careless or hostile caller gives it: every mistake is a
// one-line DataError naming what was wrong, empty problems return at once, names from
// Object.prototype are plain names, and a forward started inside another is refused, not mixed in.
import { describe, expect, it } from "vitest";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { referenceForward } from "../../src/compiler/reference.js";
import { type KernelModule, loadKernel } from "../../src/kernel.js";
import { compileOrThrow } from "../../src/index.js";
import { MAX_DIMENSION } from "../../src/shared/limits.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellSource } from "../helpers/cells.js";
import { randomTensor, rng } from "../helpers/random.js";

const random = rng(11);
const passes = PIPELINE.map((p) => p.name);

async function kernelOf(text: string, file: string): Promise<KernelModule> {
  const { optIR, source } = compileOrThrow(text, { file });
  return loadKernel(optIR, source, passes);
}

function lstmWeights(I: number, H: number, suffix = "_l0"): Record<string, Tensor> {
  return {
    [`weight_ih${suffix}`]: randomTensor(random, [4 * H, I]),
    [`weight_hh${suffix}`]: randomTensor(random, [4 * H, H]),
  };
}

/** The DataError `run` throws; its message must be one line. */
function dataError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect((e as Error).name, String(e)).toBe("DataError");
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a DataError");
}

const lstm = await kernelOf(cellSource("lstm"), "cells/lstm.cell");
const model = lstm.create(lstmWeights(3, 2));

describe("inputs", () => {
  it("returns at once, with no rows, when the batch is empty but the steps are many", () => {
    const start = performance.now();
    const input = { data: new Float32Array(0), shape: [MAX_DIMENSION, 0, 3] };
    const { output, states } = model.forward(input);
    expect(output.shape).toEqual([MAX_DIMENSION, 0, 2]);
    expect(states.h!.shape).toEqual([1, 0, 2]);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("gives back the initial states when there is no step", () => {
    const h = randomTensor(random, [1, 2, 2]);
    const { output, states } = model.forward(
      { data: new Float32Array(0), shape: [0, 2, 3] },
      { h },
    );
    expect(output.shape).toEqual([0, 2, 2]);
    expect([...states.h!.data]).toEqual([...h.data]);
  });

  it.each([
    [[2 ** 40, 0, 3], /over the limits/],
    [[2.5, 8, 3], /not a list of whole, non-negative sizes/],
    [[-2, -3, 3], /not a list of whole, non-negative sizes/],
    [[2, 3], /expected a 3-dimensional input/],
  ])("refuses an input of shape %j", (shape, message) => {
    const data = new Float32Array(
      Math.max(
        0,
        shape.reduce((a, b) => a * b, 1),
      ),
    );
    expect(dataError(() => model.forward({ data, shape }))).toMatch(message);
  });

  it("refuses data shorter than the shape and a non-tensor", () => {
    expect(dataError(() => model.forward({ data: new Float32Array(5), shape: [2, 1, 3] }))).toBe(
      "input: shape [2, 1, 3] needs 6 values, found 5",
    );
    expect(dataError(() => model.forward(null as unknown as Tensor))).toMatch(/^input: expected/);
  });

  it("refuses, before allocating, a forward whose output would be over the element limit", () => {
    const wide = lstm.create(lstmWeights(1, 2 ** 10));
    const input = { data: new Float32Array(2 ** 21), shape: [2 ** 11, 2 ** 10, 1] };
    expect(dataError(() => wide.forward(input))).toMatch(/the output of layer 0 would need/);
  });
});

describe("initial states", () => {
  const input = randomTensor(random, [4, 2, 3]);

  it("names the known states when one is misspelled", () => {
    const h0 = randomTensor(random, [1, 2, 2]);
    expect(dataError(() => model.forward(input, { hh: h0 } as never))).toBe(
      "initial states: cell 'lstm' has no state 'hh' (its states: h, c)",
    );
  });

  it("refuses a state whose data is shorter than its shape", () => {
    const h = { data: new Float32Array(3), shape: [1, 2, 2] };
    expect(dataError(() => model.forward(input, { h }))).toBe(
      "initial states: tensor 'h': shape [1, 2, 2] needs 4 values, found 3",
    );
  });

  it("runs a cell whose states are named after Object.prototype members", async () => {
    const text = cellSource("lstm")
      .replace(/\bh\b/g, "constructor")
      .replace(/\bc\b/g, "__proto__")
      .replace("cell lstm", "cell protos");
    const protos = await kernelOf(text, "protos.cell");
    const weights = lstmWeights(3, 2);
    const result = protos.create(weights).forward(input);
    const states = result.states as Record<string, Tensor>;
    expect(Object.keys(states)).toEqual(["constructor", "__proto__"]);
    expect(Object.hasOwn(states, "__proto__")).toBe(true);
    const reference = lstm.create(weights).forward(input);
    expect([...states["constructor"]!.data]).toEqual([...reference.states.h!.data]);
    expect([...states["__proto__"]!.data]).toEqual([...reference.states.c!.data]);
    // Given back as initial states, both are read (and not Object.prototype's members).
    const again = protos.create(weights).forward(input, states as never);
    const twice = lstm.create(weights).forward(input, reference.states);
    expect([...again.output.data]).toEqual([...twice.output.data]);
  });
});

describe("weights", () => {
  it("refuses a layer suffix past the layer limit and one with a leading zero", () => {
    expect(dataError(() => lstm.create(lstmWeights(3, 2, "_l4294967295")))).toMatch(
      /tensor 'weight_ih_l4294967295': layer suffix _l4294967295 is not a layer number from 0 to 1023/,
    );
    const twice = { ...lstmWeights(3, 2, "_l0"), ...lstmWeights(3, 2, "_l01") };
    expect(dataError(() => lstm.create(twice))).toMatch(/_l01 is not a layer number/);
  });

  it("refuses weights that are not tensors, here and in the float64 reference", () => {
    const ir = compileOrThrow(cellSource("lstm")).ir;
    for (const weights of [null, 7, { weight_ih_l0: [1, 2] }]) {
      expect(dataError(() => lstm.create(weights as never))).toMatch(/^weights: /);
      const x = randomTensor(random, [1, 1, 3]);
      expect(dataError(() => referenceForward(ir, weights as never, x))).toMatch(/^weights: /);
    }
  });
});

describe("sequence lengths", () => {
  const x = randomTensor(random, [4, 3, 3]);
  const steps = "expected an integer from 1 to 4, the input's steps";

  it.each([
    ["a length of 0", [0, 4, 4], `lengths: sample 0 has length 0: ${steps}`],
    ["a length past T", [4, 5, 4], `lengths: sample 1 has length 5: ${steps}`],
    ["a fraction", [4, 4, 2.5], `lengths: sample 2 has length 2.5: ${steps}`],
    ["NaN", [Number.NaN, 4, 4], `lengths: sample 0 has length NaN: ${steps}`],
    ["a string", ["3", 4, 4], `lengths: sample 0 has length "3": ${steps}`],
    ["a hole", [4, , 4], `lengths: sample 1 has length undefined: ${steps}`],
    ["an object", [4, {}, 4], `lengths: sample 1 has length Object: ${steps}`],
    ["too few", [4, 4], "lengths: expected 3 lengths, one per sample of the batch, found 2"],
    ["too many", [1, 1, 1, 1], "lengths: expected 3 lengths, one per sample of the batch, found 4"],
    [
      "floats",
      new Float32Array([1, 2, 3]),
      "lengths: expected an Int32Array or an array of integers, one per sample, found Float32Array",
    ],
    [
      "a string of digits",
      "123",
      "lengths: expected an Int32Array or an array of integers, one per sample, found string",
    ],
  ])("refuses %s in one line naming the lengths", (_, lengths, message) => {
    expect(dataError(() => model.forward(x, {}, { lengths } as never))).toBe(message);
  });

  it.each([
    [7, "forward options: expected an object such as { lengths }, found number"],
    [[3, 3, 3], "forward options: expected an object such as { lengths }, found Array"],
    [{ lenghts: [1, 2, 3] }, "forward options: unknown option 'lenghts' (known: lengths)"],
  ])("refuses forward options %j in one line", (options, message) => {
    expect(dataError(() => model.forward(x, {}, options as never))).toBe(message);
  });

  it("names the file the lengths came from when sources.lengths says", () => {
    const named = lstm.create(lstmWeights(3, 2), { sources: { lengths: "len.npy" } });
    expect(dataError(() => named.forward(x, {}, { lengths: [1, 2, 0] }))).toMatch(/^len\.npy: /);
  });

  it("takes no lengths, or an empty list, for an empty batch, and none for no steps", () => {
    const empty = { data: new Float32Array(0), shape: [4, 0, 3] };
    expect(model.forward(empty, {}, { lengths: [] }).output.shape).toEqual([4, 0, 2]);
    const none = { data: new Float32Array(0), shape: [0, 2, 3] };
    const message = "lengths: sample 0 has length 1, but the input has no steps";
    expect(dataError(() => model.forward(none, {}, { lengths: [1, 1] }))).toBe(message);
    expect(model.forward(none, {}, {}).output.shape).toEqual([0, 2, 2]);
  });

  it("refuses lengths in the float64 reference as in the kernel", () => {
    const ir = compileOrThrow(cellSource("lstm")).ir;
    const weights = lstmWeights(3, 2);
    const run = () => referenceForward(ir, weights, x, undefined, { lengths: [1, 9, 1] });
    expect(dataError(run)).toBe(`lengths: sample 1 has length 9: ${steps}`);
  });
});

describe("a forward started inside another", () => {
  it.each([1, 4])("is refused with %i thread(s), and the model still works", (threads) => {
    const weights = lstmWeights(3, 4);
    const nested = lstm.create(weights, { threads });
    const inner = randomTensor(random, [5, 8, 3]);
    const data = randomTensor(random, [5, 8, 3]).data;
    const outer = {
      shape: [5, 8, 3],
      get data() {
        nested.forward(inner);
        return data;
      },
    };
    expect(dataError(() => nested.forward(outer))).toMatch(/^forward: a forward of this model/);
    const alone = lstm.create(weights).forward({ data, shape: [5, 8, 3] });
    expect([...nested.forward({ data, shape: [5, 8, 3] }).output.data]).toEqual([
      ...alone.output.data,
    ]);
    nested.close();
  });
});
