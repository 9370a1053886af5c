// `cellc import MODEL.onnx`: an ONNX model whose outputs come from LSTM, GRU or RNN nodes (one
// node, or the stack torch.onnx.export writes for nn.LSTM, nn.GRU and nn.RNN) as a
// RecurrentStack, plus how its inputs and outputs correspond to `cellc run`'s.
import { DataError } from "../../shared/data-error.js";
import { decodeModel } from "../onnx/proto.js";
import type { IoNote, RecurrentStack } from "../stack/index.js";
import { assemble } from "./assemble.js";
import { walkGraph } from "./graph.js";
import { onnxOrigin } from "./origin.js";

export interface OnnxImport {
  readonly stack: RecurrentStack;
  readonly io: readonly IoNote[];
}

const OPSETS = { min: 7, max: 22 };

export function importOnnx(bytes: Uint8Array, file: string): OnnxImport {
  const model = decodeModel(bytes, file);
  const fail = (detail: string) => new DataError(file, null, detail);
  const opset = model.opset_import.find((o) => !o.domain || o.domain === "ai.onnx")?.version;
  if (opset === undefined) throw fail("the model imports no version of the ONNX operator set");
  if (opset < OPSETS.min || opset > OPSETS.max)
    throw fail(`opset ${opset}: cellc imports opsets ${OPSETS.min} to ${OPSETS.max}`);
  if (!model.graph) throw fail("the model has no graph");
  const walked = walkGraph(model.graph, file);
  const outputs = model.graph.output.map((o) => o.name ?? "");
  const { layers, cell, batchFirst, io } = assemble(walked, outputs, file);
  const first = layers[0]!;
  const stack: RecurrentStack = {
    cell,
    directions: first.directions,
    layers: layers.map((n) => n.weights),
    inputSize: first.inputSize,
    hiddenSize: first.hidden,
    batchFirst,
    origin: onnxOrigin(model, file, opset, layers),
  };
  return { stack, io };
}
