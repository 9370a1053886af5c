// Walks an ONNX graph once, in node order, knowing each value as a constant, a shape, a fill or
// data (values.ts) instead of computing it: the glue around recurrent nodes is folded or tracked
// axis by axis, recurrent nodes become layers, and anything else is an error naming the node.
// Only nodes that the graph's outputs depend on are looked at.
import type { GraphProto, NodeProto, ValueInfoProto } from "../onnx/types.js";
import { decodeTensor } from "./const-tensor.js";
import { dataNode } from "./data-ops.js";
import { foldNode } from "./fold.js";
import { NodeContext } from "./node-context.js";
import { type RecurrentNode, readRecurrentNode } from "./rnn-node.js";
import { type Axis, constValue, type Value } from "./values.js";

const GLUE = [
  "Identity",
  "Cast",
  "Constant",
  "ConstantOfShape",
  "ConstantFill",
  "Shape",
  "Gather",
  "Unsqueeze",
  "Squeeze",
  "Concat",
  "Slice",
  "Reshape",
  "Transpose",
  "Expand",
];
const RECURRENT = ["LSTM", "GRU", "RNN"] as const;

export interface WalkedGraph {
  /** Recurrent nodes in graph order, each with the layer its input says it is. */
  readonly nodes: readonly { readonly node: RecurrentNode; readonly layer: number }[];
  readonly values: ReadonlyMap<string, Value>;
}

export function walkGraph(graph: GraphProto, source: string): WalkedGraph {
  const values = new Map<string, Value>();
  const shapeless = new Set<string>();
  for (const t of graph.initializer) {
    const name = t.name ?? "";
    values.set(name, constValue(decodeTensor(t, source, `initializer '${name}'`)));
  }
  // Before IR version 4 initializers are listed among the inputs too: they stay constants.
  for (const input of graph.input)
    if (!values.has(input.name ?? "")) {
      // An input without a shape is an error only for a node that reads it.
      const v = inputData(input);
      if (v) values.set(input.name ?? "", v);
      else shapeless.add(input.name ?? "");
    }
  const live = liveNodes(graph);
  const nodes: { node: RecurrentNode; layer: number }[] = [];
  graph.node.forEach((proto, index) => {
    if (!live.has(proto)) return;
    const ctx = new NodeContext(proto, index, source);
    const inputs = proto.input.map((name) => (name ? lookup(ctx, values, shapeless, name) : null));
    const outputs = evalNode(ctx, inputs, nodes);
    proto.output.forEach((name, i) => {
      const v = outputs[i];
      if (name && v) values.set(name, v);
    });
  });
  return { nodes, values };
}

function lookup(
  ctx: NodeContext,
  values: ReadonlyMap<string, Value>,
  shapeless: ReadonlySet<string>,
  name: string,
): Value {
  if (shapeless.has(name))
    throw ctx.fail(`reads graph input '${name}', which has no shape, so its axes are unknown`);
  const v = values.get(name);
  if (!v)
    throw ctx.fail(
      `input '${name}' is not defined by an initializer, a graph input or an earlier node`,
    );
  return v;
}

/** A graph input as data with one tag per axis, or null when it declares no shape. */
function inputData(input: ValueInfoProto): Value | null {
  const name = input.name ?? "";
  const dims = input.type?.tensor_type?.shape?.dim;
  if (!dims) return null;
  const axes = dims.map((d, index): Axis => ({
    tag: { t: "in", input: name, index },
    size: d.dim_value !== undefined && d.dim_value > 0 ? d.dim_value : null,
  }));
  return { kind: "data", stream: { s: "input", name, range: null }, axes };
}

/** The nodes that some graph output depends on. */
function liveNodes(graph: GraphProto): Set<NodeProto> {
  const producer = new Map<string, NodeProto>();
  for (const n of graph.node) for (const o of n.output) if (o) producer.set(o, n);
  const live = new Set<NodeProto>();
  const todo = graph.output.map((o) => o.name ?? "");
  for (let name; (name = todo.pop()) !== undefined;) {
    const n = producer.get(name);
    if (!n || live.has(n)) continue;
    live.add(n);
    todo.push(...n.input.filter((i) => i));
  }
  return live;
}

function evalNode(
  ctx: NodeContext,
  inputs: readonly (Value | null)[],
  nodes: { node: RecurrentNode; layer: number }[],
): readonly (Value | null)[] {
  const domain = ctx.node.domain ?? "";
  if (domain !== "" && domain !== "ai.onnx")
    throw ctx.fail(`operators of domain '${domain}' are not supported`);
  const op = RECURRENT.find((r) => r === ctx.op);
  if (op) {
    const node = readRecurrentNode(ctx, op, inputs);
    const layer = node.x.stream.s === "y" ? node.x.stream.layer + 1 : 0;
    nodes.push({ node, layer });
    return recurrentOutputs(node, layer);
  }
  if (!GLUE.includes(ctx.op)) throw ctx.fail(unsupported(ctx.op));
  const data = inputs.find((v) => v?.kind === "data");
  if (data?.kind === "data") return [dataNode(ctx, data, inputs)];
  return [foldNode(ctx, inputs)];
}

function unsupported(op: string): string {
  const what = op === "Scan" || op === "Loop" ? `${op} (a loop over a subgraph)` : op;
  return `${what} is not supported: cellc imports LSTM, GRU and RNN nodes and the glue torch.onnx.export writes around them (${GLUE.join(", ")})`;
}

/** Y, Y_h and Y_c as data whose axes say what they are. */
function recurrentOutputs(node: RecurrentNode, layer: number): Value[] {
  const { x, D, hidden, layout } = node;
  const [t, b] = layout === 0 ? [x.axes[0]!, x.axes[1]!] : [x.axes[1]!, x.axes[0]!];
  const dir: Axis = { tag: { t: "dir" }, size: D };
  const hid: Axis = { tag: { t: "hid" }, size: hidden };
  const y = layout === 0 ? [t, dir, b, hid] : [b, t, dir, hid];
  const final = layout === 0 ? [dir, b, hid] : [b, dir, hid];
  const state = (s: "h" | "c"): Value => ({
    kind: "data",
    stream: { s: "final", state: s, from: layer, to: layer + 1 },
    axes: final,
  });
  return [{ kind: "data", stream: { s: "y", layer }, axes: y }, state("h"), state("c")];
}
