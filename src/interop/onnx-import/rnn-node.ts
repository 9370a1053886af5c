// One LSTM, GRU or RNN node: its attributes checked and turned into a cellc CellSpec, its constant
// weights (W, R, B, P) cut per direction and reordered into PyTorch's gate order, and its data
// inputs (X, sequence_lens, initial states) kept for the graph to check.
import type { Tensor } from "../../shared/tensor.js";
import { type Activation, type CellSpec, type Directions, reorderBlocks } from "../stack/index.js";
import { type RecurrentOp, readActivations } from "./activations.js";
import type { ConstTensor } from "./const-tensor.js";
import type { NodeContext } from "./node-context.js";
import type { DataValue, Value } from "./values.js";

/** An initial state: zeros, or data from a graph input. */
export type Initial = { readonly zero: true } | { readonly zero: false; readonly value: DataValue };

export interface RecurrentNode {
  readonly ctx: NodeContext;
  readonly op: RecurrentOp;
  readonly cell: CellSpec;
  readonly directions: Directions;
  readonly D: number;
  readonly hidden: number;
  readonly inputSize: number;
  readonly layout: 0 | 1;
  /** Per direction, by cellc parameter name, PyTorch's gate order. */
  readonly weights: readonly Map<string, Tensor>[];
  readonly x: DataValue;
  readonly lengths: DataValue | null;
  readonly initial: { readonly h: Initial; readonly c: Initial };
  readonly notes: readonly string[];
}

const COMMON = [
  "activation_alpha",
  "activation_beta",
  "activations",
  "clip",
  "direction",
  "hidden_size",
  "layout",
];
const ATTRIBUTES: Readonly<Record<RecurrentOp, readonly string[]>> = {
  LSTM: [...COMMON, "input_forget"],
  GRU: [...COMMON, "linear_before_reset"],
  RNN: COMMON,
};
const GATES: Readonly<Record<RecurrentOp, number>> = { LSTM: 4, GRU: 3, RNN: 1 };
const DIRECTIONS: ReadonlyMap<string, Directions> = new Map([
  ["forward", "forward"],
  ["reverse", "backward"],
  ["bidirectional", "bidirectional"],
]);

export function readRecurrentNode(
  ctx: NodeContext,
  op: RecurrentOp,
  inputs: readonly (Value | null)[],
): RecurrentNode {
  ctx.onlyAttributes(ATTRIBUTES[op]);
  const direction = ctx.string("direction", "forward");
  const directions = DIRECTIONS.get(direction);
  if (!directions)
    throw ctx.fail(`direction '${direction}' is not forward, reverse or bidirectional`);
  const D = directions === "bidirectional" ? 2 : 1;
  const layout = ctx.int("layout", 0);
  if (layout !== 0 && layout !== 1) throw ctx.fail(`layout ${layout} is not 0 or 1`);
  const G = GATES[op];
  const W = weight(ctx, inputs, 1, "W");
  const R = weight(ctx, inputs, 2, "R");
  const H = R.shape[2] ?? 0;
  const I = W.shape[2] ?? 0;
  const hidden = ctx.int("hidden_size", H);
  checkShape(ctx, W, "W", [D, G * hidden, I]);
  checkShape(ctx, R, "R", [D, G * hidden, hidden]);
  const B = optionalWeight(ctx, inputs, 3, "B", [D, 2 * G * hidden]);
  const P = op === "LSTM" ? optionalWeight(ctx, inputs, 7, "P", [D, 3 * hidden]) : null;
  const { perDirection, notes } = readActivations(ctx, op, D);
  const cell = cellSpec(ctx, op, perDirection, P !== null);
  const weights = Array.from({ length: D }, (_, d) =>
    directionWeights(cell, { W, R, B, P }, d, hidden),
  );
  return {
    ctx,
    op,
    cell,
    directions,
    D,
    hidden,
    inputSize: I,
    layout,
    weights,
    x: data(ctx, inputs[0] ?? null, "X"),
    lengths: lengthsInput(ctx, inputs[4] ?? null),
    initial: {
      h: initial(ctx, inputs[5] ?? null, "initial_h"),
      c: initial(ctx, inputs[6] ?? null, "initial_c"),
    },
    notes,
  };
}

function weight(
  ctx: NodeContext,
  inputs: readonly (Value | null)[],
  i: number,
  what: string,
): ConstTensor {
  const v = inputs[i];
  if (!v) throw ctx.fail(`input ${what} is missing`);
  if (v.kind !== "const")
    throw ctx.fail(
      `input ${what} is not a constant: cellc needs the weights in the file (initializers)`,
    );
  return v.tensor;
}

function optionalWeight(
  ctx: NodeContext,
  inputs: readonly (Value | null)[],
  i: number,
  what: string,
  shape: readonly number[],
): ConstTensor | null {
  if (!inputs[i]) return null;
  const t = weight(ctx, inputs, i, what);
  checkShape(ctx, t, what, shape);
  return t;
}

