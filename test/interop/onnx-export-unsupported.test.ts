// The refusal of an operation ONNX has no form for. Every op of today's IR has one, so the test
// takes `sin` out of the table (as a new primitive would start) and expects the user's one line.
import { describe, expect, it, vi } from "vitest";
import { compileOrThrow } from "../../src/index.js";
import { exportOnnx } from "../../src/interop/onnx-export/export-model.js";
import { randomTensor, rng } from "../helpers/random.js";

vi.mock("../../src/interop/onnx-export/op-table.js", async (original) => {
  const table = await original<typeof import("../../src/interop/onnx-export/op-table.js")>();
  const { sin: _sin, ...others } = table.UNARY_FORMS;
  return { ...table, UNARY_FORMS: others };
});

describe("ONNX export of an operation ONNX cannot express", () => {
  it("refuses it with one line naming the operation and the cell", () => {
    const text = `cell wave\nsize I, H\ninput x : [I]\nstate h : [H]\nparam W : [H, I]\nh' = sin(W @ x) + h\noutput h'\n`;
    const ir = compileOrThrow(text, { file: "wave.cell" }).optIR;
    const weights = new Map([["W", randomTensor(rng(3), [2, 2])]]);
    expect(() => exportOnnx(ir, weights, { sources: { cell: "wave.cell" } })).toThrow(
      /^wave\.cell: operation 'sin' has no ONNX equivalent, so the cell cannot be exported$/,
    );
  });
});
