// What the ONNX importer refuses, each with one line naming the node or value and what is not
// supported; and names from the model (quotes, newlines, unicode) never reaching the .cell text.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeModel } from "../../src/interop/onnx/proto.js";
import type { ModelProto, NodeProto, TensorProto } from "../../src/interop/onnx/types.js";
import { importOnnx } from "../../src/interop/onnx-import/index.js";
import { importedFiles } from "../../src/interop/stack/index.js";
import { compile } from "../../src/index.js";
import { cellc, STACK_FRAME } from "../helpers/cli.js";
import { type AttrValue, floatTensor, int64Tensor, model, node, valueInfo } from "./onnx-models.js";

const I = 2;
const H = 3;
const weights = (G: number, D = 1, prefix = ""): TensorProto[] => [
  floatTensor(`${prefix}W`, [D, G * H, I], new Array(D * G * H * I).fill(0.1)),
  floatTensor(`${prefix}R`, [D, G * H, H], new Array(D * G * H * H).fill(0.1)),
];

/** One LSTM node reading X; extra nodes, attributes and initializers as given. */
function lstm(
  attrs: Record<string, AttrValue> = {},
  extra: { nodes?: NodeProto[]; inits?: TensorProto[]; outputs?: string[]; opset?: number } = {},
): ModelProto {
  return model({
    nodes: [
      node("LSTM", ["X", "W", "R"], ["Y", "Y_h"], { hidden_size: H, ...attrs }, "lstm"),
      ...(extra.nodes ?? []),
    ],
    initializers: [
      ...weights(4, attrs["direction"] === "bidirectional" ? 2 : 1),
      ...(extra.inits ?? []),
    ],
    inputs: [valueInfo("X", ["T", "B", I])],
    outputs: extra.outputs ?? ["Y", "Y_h"],
    opset: extra.opset ?? 14,
  });
}

