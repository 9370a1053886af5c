// One layer of a stack as ONNX's own LSTM, GRU or RNN node (both directions in one node), so that
// ONNX Runtime runs its fused kernel. The weights are converted to the operator's layout
// (fused-templates.ts); the operator's Y (T, D, B, H) becomes cellc's (T, B, D*H), and its
// initial and final states are rows k*D .. k*D + D - 1 of cellc's (L*D, B, H).
import type { GraphBuilder } from "./graph-builder.js";
import type { LayerParams } from "./layer-plan.js";
import type { FusedMatch } from "./match-fused.js";
import { floatsAttr, intAttr, intsAttr, stringAttr, stringsAttr } from "./proto-values.js";
import type { StackLayer, StackLayerResult } from "./scan-stack.js";

/** Rows of `m` ([cellBlocks * H, cols]) regrouped into the operator's gate blocks. */
function regroup(m: Float64Array, match: FusedMatch, H: number): Float64Array {
  const { blocks, cellBlocks } = match.template;
  const block = m.length / cellBlocks;
  if (block % H !== 0) throw new Error("internal: a gate block is not a whole number of rows");
  const out = new Float64Array(blocks.length * block);
  blocks.forEach((from, j) => {
    if (from !== null) out.set(m.subarray(from * block, (from + 1) * block), j * block);
  });
  return out;
}

function param(layer: LayerParams, name: string): Float64Array {
  const values = layer.params.get(name);
  if (!values) throw new Error(`internal: no values for '${name}'`);
  return values;
}

/** The operator's weight inputs, each [D, ...]: W, R, B and (for peepholes) P. */
function weightInputs(a: StackLayer, match: FusedMatch, H: number, I: number): string[] {
  const g = a.io.model;
  const D = a.directions.length;
  const rows = match.template.blocks.length * H;
  const join = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  };
  // One initializer per input, the directions stacked: [D, ...dims].
  const stacked = (name: string, dims: number[], f: (l: LayerParams) => Float64Array) =>
    g.floats(`l${a.k}_${name}`, [D, ...dims], join(a.directions.map(f)));
  const re = (l: LayerParams, name: string) => regroup(param(l, name), match, H);
  const inputs = [
    stacked("W", [rows, I], (l) => re(l, "weight_ih")),
    stacked("R", [rows, H], (l) => re(l, "weight_hh")),
    stacked("B", [2 * rows], (l) => join([re(l, "bias_ih"), re(l, "bias_hh")])),
  ];
  const peep = match.template.peepholes;
  if (peep) {
    const vector = (l: LayerParams, p: string | null) =>
      p === null ? new Float64Array(H) : param(l, p);
    inputs.push(stacked("P", [3 * H], (l) => join(peep.map((p) => vector(l, p)))));
  }
  return inputs;
}

function attributes(match: FusedMatch, H: number, D: number, backward: boolean) {
  const acts = Array.from({ length: D }, () => match.activations).flat();
  const alphas = acts.flatMap((f) => (f.alpha === undefined ? [] : [f.alpha]));
  const betas = acts.flatMap((f) => (f.beta === undefined ? [] : [f.beta]));
  return [
    intAttr("hidden_size", H),
    stringAttr("direction", D === 2 ? "bidirectional" : backward ? "reverse" : "forward"),
    stringsAttr(
      "activations",
      acts.map((f) => f.name),
    ),
    ...(alphas.length ? [floatsAttr("activation_alpha", alphas)] : []),
    ...(betas.length ? [floatsAttr("activation_beta", betas)] : []),
    ...match.template.attrs.map(([name, value]) => intAttr(name, value)),
  ];
}

/** Rows [k*D, (k+1)*D) of initial_<state>, or "" (zeros) when the model does not take it. */
function initial(a: StackLayer, g: GraphBuilder, given: string | null): string {
  if (given === null) return "";
  const D = a.directions.length;
  const range = [g.ints([a.k * D]), g.ints([(a.k + 1) * D]), g.ints([0])];
  return g.op("Slice", [given, ...range]);
}

/** Writes layer `a` as the operator `match` names. */
export function fusedStackLayer(match: FusedMatch): (a: StackLayer) => StackLayerResult {
  return (a) => {
    const g = a.io.model;
    const sizes = a.directions[0]!.sizes;
    const [H, I, D] = [sizes.get("H")!, sizes.get("I")!, a.directions.length];
    const states = match.template.states.map((s) => a.ir.states.findIndex((d) => d.name === s));
    const init = states.map((i) => initial(a, g, a.io.initial[i]!));
    const [W, R, B, P] = weightInputs(a, match, H, I);
    // ONNX's order: X, W, R, B, sequence_lens, initial_h (, initial_c, P); "" skips one.
    const inputs = [a.x, W!, R!, B!, a.io.lengths ?? "", ...init, ...(P ? [P] : [])];
    while (inputs[inputs.length - 1] === "") inputs.pop();
    const prefix = `l${a.k}`;
    const Y = g.names.claim(`${prefix}_Y`);
    const finals = match.template.states.map((s) => g.names.claim(`${prefix}_Y_${s}`));
    g.opMulti(match.template.op, inputs, [Y, ...finals], attributes(match, H, D, a.backward));
    const tbdh = g.op("Transpose", [Y], { attrs: [intsAttr("perm", [0, 2, 1, 3])] });
    const output = g.op("Reshape", [tbdh, g.ints([0, 0, -1])], { hint: `${prefix}_output` });
    return { finals: a.ir.states.map((_, i) => finals[states.indexOf(i)]!), output };
  };
}
