// Wrong weights, inputs and states give one-line errors naming the source and the tensor, with
// the expected shape (sizes filled in) and the shape found.
import { describe, expect, it } from "vitest";
import { referenceForward } from "../../src/compiler/reference.js";
import { DataError } from "../../src/shared/data-error.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { compileOrThrow } from "../../src/index.js";
import { compileCell } from "../helpers/cells.js";
import { randomTensor, rng } from "../helpers/random.js";

const random = rng(7);
const lstm = compileCell("lstm");
const lstmp = compileCell("lstmp");

function lstmWeights(I: number, H: number, suffix = "_l0"): Map<string, Tensor> {
  return new Map([
    [`weight_ih${suffix}`, randomTensor(random, [4 * H, I])],
    [`weight_hh${suffix}`, randomTensor(random, [4 * H, H])],
    [`bias_ih${suffix}`, randomTensor(random, [4 * H])],
    [`bias_hh${suffix}`, randomTensor(random, [4 * H])],
  ]);
}

function errorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error("expected a DataError");
}

const sources = { weights: "w.safetensors", input: "x.npy", states: { h: "h0.npy" } };
const input = (T: number, B: number, I: number) => randomTensor(random, [T, B, I]);

describe("stack loading errors", () => {
  it("names the missing tensor and its expected shape when a weight is absent", () => {
    const w = lstmWeights(3, 2);
    w.delete("weight_hh_l0");
    const e = errorOf(() => referenceForward(lstm, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toBe(
      "w.safetensors: tensor 'weight_hh_l0': missing (expected shape [4*H, H] = [8, 2])",
    );
  });

  it("fills an absent optional bias with zeros instead of failing", () => {
    const w = lstmWeights(3, 2);
    w.delete("bias_ih_l0");
    w.delete("bias_hh_l0");
    expect(() => referenceForward(lstm, w, input(2, 1, 3))).not.toThrow();
  });

  it("names the tensor, the expected and the found shape when a weight is mis-shaped", () => {
    const w = lstmWeights(3, 2);
    w.set("weight_hh_l0", randomTensor(random, [8, 3]));
    const e = errorOf(() => referenceForward(lstm, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toBe(
      "w.safetensors: tensor 'weight_hh_l0': expected shape [4*H, H] = [8, 2], found [8, 3]",
    );
  });

  it("reports a weight whose first dimension is not a multiple of 4 for the LSTM", () => {
    const w = lstmWeights(3, 2);
    w.set("weight_ih_l0", randomTensor(random, [7, 3]));
    const e = errorOf(() => referenceForward(lstm, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toContain(
      "tensor 'weight_ih_l0': expected shape [4*H, I] = [8, 3], found [7, 3]",
    );
  });

  it("blames the input when its size does not match the weights", () => {
    const e = errorOf(() =>
      referenceForward(lstm, lstmWeights(3, 2), input(2, 1, 5), {}, { sources }),
    );
    expect(e.message).toBe(
      "x.npy: has 5 features per step, but the weights (weight_ih_l0) expect 3",
    );
  });

  it("rejects an input that is not (T, B, I)", () => {
    const e = errorOf(() =>
      referenceForward(lstm, lstmWeights(3, 2), randomTensor(random, [2, 3]), {}, { sources }),
    );
    expect(e.message).toBe(
      "x.npy: expected a 3-dimensional input (time, batch, features), found shape [2, 3]",
    );
  });

  it("rejects a tensor that is not a parameter of the cell", () => {
    const w = lstmWeights(3, 2);
    w.set("weight_xx_l0", randomTensor(random, [2]));
    const e = errorOf(() => referenceForward(lstm, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toMatch(
      /^w\.safetensors: tensor 'weight_xx_l0': not a parameter of cell 'lstm'/,
    );
  });

  it("rejects a stack with a missing layer", () => {
    const w = new Map([...lstmWeights(3, 2, "_l0"), ...lstmWeights(2, 2, "_l2")]);
    const e = errorOf(() => referenceForward(lstm, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toBe("w.safetensors: layer 1 is missing (found weights for layer 2)");
  });

  it("checks that layer k+1 reads what layer k writes", () => {
    const w = new Map([...lstmWeights(3, 2, "_l0"), ...lstmWeights(5, 2, "_l1")]);
    const e = errorOf(() => referenceForward(lstm, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toBe(
      "w.safetensors: layer 1 expects 5 input features, but layer 0 produces 2",
    );
  });

  it("names the state and the expected (L*D, B, size) shape for a bad initial state", () => {
    const h0 = randomTensor(random, [1, 2, 3]);
    const e = errorOf(() =>
      referenceForward(lstm, lstmWeights(3, 2), input(2, 1, 3), { h: h0 }, { sources }),
    );
    expect(e.message).toBe(
      "h0.npy: tensor 'h': expected shape (layers*directions, batch, size) = [1, 1, 2], found [1, 2, 3]",
    );
  });

  it("learns P from weight_hh and then reports weight_hr missing for the projected cell", () => {
    const w = lstmWeights(3, 2);
    const e = errorOf(() => referenceForward(lstmp, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toBe(
      "w.safetensors: tensor 'weight_hr_l0': missing (expected shape [P, H] = [2, 2])",
    );
  });

  it("says which sizes it cannot infer when the weights only fix their sum", () => {
    const text = [
      "cell free",
      "size I, H, K",
      "input x : [I]",
      "state h : [H + K]",
      "param w : [H + K, I]",
      "h' = w @ x",
      "output h'",
    ].join("\n");
    const ir = compileOrThrow(text).ir;
    const w = new Map([["w", randomTensor(random, [2, 3])]]);
    const e = errorOf(() => referenceForward(ir, w, input(2, 1, 3), {}, { sources }));
    expect(e.message).toBe(
      "w.safetensors: cannot tell sizes 'H', 'K' of cell 'free' from the weights",
    );
  });
});
