// The opening comment of an imported ONNX model's .cell: the file, opset and producer, the node
// of each layer, and how ONNX's weights and activations map onto the cell. Names from the model
// appear only when safeName() finds them plain.
import { basename } from "node:path";
import { type CellSpec, isPlainName, safeName } from "../stack/index.js";
import type { ModelProto } from "../onnx/types.js";
import type { RecurrentNode } from "./rnn-node.js";

export function onnxOrigin(
  model: ModelProto,
  file: string,
  opset: number,
  layers: readonly RecurrentNode[],
): string[] {
  const producer = [model.producer_name, model.producer_version].filter(isPlainName);
  const by = producer.length > 0 ? `, written by ${producer.join(" ")}` : "";
  const nodes = layers.map((n, k) => {
    const name = safeName(n.ctx.node.name);
    return `  layer ${k}: node ${n.ctx.index}${name ? ` ${name}` : ""} (${n.op}, direction ${n.directions === "backward" ? "reverse" : n.directions}, layout ${n.layout})`;
  });
  const notes = [...new Set(layers.flatMap((n) => n.notes))];
  return [
    `Imported by cellc from ${safeName(basename(file)) ?? "an ONNX file"} (ONNX opset ${opset}${by}).`,
    ...nodes,
    ...weightLines(layers[0]!.cell),
    ...notes,
  ];
}

function weightLines(cell: CellSpec): string[] {
  if (cell.kind === "lstm") {
    return [
      "ONNX's W, R and B = [Wb, Rb] stack the gates i, o, f, c; weight_ih, weight_hh, bias_ih and",
      `bias_hh hold them reordered to ${cell.coupled ? "i, g, o" : "i, f, g, o"} (g is ONNX's c).`,
      ...(cell.peepholes
        ? [`P = [Pi, Po, Pf] is peep_i, peep_o${cell.coupled ? "" : ", peep_f"}.`]
        : []),
      ...(cell.coupled
        ? ["input_forget = 1: f = 1 - i, so ONNX's f rows (and Pf) are left out."]
        : []),
      "Slot defaults are the node's activations: gate = ONNX's f, cand = g, cell = h.",
    ];
  }
  if (cell.kind === "gru") {
    return [
      "ONNX's W, R and B = [Wb, Rb] stack the gates z, r, h; weight_ih, weight_hh, bias_ih and",
      "bias_hh hold them reordered to r, z, n (n is ONNX's h).",
      `linear_before_reset = ${cell.resetAfter ? 1 : 0}: r scales ${cell.resetAfter ? "the recurrent product and its bias" : "h before the recurrent product"}.`,
      "Slot defaults are the node's activations: gate = ONNX's f, cand = g.",
    ];
  }
  return [
    "weight_ih = W, weight_hh = R, bias_ih and bias_hh = B = [Wb, Rb].",
    "The slot's default is the node's activation f.",
  ];
}
