// The exported model's interface and the glue every layer shares: input X (T, B, I), optionally
// sequence_lens (B,) int32 and initial_<state> (L*D, B, size); outputs `output` (T, B, F) and
// <state>_n (L*D, B, size), cellc's layouts (those of `cellc run`).
import type { CellIR } from "../../compiler/ir/ir.js";
import { DataError } from "../../shared/data-error.js";
import { DataType, type ValueInfoProto } from "../onnx/types.js";
import type { GraphBuilder } from "./graph-builder.js";
import { intAttr, valueInfo } from "./proto-values.js";

export interface ModelIO {
  readonly model: GraphBuilder;
  readonly x: string;
  /** sequence_lens, (B,) int32, when the model takes it. */
  readonly lengths: string | null;
  /** Per state, initial_<state> when the model takes it. */
  readonly initial: readonly (string | null)[];
  /** Per state, the name of its final value, <state>_n. */
  readonly finals: readonly string[];
  readonly output: string;
}

export interface IOOptions {
  readonly lengths: boolean;
  readonly initialStates: boolean;
}

/** Reserves the interface's names; a clash between two states' names is the cell's problem. */
function reserve(model: GraphBuilder, ir: CellIR, wanted: readonly string[], cell: string): void {
  for (const name of wanted) {
    if (model.names.has(name)) {
      const detail = `two of the model's inputs and outputs would be named '${name}' (rename a state of cell '${ir.name}')`;
      throw new DataError(cell, null, detail);
    }
    model.names.reserve(name);
  }
}

export function modelIO(
  model: GraphBuilder,
  ir: CellIR,
  options: IOOptions,
  cell: string,
): ModelIO {
  const lengths = options.lengths ? "sequence_lens" : null;
  const initial = ir.states.map((s) => (options.initialStates ? `initial_${s.name}` : null));
  const finals = ir.states.map((s) => `${s.name}_n`);
  const wanted = ["X", "output", ...(lengths ? [lengths] : []), ...finals];
  reserve(model, ir, [...wanted, ...initial.filter((n): n is string => n !== null)], cell);
  return { model, x: "X", lengths, initial, finals, output: "output" };
}

/** The graph's typed inputs and outputs; `io` after the layers know the sizes. */
export function interfaceTypes(
  io: ModelIO,
  inputSize: number,
  count: number,
  stateSizes: readonly number[],
  outFeatures: number,
): { inputs: ValueInfoProto[]; outputs: ValueInfoProto[] } {
  const inputs = [valueInfo(io.x, DataType.FLOAT, ["T", "B", inputSize])];
  if (io.lengths) inputs.push(valueInfo(io.lengths, DataType.INT32, ["B"]));
  io.initial.forEach((name, i) => {
    if (name) inputs.push(valueInfo(name, DataType.FLOAT, [count, "B", stateSizes[i]!]));
  });
  const outputs = [
    valueInfo(io.output, DataType.FLOAT, ["T", "B", outFeatures]),
    ...io.finals.map((n, i) => valueInfo(n, DataType.FLOAT, [count, "B", stateSizes[i]!])),
  ];
  return { inputs, outputs };
}

/** (1,) int64: the batch size. */
export const batchDim = (io: ModelIO): string =>
  io.model.cached("batch", () =>
    io.model.op("Shape", [io.x], { hint: "B", attrs: [intAttr("start", 1), intAttr("end", 2)] }),
  );

/** (T, B, 1) bool: step t is within sample b's length (PyTorch packed, ONNX sequence_lens). */
export function stepMask(io: ModelIO): string {
  const g = io.model;
  return g.cached("mask", () => {
    const T = g.op("Shape", [io.x], { hint: "T", attrs: [intAttr("start", 0), intAttr("end", 1)] });
    const range = g.op("Range", [g.int(0), g.op("Squeeze", [T, g.ints([0])]), g.int(1)]);
    const steps = g.op("Unsqueeze", [range, g.ints([1, 2])], { hint: "steps" });
    const lengths = g.op("Cast", [io.lengths!], { attrs: [intAttr("to", DataType.INT64)] });
    const column = g.op("Unsqueeze", [lengths, g.ints([0, 2])]);
    return g.op("Less", [steps, column], { hint: "mask" });
  });
}

/** Zeros (B, size): an initial state the model does not take. */
export const zeroState = (io: ModelIO, size: number): string =>
  io.model.cached(`zeros${size}`, () => {
    const shape = io.model.op("Concat", [batchDim(io), io.model.ints([size])], {
      attrs: [intAttr("axis", 0)],
    });
    return io.model.op("ConstantOfShape", [shape], { hint: "zeros" });
  });
