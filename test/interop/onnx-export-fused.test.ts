// Which operators an export is made of, read back from the model's bytes: the shipped cells that
// are ONNX's LSTM, GRU and RNN (with ONNX activations, overrides included) become those operators,
// one node per layer, both directions in it; a cell that differs from them in any way (a clipped
// or user-defined activation, a changed equation) becomes Scans. Each model also runs in ONNX
// Runtime against the kernel, except where a discontinuous activation could flip on rounding.
import { describe, expect, it } from "vitest";
import { decodeModel } from "../../src/interop/onnx/proto.js";
import type { AttributeProto, NodeProto } from "../../src/interop/onnx/types.js";
import { cellSource } from "../helpers/cells.js";
import { makeStack, uniform, variantCache } from "../codegen/harness.js";
import { rng } from "../helpers/random.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { checkExport, type ExportCase } from "./onnx-export-harness.js";

const compiled = variantCache();

const STACK: ExportCase = {
  layers: 2,
  bidirectional: true,
  batchFirst: false,
  T: 4,
  B: 3,
  sizes: { I: 3, H: 4 },
  lengths: true,
  initial: true,
  withOptional: true,
};

async function exported(text: string, file: string, activations: Record<string, string> = {}) {
  const v = await compiled(text, file, "pipeline", activations);
  const m = await checkExport(v, STACK, 7, `${file} ${JSON.stringify(activations)}`);
  return decodeModel(m.exported.bytes, file).graph!.node;
}

const opTypes = (nodes: readonly NodeProto[]) => nodes.map((n) => n.op_type);

function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

interface Override {
  readonly cell: string;
  readonly act: Record<string, string>;
  readonly names: readonly string[];
}

interface Variant {
  readonly what: string;
  readonly text: string;
  readonly act: Record<string, string>;
}

const strings = (a: AttributeProto | undefined) =>
  (a?.strings ?? []).map((s) => new TextDecoder().decode(s));

describe("ONNX export as the fused operators", () => {
  it.each([
    { cell: "lstm", op: "LSTM", attrs: {}, inputs: 7 },
    { cell: "peephole_lstm", op: "LSTM", attrs: {}, inputs: 8 },
    { cell: "cifg_lstm", op: "LSTM", attrs: { input_forget: 1 }, inputs: 8 },
    { cell: "gru", op: "GRU", attrs: { linear_before_reset: 1 }, inputs: 6 },
    { cell: "gru_reset_before", op: "GRU", attrs: { linear_before_reset: 0 }, inputs: 6 },
    { cell: "rnn", op: "RNN", attrs: {}, inputs: 6 },
  ])(
    "writes $cell as one bidirectional ONNX $op per layer",
    async ({ cell, op, attrs, inputs }) => {
      const nodes = await exported(cellSource(cell), `${cell}.cell`);
      const fused = nodes.filter((n) => n.op_type === op);
      expect(fused.length).toBe(2);
      expect(opTypes(nodes)).not.toContain("Scan");
      for (const node of fused) {
        expect(new TextDecoder().decode(attribute(node, "direction")?.s)).toBe("bidirectional");
        expect(attribute(node, "hidden_size")?.i).toBe(4);
        for (const [name, value] of Object.entries(attrs))
          expect(attribute(node, name)?.i).toBe(value);
        // X, W, R, B, sequence_lens, initial_h (, initial_c, P for peepholes)
        expect(node.input.length).toBe(inputs);
        expect(node.input[4]).toBe("sequence_lens");
      }
    },
  );

  it.each<Override>([
    {
      cell: "lstm",
      act: { gate: "hard_sigmoid(0.25, 0.5)", cand: "scaled_tanh(1.5, 0.75)", cell: "softsign" },
      names: ["HardSigmoid", "ScaledTanh", "Softsign"],
    },
    { cell: "lstm", act: { cell: "linear" }, names: ["Sigmoid", "Tanh", "Affine"] },
    { cell: "gru", act: { gate: "hard_sigmoid", cand: "elu(0.5)" }, names: ["HardSigmoid", "Elu"] },
    { cell: "gru_reset_before", act: { cand: "softplus" }, names: ["Sigmoid", "Softplus"] },
    { cell: "rnn", act: { act: "relu" }, names: ["Relu"] },
    { cell: "rnn", act: { act: "leaky_relu(0.1)" }, names: ["LeakyRelu"] },
    { cell: "rnn", act: { act: "affine(0.5, 0.25)" }, names: ["Affine"] },
    {
      cell: "peephole_lstm",
      act: { gate: "hard_sigmoid" },
      names: ["HardSigmoid", "Tanh", "Tanh"],
    },
  ])(
    "keeps the fused operator for $cell with ONNX activations $act",
    async ({ cell, act, names }) => {
      const nodes = await exported(cellSource(cell), `${cell}.cell`, act);
      const fused = nodes.filter((n) => ["LSTM", "GRU", "RNN"].includes(n.op_type ?? ""));
      expect(fused.length).toBe(2);
      for (const node of fused)
        expect(strings(attribute(node, "activations"))).toEqual([...names, ...names]);
    },
  );
});

