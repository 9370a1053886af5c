// `cellc import model.json`: a tfjs-layers model (as tfjs' save and tensorflowjs_converter write
// it: modelTopology and a weightsManifest whose .bin files lie beside it) whose Sequential stack of
// LSTM, GRU or SimpleRNN layers becomes a RecurrentStack, with what the model's input and output
// are to `cellc run`.
import { DataError } from "../../shared/data-error.js";
import { parseJsonText } from "../../runtime/json-text.js";
import type { CellSpec, IoNote, RecurrentStack } from "../stack/index.js";
import { JsonView } from "./json-view.js";
import { kerasWeights } from "./keras-weights.js";
import { tfjsOrigin } from "./origin.js";
import { type KerasLayer, readTopology } from "./topology.js";
import { type ReadWeightFile, readManifest } from "./weights-manifest.js";

export interface TfjsImport {
  readonly stack: RecurrentStack;
  readonly io: readonly IoNote[];
}

export function importTfjs(bytes: Uint8Array, file: string, read: ReadWeightFile): TfjsImport {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let json: unknown;
  try {
    json = parseJsonText(text.decode(bytes), (detail) => new DataError(file, null, detail));
  } catch (e) {
    if (e instanceof TypeError) throw new DataError(file, null, "not UTF-8 text");
    throw e;
  }
  const root = new JsonView(json, "model.json", file);
  const topology = readTopology(root.at("modelTopology"));
  const { layers } = topology;
  const cell = commonCell(layers);
  const weights = readManifest(root.at("weightsManifest"), read);
  const inputSize = topology.inputSize ?? weights[0]?.shape[0] ?? 0;
  const first = layers[0]!;
  const last = layers[layers.length - 1]!;
  const stack: RecurrentStack = {
    cell,
    directions: first.bidirectional ? "bidirectional" : "forward",
    layers: kerasWeights(layers, weights, inputSize, file),
    inputSize,
    hiddenSize: first.units,
    batchFirst: !first.timeMajor,
    origin: tfjsOrigin(root, file, topology),
  };
  return { stack, io: ioNotes(stack, last) };
}

/** The cell of every layer: one kind, one set of options, one width, one direction scheme. */
function commonCell(layers: readonly KerasLayer[]): CellSpec {
  const first = layers[0]!;
  const key = (l: KerasLayer) =>
    JSON.stringify([
      l.kind,
      l.activation,
      l.recurrentActivation,
      l.resetAfter,
      l.units,
      l.bidirectional,
      l.timeMajor,
    ]);
  layers.forEach((l, k) => {
    if (key(l) !== key(first))
      throw l.view.fail(
        `layer '${l.name}' differs from layer '${first.name}' (kind, activations, units or directions): one cellc cell computes every layer`,
      );
    if (k < layers.length - 1 && !l.returnSequences)
      throw l.view.fail(`layer '${l.name}' returns only its last step, but a layer above reads it`);
  });
  const gate = first.recurrentActivation!;
  if (first.kind === "LSTM")
    return {
      kind: "lstm",
      peepholes: false,
      coupled: false,
      clip: null,
      gate,
      cand: first.activation,
      cell: first.activation,
    };
  if (first.kind === "GRU")
    return { kind: "gru", resetAfter: first.resetAfter, clip: null, gate, cand: first.activation };
  return { kind: "rnn", clip: null, act: first.activation };
}

function ioNotes(stack: RecurrentStack, last: KerasLayer): IoNote[] {
  const D = last.bidirectional ? 2 : 1;
  const input: IoNote = {
    what: "the model's input",
    role: "--input",
    note: stack.batchFirst ? "(B, T, I): run with --batch-first" : "(T, B, I) (time_major)",
  };
  if (last.returnSequences)
    return [input, { what: "the model's output", role: "output.npy", note: null }];
  const rows =
    D === 2 ? `h_n.npy's last two rows (forward, backward) side by side` : `h_n.npy's last row`;
  return [
    input,
    {
      what: "the model's output",
      role: "h_n.npy",
      note: `(B, ${D === 2 ? "2*H" : "H"}), the last step only: ${rows}`,
    },
  ];
}
