// From the walked graph to one stack: the recurrent nodes must form a chain of layers (layer 0
// reads the graph input, layer k the outputs of layer k - 1, with its directions and hidden units
// flattened), all computing one cell, sharing their sequence lengths and taking initial states
// from one graph input, one layer's range at a time. Also says how the graph's inputs and outputs
// correspond to `cellc run`'s, for the command line.
import { DataError } from "../../shared/data-error.js";
import type { CellSpec, IoNote } from "../stack/index.js";
import type { RecurrentNode } from "./rnn-node.js";
import { stateIo } from "./state-io.js";
import { outputIo } from "./output-io.js";
import { type Axis, type DataValue, sameTag } from "./values.js";
import type { WalkedGraph } from "./graph.js";

export interface Assembled {
  readonly layers: readonly RecurrentNode[];
  readonly cell: CellSpec;
  readonly batchFirst: boolean;
  readonly io: readonly IoNote[];
}

export function assemble(
  walked: WalkedGraph,
  outputs: readonly string[],
  source: string,
): Assembled {
  const fail = (detail: string) => new DataError(source, null, detail);
  const layers = chain(walked, fail);
  const first = layers[0]!;
  const cell = commonCell(layers, fail);
  const { t, b } = timeAndBatch(first);
  layers.forEach((node, k) => checkInput(node, k, layers, t, b));
  const input = first.x.stream.s === "input" ? first.x.stream.name : "";
  const batchFirst = t.tag.t === "in" && t.tag.index === 1;
  const io: IoNote[] = [
    {
      what: `graph input '${input}'`,
      role: "--input",
      note: batchFirst ? "(B, T, I): run with --batch-first" : "(T, B, I)",
    },
  ];
  const lengths = sharedLengths(layers);
  if (lengths) io.push({ what: `graph input '${lengths}'`, role: "--lengths", note: null });
  for (const s of cell.kind === "lstm" ? (["h", "c"] as const) : (["h"] as const)) {
    const note = stateIo(layers, s);
    if (note) io.push(note);
  }
  for (const name of outputs)
    io.push(outputIo(walked.values.get(name), name, layers, { t, b, batchFirst }, fail));
  return { layers, cell, batchFirst, io };
}

type Fail = (detail: string) => DataError;

function chain(walked: WalkedGraph, fail: Fail): RecurrentNode[] {
  if (walked.nodes.length === 0)
    throw fail("no LSTM, GRU or RNN node computes the graph's outputs");
  const layers: RecurrentNode[] = [];
  for (const { node, layer } of walked.nodes) {
    if (layers[layer])
      throw node.ctx.fail(
        `reads the same input as ${layers[layer]!.ctx.label}: the layers do not form one chain`,
      );
    layers[layer] = node;
  }
  for (let k = 0; k < layers.length; k++)
    if (!layers[k]) throw fail(`layer ${k} of the stack is missing`);
  return layers;
}

/** The cell all layers compute; peepholes in some layers only are zeros in the others. */
function commonCell(layers: RecurrentNode[], fail: Fail): CellSpec {
  const first = layers[0]!;
  const key = (n: RecurrentNode) => JSON.stringify({ ...n.cell, peepholes: false });
  for (const n of layers) {
    if (n.op !== first.op)
      throw n.ctx.fail(`is a ${n.op} above a ${first.op}: one cell must compute every layer`);
    if (key(n) !== key(first))
      throw n.ctx.fail(
        `computes another cell than ${first.ctx.label} (activations, clip or options differ)`,
      );
    if (n.directions !== first.directions)
      throw n.ctx.fail(`runs ${n.directions}, but ${first.ctx.label} ${first.directions}`);
    if (n.hidden !== first.hidden)
      throw n.ctx.fail(
        `has hidden size ${n.hidden}, but ${first.ctx.label} ${first.hidden}: stacked states need one`,
      );
  }
  const peepholes = layers.some((n) => n.cell.kind === "lstm" && n.cell.peepholes);
  if (first.cell.kind !== "lstm" || !peepholes) return first.cell;
  for (const n of layers) {
    for (const w of n.weights) {
      for (const p of ["peep_i", "peep_f", "peep_o"])
        if (!w.has(p) && (p !== "peep_f" || !first.cell.coupled))
          w.set(p, { data: new Float32Array(n.hidden), shape: [n.hidden] });
    }
  }
  return { ...first.cell, peepholes };
}

/** Layer 0's time and batch axes: axes 0 and 1 of the graph input, in either order. */
function timeAndBatch(node: RecurrentNode): { t: Axis; b: Axis } {
  const [a0, a1, a2] = node.x.axes as [Axis, Axis, Axis];
  const [t, b] = node.layout === 0 ? [a0, a1] : [a1, a0];
  const index = (a: Axis) => (a.tag.t === "in" ? a.tag.index : -1);
  const ok =
    node.x.stream.s === "input" &&
    !node.x.stream.range &&
    index(a2) === 2 &&
    index(t) + index(b) === 1;
  if (!ok) throw node.ctx.fail("input X is not the graph input as (T, B, I) or (B, T, I)");
  return { t, b };
}

/** Layer k > 0 reads layer k - 1's outputs: time and batch as layer 0, then its features. */
function checkInput(
  node: RecurrentNode,
  k: number,
  layers: readonly RecurrentNode[],
  t: Axis,
  b: Axis,
): void {
  if (k === 0) return;
  const below = layers[k - 1]!;
  const [a0, a1, a2] = node.x.axes as [Axis, Axis, Axis];
  const [tk, bk] = node.layout === 0 ? [a0, a1] : [a1, a0];
  const features =
    (a2.tag.t === "feat" && a2.size === below.D * below.hidden) ||
    (a2.tag.t === "hid" && below.D === 1);
  if (!sameTag(tk.tag, t.tag) || !sameTag(bk.tag, b.tag) || !features)
    throw node.ctx.fail(
      `input X is not ${below.ctx.label}'s output with its directions flattened into features`,
    );
}

function sharedLengths(layers: readonly RecurrentNode[]): string | null {
  const name = (v: DataValue | null) => (v?.stream.s === "input" ? v.stream.name : null);
  const first = name(layers[0]!.lengths);
  for (const n of layers) {
    if (name(n.lengths) !== first)
      throw n.ctx.fail("takes other sequence_lens than layer 0: cellc applies one to every layer");
    if (n.lengths && n.lengths.axes.length !== 1) throw n.ctx.fail("sequence_lens is not a vector");
  }
  return first;
}