describe("ONNX export falls back to Scan", () => {
  const lstm = cellSource("lstm");
  it.each<Variant>([
    { what: "a clipped cell activation", text: lstm, act: { cell: "clip(-1, 1)" } },
    { what: "hard_tanh, which ONNX's LSTM lacks", text: lstm, act: { cand: "hard_tanh" } },
    {
      what: "gelu (through Erf), which ONNX's RNN lacks",
      text: cellSource("rnn"),
      act: { act: "gelu" },
    },
    {
      what: "an activation defined in the file",
      text: `${lstm}\nfn swish(v) = v * sigmoid(v)\n`,
      act: { cell: "swish" },
    },
    {
      what: "a changed equation",
      text: lstm.replace("c' = f * c + i * g", "c' = f * c + i * g * 0.5"),
      act: {},
    },
    {
      what: "a GRU with an input bias only",
      text: cellSource("gru").replace("+ bias_hh, 3)", ", 3)"),
      act: {},
    },
  ])("writes Scans, not a fused operator, for $what", async ({ text, act }) => {
    const nodes = await exported(text, "variant.cell", act);
    expect(opTypes(nodes).filter((op) => op === "Scan").length).toBe(4);
    expect(opTypes(nodes).filter((op) => ["LSTM", "GRU", "RNN"].includes(op ?? ""))).toEqual([]);
  });

  it("still finds ONNX's LSTM in a renamed, reformatted copy of lstm.cell", async () => {
    const copy = cellSource("lstm")
      .replace(/^#.*$/gm, "")
      .replace("cell lstm", "cell my_lstm")
      .replace(/\bzi\b/g, "a1")
      .replace(/\bg\b/g, "candidate");
    const nodes = await exported(copy, "my_lstm.cell");
    expect(opTypes(nodes).filter((op) => op === "LSTM").length).toBe(2);
  });
});

/** Whether `create` returns rather than throws. */
function accepts(create: () => unknown): boolean {
  try {
    create();
    return true;
  } catch {
    return false;
  }
}

describe("ONNX export of a backward-only stack", () => {
  // Weights named only *_l{k}_reverse: one direction per layer, from the last step to the first
  // (ONNX's direction 'reverse'), where the runtime reads them so.
  const backward = (weights: Map<string, Tensor>) =>
    new Map([...weights].map(([name, t]) => [`${name}_reverse`, t]));
  const oneWay = { ...STACK, bidirectional: false };

  it.for(["lstm", "mgu"])("runs %s backward as the runtime does", async (cell, ctx) => {
    const v = await compiled(cellSource(cell), `${cell}.cell`, "pipeline");
    const probe = makeStack(v.ir, { ...oneWay, withInitial: false }, uniform(rng(1)));
    if (!accepts(() => v.kernel.create(backward(probe.weights)).forward(probe.input))) {
      ctx.skip(); // this runtime has no backward-only stacks
      return;
    }
    const m = await checkExport(v, oneWay, 9, `${cell} backward`, backward);
    expect(m.exported.directions).toBe(1);
    const nodes = decodeModel(m.exported.bytes, cell).graph!.node;
    const fused = nodes.filter((n) => n.op_type === "LSTM");
    for (const node of fused)
      expect(new TextDecoder().decode(attribute(node, "direction")?.s)).toBe("reverse");
    expect(fused.length).toBe(cell === "lstm" ? 2 : 0);
  });
});
