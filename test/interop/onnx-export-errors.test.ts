// What `exportOnnx` and `cellc export` refuse, each with one line naming the problem: missing or
// mis-shaped weights (the runtime's own messages), an input size the weights do not tell, a state
// name that would clash with another of the model's names, and command-line mistakes. Also: every
// op of the IR has an ONNX form, so no shipped operation is refused.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BINARY_OPS, UNARY_OPS } from "../../src/compiler/ir/ir.js";
import { compileOrThrow } from "../../src/index.js";
import { exportOnnx } from "../../src/interop/onnx-export/export-model.js";
import {
  ARITHMETIC_FORMS,
  COMPARISON_FORMS,
  UNARY_FORMS,
} from "../../src/interop/onnx-export/op-table.js";
import { decodeModel } from "../../src/interop/onnx/proto.js";
import { readDataFile, writeSafetensors } from "../../src/runtime/node-files.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellSource } from "../helpers/cells.js";
import { STACK_FRAME, cellc } from "../helpers/cli.js";
import { randomTensor, rng } from "../helpers/random.js";

const dir = mkdtempSync(join(tmpdir(), "cellc-export-"));

function lstmWeights(): Map<string, Tensor> {
  const random = rng(5);
  const [H, I] = [3, 2];
  return new Map([
    ["weight_ih_l0", randomTensor(random, [4 * H, I])],
    ["weight_hh_l0", randomTensor(random, [4 * H, H])],
  ]);
}

const lstm = () => compileOrThrow(cellSource("lstm"), { file: "cells/lstm.cell" }).optIR;

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("ONNX export errors", () => {
  it("has an ONNX form for every operation of the IR", () => {
    for (const op of UNARY_OPS) expect(UNARY_FORMS[op], op).toBeDefined();
    for (const op of BINARY_OPS)
      expect(ARITHMETIC_FORMS[op] ?? COMPARISON_FORMS[op], op).toBeDefined();
  });

  it("names a missing weight and the shape it needs", () => {
    const weights = lstmWeights();
    weights.delete("weight_hh_l0");
    const message = thrown(() => exportOnnx(lstm(), weights, { sources: { weights: "w.st" } }));
    expect(message).toBe(
      "w.st: tensor 'weight_hh_l0': missing (expected shape [4*H, H] = [12, 3])",
    );
  });

  it("names a mis-shaped weight", () => {
    const weights = lstmWeights();
    weights.set("weight_hh_l0", randomTensor(rng(1), [12, 4]));
    expect(thrown(() => exportOnnx(lstm(), weights))).toBe(
      "weights: tensor 'weight_hh_l0': expected shape [4*H, H] = [12, 3], found [12, 4]",
    );
  });

  it("asks for the input size when the weights do not tell it", () => {
    const text = "cell sum\nsize H\ninput x : [H]\nstate h : [H]\nh' = h + x\noutput h'\n";
    const ir = compileOrThrow(text, { file: "sum.cell" }).optIR;
    expect(thrown(() => exportOnnx(ir, new Map()))).toBe(
      "weights: the weights do not tell the input size of cell 'sum' (give it: --input-size N)",
    );
    expect(exportOnnx(ir, new Map(), { inputSize: 3 }).layers).toBe(1);
  });

  it("refuses states whose names would clash in the model's interface", () => {
    const text = `cell clash\nsize I, H\ninput x : [I]\nstate initial_a : [H]\nstate a_n : [H]\nparam W : [H, I]\ninitial_a' = W @ x\na_n' = W @ x\noutput a_n'\n`;
    const ir = compileOrThrow(text, { file: "clash.cell" }).optIR;
    const weights = new Map([["W", randomTensor(rng(2), [2, 2])]]);
    const message = thrown(() => exportOnnx(ir, weights, { initialStates: true }));
    expect(message).toMatch(
      /^cell 'clash': two of the model's inputs and outputs would be named 'initial_a_n'/,
    );
  });
});

describe("cellc export", () => {
  const weightsFile = join(dir, "lstm.safetensors");
  writeSafetensors(weightsFile, lstmWeights());

  it("writes a model ONNX can read and says what it wrote", () => {
    const out = join(dir, "lstm.onnx");
    const r = cellc([
      "export",
      "cells/lstm.cell",
      "--weights",
      weightsFile,
      "-o",
      out,
      "--lengths",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${out} (opset 17; 1 layer, forward; ONNX LSTM)\n`);
    const graph = decodeModel(readDataFile(out), out).graph!;
    expect(graph.input.map((v) => v.name)).toEqual(["X", "sequence_lens"]);
    expect(graph.output.map((v) => v.name)).toEqual(["output", "h_n", "c_n"]);
  });

  it.each([
    { args: ["cells/lstm.cell", "-o", "m.onnx"], line: "missing --weights" },
    { args: ["cells/lstm.cell", "--weights", "w"], line: "missing -o FILE" },
    { args: ["--weights", "w", "-o", "m.onnx"], line: "export takes exactly one CELL" },
    {
      args: ["cells/lstm.cell", "--weights", "w", "-o", "m.onnx", "--input-size", "0"],
      line: "--input-size expects a whole number of 1 or more; got '0'",
    },
  ])("refuses '$line' with one line and exit 2", ({ args, line }) => {
    const r = cellc(["export", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toContain(line);
    expect(r.stderr.trim().split("\n").length).toBe(1);
  });

  it("reports a weight that does not fit the cell in one line, exit 1, and writes nothing", () => {
    const out = join(dir, "gru.onnx");
    const r = cellc(["export", "cells/gru.cell", "--weights", weightsFile, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `cellc: ${weightsFile}: tensor 'weight_hh_l0': expected shape [3*H, H] = [12, 4], found [12, 3]\n`,
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(out)).toBe(false);
  });
});
