// The opening comment of an imported tfjs model's .cell: the file and what wrote it, each layer,
// and how Keras' weights and activations map onto the cell. Text from the model appears only when
// every word of it passes isPlainName().
import { basename } from "node:path";
import { type CellSpec, isPlainName, safeName } from "../stack/index.js";
import type { JsonView } from "./json-view.js";
import type { KerasTopology } from "./topology.js";

/** `text` when it is a few plain words, else null. */
function plainWords(v: JsonView): string | null {
  if (typeof v.value !== "string" || v.value.length > 80) return null;
  return v.value.split(" ").every(isPlainName) ? v.value : null;
}

export function tfjsOrigin(root: JsonView, file: string, topology: KerasTopology): string[] {
  const by =
    plainWords(root.at("generatedBy")) ?? plainWords(root.at("modelTopology").at("keras_version"));
  const converted = plainWords(root.at("convertedBy"));
  const first = topology.layers[0]!;
  const layers = topology.layers.map((l, k) => {
    const name = safeName(l.name);
    return `  layer ${k}: ${name ? `${name}, ` : ""}${l.bidirectional ? `Bidirectional ${l.kind} (merge_mode concat)` : l.kind}${l.returnSequences ? "" : ", last step only"}`;
  });
  return [
    `Imported by cellc from ${safeName(basename(file)) ?? "a tfjs model.json"} (a Sequential model${by ? `, written by ${by}` : ""}${converted ? `, converted by ${converted}` : ""}).`,
    ...layers,
    ...(topology.dropouts > 0
      ? ["Its dropout layers do nothing at inference and were left out."]
      : []),
    ...weightLines(
      first.kind === "LSTM" ? "lstm" : first.kind === "GRU" ? "gru" : "rnn",
      first.resetAfter,
    ),
  ];
}

function weightLines(kind: CellSpec["kind"], resetAfter: boolean): string[] {
  if (kind === "lstm") {
    return [
      "Keras' kernel [I, 4H] and recurrent_kernel [H, 4H] stack the gates i, f, c, o by columns;",
      "weight_ih and weight_hh are them transposed (g is Keras' c), and bias_ih is Keras' bias.",
      "Slot defaults are the layers' activations: gate = recurrent_activation, cand = cell = activation.",
    ];
  }
  if (kind === "gru") {
    return [
      "Keras' kernel [I, 3H] and recurrent_kernel [H, 3H] stack the gates z, r, h by columns;",
      "weight_ih and weight_hh are them transposed and reordered to r, z, n (n is Keras' h).",
      resetAfter
        ? "reset_after = true: r scales the recurrent product and its bias; bias [2, 3H] = [bias_ih; bias_hh]."
        : "reset_after = false: r scales h before the recurrent product; Keras' bias is bias_ih.",
      "Slot defaults are the layers' activations: gate = recurrent_activation, cand = activation.",
    ];
  }
  return [
    "weight_ih and weight_hh are Keras' kernel and recurrent_kernel transposed, bias_ih its bias.",
    "The slot's default is the layers' activation.",
  ];
}