const refused = (m: ModelProto): string => {
  try {
    importOnnx(encodeModel(m), "m.onnx");
  } catch (e) {
    expect((e as Error).name).toBe("DataError");
    const message = (e as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    return message;
  }
  throw new Error("the model was imported");
};

describe("ONNX import refuses", () => {
  it("an operator it does not import, naming the node", () => {
    const m = lstm({}, { nodes: [node("Add", ["Y", "Y"], ["Z"], {}, "adder")], outputs: ["Z"] });
    expect(refused(m)).toMatch(
      /^m\.onnx: node 1 'adder' \(Add\): Add is not supported: cellc imports LSTM, GRU and RNN nodes/,
    );
  });

  it("a Scan", () => {
    const m = model({
      nodes: [node("Scan", ["X"], ["Y"], { num_scan_inputs: 1 }, "loop")],
      initializers: [],
      inputs: [valueInfo("X", [2, 1, 2])],
      outputs: ["Y"],
      opset: 14,
    });
    expect(refused(m)).toMatch(
      /node 0 'loop' \(Scan\): Scan \(a loop over a subgraph\) is not supported/,
    );
  });

  it("weights given as graph inputs without initializers", () => {
    const m = model({
      nodes: [node("RNN", ["X", "W", "R"], ["Y"], { hidden_size: H })],
      initializers: [floatTensor("R", [1, H, H], new Array(H * H).fill(0))],
      inputs: [valueInfo("X", [2, 1, I]), valueInfo("W", [1, H, I])],
      outputs: ["Y"],
      opset: 14,
    });
    expect(refused(m)).toMatch(
      /node 0 \(RNN\): input W is not a constant: cellc needs the weights in the file \(initializers\)/,
    );
  });

  it("a graph input without a shape that a node reads, but not one nothing reads", () => {
    const shapeless = (read: boolean) =>
      model({
        nodes: [node("RNN", [read ? "S" : "X", "W", "R"], ["Y"], { hidden_size: H })],
        initializers: weights(1),
        inputs: [valueInfo("X", [2, 1, I]), { name: "S" }],
        outputs: ["Y"],
        opset: 14,
      });
    expect(refused(shapeless(true))).toMatch(
      /node 0 \(RNN\): reads graph input 'S', which has no shape, so its axes are unknown/,
    );
    expect(importOnnx(encodeModel(shapeless(false)), "m.onnx").stack.cell.kind).toBe("rnn");
  });

  it("a value no one defines", () => {
    const m = model({
      nodes: [node("RNN", ["X", "W", "R"], ["Y"], { hidden_size: H })],
      initializers: [floatTensor("W", [1, H, I], new Array(H * I).fill(0))],
      inputs: [valueInfo("X", [2, 1, I])],
      outputs: ["Y"],
      opset: 14,
    });
    expect(refused(m)).toMatch(
      /input 'R' is not defined by an initializer, a graph input or an earlier node/,
    );
  });

  it("directions with different activations", () => {
    const m = lstm({
      direction: "bidirectional",
      activations: ["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Relu", "Tanh"],
    });
    expect(refused(m)).toMatch(
      /the two directions use different activations, which one cellc cell cannot compute/,
    );
  });

  it("stacked layers whose cells differ", () => {
    const m = model({
      nodes: [
        node("LSTM", ["X", "W", "R"], ["Y"], { hidden_size: H }, "first"),
        node("Squeeze", ["Y", "axes"], ["Z"]),
        node("LSTM", ["Z", "W2", "R2"], ["Y2"], { hidden_size: H, clip: { float: 2 } }, "second"),
      ],
      initializers: [
        ...weights(4),
        floatTensor("W2", [1, 4 * H, H], new Array(4 * H * H).fill(0.1)),
        floatTensor("R2", [1, 4 * H, H], new Array(4 * H * H).fill(0.1)),
        int64Tensor("axes", [1]),
      ],
      inputs: [valueInfo("X", [2, 1, I])],
      outputs: ["Y2"],
      opset: 14,
    });
    expect(refused(m)).toMatch(
      /node 2 'second' \(LSTM\): computes another cell than node 0 'first' \(LSTM\)/,
    );
  });

  it("attributes it does not know, bad values, opsets out of range, bytes that are no model", () => {
    expect(refused(lstm({ output_sequence: 1 }))).toMatch(
      /attribute 'output_sequence' is not supported/,
    );
    expect(refused(lstm({ direction: "sideways" }))).toMatch(
      /direction 'sideways' is not forward, reverse or bidirectional/,
    );
    expect(refused(lstm({ activations: ["Sigmoid", "Tanh", "Gelu"] }))).toMatch(
      /activation 'Gelu' is not one of ONNX's/,
    );
    expect(refused(lstm({ clip: { float: -1 } }))).toMatch(/clip -1 is not a positive number/);
    expect(refused(lstm({}, { opset: 6 }))).toMatch(
      /^m\.onnx: opset 6: cellc imports opsets 7 to 22$/,
    );
    expect(() => importOnnx(Uint8Array.of(1, 2, 3), "junk.onnx")).toThrow(
      /^junk\.onnx: not an ONNX model/,
    );
  });

  it("an output that is not one cellc writes", () => {
    const m = lstm(
      {},
      { nodes: [node("Transpose", ["Y_h"], ["Z"], { perm: [2, 1, 0] })], outputs: ["Z"] },
    );
    expect(refused(m)).toMatch(
      /graph output 'Z' holds final states laid out \(H, B, D\), which is no file cellc run writes/,
    );
  });
});

describe("ONNX import of hostile names", () => {
  const evil = "x'\n# injected\ncell evil\u202e\u0000\"🙂";
  const m = model({
    nodes: [
      node(
        "GRU",
        [evil, `${evil}W`, `${evil}R`],
        [`${evil}Y`, `${evil}Y_h`],
        { hidden_size: H },
        evil,
      ),
    ],
    initializers: weights(3, 1, evil),
    inputs: [valueInfo(evil, ["T", "B", I])],
    outputs: [`${evil}Y`, `${evil}Y_h`],
    opset: 14,
  });
  const hostile: ModelProto = { ...m, producer_name: evil, producer_version: evil };

  it("keeps them out of the .cell text, which compiles", () => {
    const { stack } = importOnnx(encodeModel(hostile), `${evil}.onnx`);
    const { cellText } = importedFiles(stack);
    expect(cellText).not.toMatch(/injected|evil|🙂|\u202e|\u0000/);
    expect(cellText).toMatch(/^[\x20-\x7e\n]*$/);
    expect(compile(cellText).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("shows them escaped on the command line", () => {
    const dir = mkdtempSync(join(tmpdir(), "cellc-hostile-"));
    const file = join(dir, "evil.onnx");
    writeFileSync(file, encodeModel(hostile));
    const r = cellc(["import", file, "-o", join(dir, "out")]);
    expect(r.code).toBe(0);
    // Control characters are escaped (printable()); the text stays one line per file.
    expect(r.stdout).toContain("graph input 'x'\\x0a# injected\\x0acell evil");
    expect(r.stdout.split("\n").filter((l) => l.includes("injected"))).toHaveLength(3);
    expect(readFileSync(join(dir, "out", "model.cell"), "utf8")).not.toContain("injected");
  });
});

describe("cellc import on the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "cellc-import-"));

  it("refuses a bad model in one line, without a stack trace", () => {
    const file = join(dir, "scan.onnx");
    writeFileSync(
      file,
      encodeModel(lstm({}, { nodes: [node("Scan", ["Y"], ["Z"], {}, "s")], outputs: ["Z"] })),
    );
    const r = cellc(["import", file, "-o", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^cellc: .*scan\.onnx: node 1 's' \(Scan\): Scan \(a loop over a subgraph\) is not supported: .*\n$/,
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it("refuses a missing -o, a second model and a file that is not .onnx as usage errors", () => {
    expect(cellc(["import", "m.onnx"]).stderr).toBe(
      "cellc: missing -o DIR (see 'cellc import --help')\n",
    );
    expect(cellc(["import", "a.onnx", "b.onnx", "-o", dir]).code).toBe(2);
    expect(cellc(["import", "model.h5", "-o", dir]).stderr).toMatch(
      /^cellc: 'model\.h5': cellc imports \.onnx files/,
    );
  });

  it("says how a layout-1 node's states and outputs map onto cellc run's", () => {
    const file = join(dir, "layout1.onnx");
    const m = model({
      nodes: [
        node("LSTM", ["X", "W", "R", "", "L", "H0", "C0"], ["Y", "Y_h", "Y_c"], {
          hidden_size: H,
          layout: 1,
        }),
      ],
      initializers: weights(4),
      inputs: [
        valueInfo("X", ["B", "T", I]),
        valueInfo("L", ["B"], 6),
        valueInfo("H0", ["B", 1, H]),
        valueInfo("C0", ["B", 1, H]),
      ],
      outputs: ["Y", "Y_h", "Y_c"],
      opset: 14,
    });
    writeFileSync(file, encodeModel(m));
    const r = cellc(["import", file, "-o", join(dir, "layout1")]);
    expect(r.stdout).toContain(
      "--input INPUT.npy --batch-first --lengths LENGTHS.npy --state h=H0.npy --state c=C0.npy --out OUT",
    );
    expect(r.stdout).toContain(
      "H0.npy          graph input 'H0', (B, D, H): cellc takes (D, B, H), transpose it first",
    );
    expect(r.stdout).toContain(
      "OUT/output.npy  graph output 'Y', (B, T, D, H): cellc's output.npy holds the same numbers as (B, T, D*H)",
    );
    expect(r.stdout).toContain(
      "OUT/h_n.npy     graph output 'Y_h', (B, D, H): cellc's h_n.npy is (D, B, H)",
    );
  });
});
