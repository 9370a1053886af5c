// `exportOnnx`: a cell and its weights as one ONNX model (opset 17, IR version 8) computing what
// `cellc run` computes, stack and sequence lengths included. Each layer is ONNX's own LSTM, GRU
// or RNN operator when the cell is exactly one of them (fused.ts), else Scans of its step.
import type { CellIR } from "../../compiler/ir/ir.js";
import type { Weights } from "../../embedded/weights.js";
import { VERSION } from "../../package-info.js";
import { DataError } from "../../shared/data-error.js";
import { evalSize } from "../../shared/size.js";
import { encodeModel } from "../onnx/proto.js";
import type { ModelProto } from "../onnx/types.js";
import { type BoundStack, bindStack } from "./bind-stack.js";
import { GraphBuilder, NameSource } from "./graph-builder.js";
import { interfaceTypes, type ModelIO, modelIO } from "./model-io.js";
import { intAttr } from "./proto-values.js";
import { fusedStackLayer } from "./fused-layer.js";
import type { FusedTemplate } from "./fused-templates.js";
import { matchFused } from "./match-fused.js";
import { scanStackLayer, type StackLayer, type StackLayerResult } from "./scan-stack.js";

export const OPSET = 17;
export const IR_VERSION = 8;

export interface ExportOptions {
  /** Adds the input sequence_lens, (B,) int32. */
  readonly lengths?: boolean;
  /** Adds an input initial_<state>, (L*D, B, size), per state; else states start at zero. */
  readonly initialStates?: boolean;
  /** The input's features per step, needed only when the weights do not tell it. */
  readonly inputSize?: number;
  /** Names for messages: the cell's file and the weights' file. */
  readonly sources?: { readonly cell?: string; readonly weights?: string };
  /** Whether a cell that is one of ONNX's LSTM, GRU, RNN is written as it (default true). */
  readonly fused?: boolean;
}

export interface ExportedModel {
  readonly model: ModelProto;
  readonly bytes: Uint8Array;
  readonly layers: number;
  readonly directions: number;
  /** The ONNX operator each layer is, or null for Scans. */
  readonly fused: FusedTemplate["op"] | null;
}

/**
 * Writes the layers in turn, each fed the one before's (T, B, D*H) output; then `output` and the
 * per-layer (D, B, size) final states stacked into (L*D, B, size), named <state>_n.
 */
function writeLayers(
  ir: CellIR,
  stack: BoundStack,
  io: ModelIO,
  write: (a: StackLayer) => StackLayerResult,
  cannotExport: (op: string) => never,
): void {
  const g = io.model;
  let x = io.x;
  const perLayer = stack.layers.map((directions, k) => {
    const result = write({ io, ir, directions, k, x, backward: stack.backward, cannotExport });
    x = result.output;
    return result;
  });
  g.op("Identity", [x], { output: io.output });
  io.finals.forEach((name, i) => {
    const parts = perLayer.map((r) => r.finals[i]!);
    if (parts.length === 1) g.op("Identity", parts, { output: name });
    else g.op("Concat", parts, { output: name, attrs: [intAttr("axis", 0)] });
  });
}

/** The typed inputs and outputs, with the sizes the bound stack has. */
function interfaceOf(ir: CellIR, stack: BoundStack, io: ModelIO) {
  const first = stack.layers[0]![0]!;
  const last = stack.layers[stack.layers.length - 1]!;
  const D = last.length;
  const outSize = evalSize(ir.nodes[ir.output]!.shape[0]!, last[0]!.sizes)!;
  const stateSizes = ir.states.map((s) => evalSize(s.shape[0]!, first.sizes)!);
  const count = stack.layers.length * D;
  return interfaceTypes(io, stack.inputSize, count, stateSizes, D * outSize);
}

/** `ir` (optimized) over `weights` (by PyTorch name) as an ONNX model. */
export function exportOnnx(
  ir: CellIR,
  weights: Weights,
  options: ExportOptions = {},
): ExportedModel {
  const cell = options.sources?.cell ?? `cell '${ir.name}'`;
  const stack = bindStack(ir, weights, options.sources?.weights ?? "weights", options.inputSize);
  const g = new GraphBuilder(new NameSource());
  const io = modelIO(
    g,
    ir,
    { lengths: options.lengths ?? false, initialStates: options.initialStates ?? false },
    cell,
  );
  const cannotExport = (op: string): never => {
    throw new DataError(
      cell,
      null,
      `operation '${op}' has no ONNX equivalent, so the cell cannot be exported`,
    );
  };
  const match = options.fused === false ? null : matchFused(ir);
  writeLayers(ir, stack, io, match ? fusedStackLayer(match) : scanStackLayer, cannotExport);
  const types = interfaceOf(ir, stack, io);
  const model: ModelProto = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: "", version: OPSET }],
    producer_name: "cellc",
    producer_version: VERSION,
    graph: g.graph(ir.name, types.inputs, types.outputs),
  };
  return {
    model,
    bytes: encodeModel(model),
    layers: stack.layers.length,
    directions: stack.layers[0]!.length,
    fused: match?.template.op ?? null,
  };
}