function checkShape(ctx: NodeContext, t: ConstTensor, what: string, want: readonly number[]): void {
  if (!t.float) throw ctx.fail(`input ${what} is not a float tensor`);
  if (t.shape.length !== want.length || t.shape.some((n, i) => n !== want[i]))
    throw ctx.fail(
      `input ${what} has shape [${t.shape.join(", ")}], expected [${want.join(", ")}]`,
    );
}

function cellSpec(
  ctx: NodeContext,
  op: RecurrentOp,
  perDirection: readonly (readonly Activation[])[],
  peepholes: boolean,
): CellSpec {
  const first = JSON.stringify(perDirection[0]);
  if (perDirection.some((list) => JSON.stringify(list) !== first))
    throw ctx.fail(
      "the two directions use different activations, which one cellc cell cannot compute",
    );
  const clip = ctx.float("clip");
  if (clip !== null && !(clip > 0 && Number.isFinite(clip)))
    throw ctx.fail(`clip ${clip} is not a positive number`);
  const [f, g, h] = perDirection[0]!;
  if (op === "LSTM") {
    const inputForget = ctx.int("input_forget", 0);
    if (inputForget !== 0 && inputForget !== 1)
      throw ctx.fail(`input_forget ${inputForget} is not 0 or 1`);
    return {
      kind: "lstm",
      peepholes,
      coupled: inputForget === 1,
      clip,
      gate: f!,
      cand: g!,
      cell: h!,
    };
  }
  if (op === "GRU") {
    const lbr = ctx.int("linear_before_reset", 0);
    if (lbr !== 0 && lbr !== 1) throw ctx.fail(`linear_before_reset ${lbr} is not 0 or 1`);
    return { kind: "gru", resetAfter: lbr === 1, clip, gate: f!, cand: g! };
  }
  return { kind: "rnn", clip, act: f! };
}

/** ONNX's gate blocks in the order cellc's cell stacks them: LSTM i, o, f, c; GRU z, r, h. */
function gateOrder(cell: CellSpec): readonly number[] {
  if (cell.kind === "lstm") return cell.coupled ? [0, 3, 1] : [0, 2, 3, 1];
  return cell.kind === "gru" ? [1, 0, 2] : [0];
}

interface NodeWeights {
  readonly W: ConstTensor;
  readonly R: ConstTensor;
  readonly B: ConstTensor | null;
  readonly P: ConstTensor | null;
}

/** Direction d's weights as cellc's parameters. */
function directionWeights(
  cell: CellSpec,
  w: NodeWeights,
  d: number,
  H: number,
): Map<string, Tensor> {
  const G = cell.kind === "lstm" ? 4 : cell.kind === "gru" ? 3 : 1;
  const order = gateOrder(cell);
  const part = (t: ConstTensor, from: number, n: number, shape: number[]): Tensor => ({
    data: Float32Array.from(t.data.subarray(from, from + n)),
    shape,
  });
  const I = w.W.shape[2]!;
  const out = new Map<string, Tensor>([
    ["weight_ih", reorderBlocks(part(w.W, d * G * H * I, G * H * I, [G * H, I]), order, G)],
    ["weight_hh", reorderBlocks(part(w.R, d * G * H * H, G * H * H, [G * H, H]), order, G)],
  ]);
  if (w.B) {
    out.set("bias_ih", reorderBlocks(part(w.B, 2 * d * G * H, G * H, [G * H]), order, G));
    out.set("bias_hh", reorderBlocks(part(w.B, (2 * d + 1) * G * H, G * H, [G * H]), order, G));
  }
  if (w.P && cell.kind === "lstm") {
    // P = [Pi, Po, Pf]; with input_forget, ONNX ignores Pf.
    const peep = (k: number) => part(w.P!, (3 * d + k) * H, H, [H]);
    out.set("peep_i", peep(0));
    if (!cell.coupled) out.set("peep_f", peep(2));
    out.set("peep_o", peep(1));
  }
  return out;
}

function data(ctx: NodeContext, v: Value | null, what: string): DataValue {
  if (v?.kind !== "data") throw ctx.fail(`input ${what} does not come from the graph's inputs`);
  if (v.axes.length !== 3) throw ctx.fail(`input ${what} has ${v.axes.length} axes, not 3`);
  return v;
}

function lengthsInput(ctx: NodeContext, v: Value | null): DataValue | null {
  if (!v) return null;
  if (v.kind !== "data" || v.stream.s !== "input" || v.stream.range)
    throw ctx.fail("sequence_lens must be a graph input (cellc run takes it with --lengths)");
  return v;
}

function initial(ctx: NodeContext, v: Value | null, what: string): Initial {
  if (!v) return { zero: true };
  const zero =
    v.kind === "fill" ? v.value === 0 : v.kind === "const" && v.tensor.data.every((x) => x === 0);
  if (zero) return { zero: true };
  if (v.kind !== "data" || v.stream.s !== "input")
    throw ctx.fail(
      `${what} must be zeros or come from a graph input (cellc run takes it with --state)`,
    );
  return { zero: false, value: v };
}
