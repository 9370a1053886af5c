// The `activations`, `activation_alpha` and `activation_beta` attributes of ONNX's recurrent
// operators, read as ONNX Runtime (the oracle) reads them: alphas and betas are handed out in order
// to the activations that take them (over both directions), and a missing one defaults to
// LeakyRelu's 0.01, HardSigmoid's 0.2 and 0.5, Elu's 1, and 0 for the others.
import type { Activation } from "../stack/index.js";
import type { NodeContext } from "./node-context.js";

interface OnnxActivation {
  readonly cellc: string;
  readonly alpha: number | null;
  readonly beta: number | null;
}

/** ONNX's name -> cellc's name and ONNX Runtime's defaults (null: no such parameter). */
const TABLE: ReadonlyMap<string, OnnxActivation> = new Map([
  ["Relu", { cellc: "relu", alpha: null, beta: null }],
  ["Tanh", { cellc: "tanh", alpha: null, beta: null }],
  ["Sigmoid", { cellc: "sigmoid", alpha: null, beta: null }],
  ["Affine", { cellc: "affine", alpha: 0, beta: 0 }],
  ["LeakyRelu", { cellc: "leaky_relu", alpha: 0.01, beta: null }],
  ["ThresholdedRelu", { cellc: "thresholded_relu", alpha: 0, beta: null }],
  ["ScaledTanh", { cellc: "scaled_tanh", alpha: 0, beta: 0 }],
  ["HardSigmoid", { cellc: "hard_sigmoid", alpha: 0.2, beta: 0.5 }],
  ["Elu", { cellc: "elu", alpha: 1, beta: null }],
  ["Softsign", { cellc: "softsign", alpha: null, beta: null }],
  ["Softplus", { cellc: "softplus", alpha: null, beta: null }],
]);

/** ONNX's own defaults, where ONNX Runtime's differ (its fallback is 0). */
const ONNX_DEFAULTS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ["Affine", [1, 0]],
  ["ThresholdedRelu", [1, 0]],
]);

const DEFAULT_NAMES = {
  LSTM: ["Sigmoid", "Tanh", "Tanh"],
  GRU: ["Sigmoid", "Tanh"],
  RNN: ["Tanh"],
} as const;

export type RecurrentOp = keyof typeof DEFAULT_NAMES;

export interface NodeActivations {
  /** One list per direction: LSTM f, g, h; GRU f, g; RNN f. */
  readonly perDirection: readonly (readonly Activation[])[];
  /** Remarks for the .cell's opening comment (fixed words only). */
  readonly notes: readonly string[];
}

export function readActivations(ctx: NodeContext, op: RecurrentOp, D: number): NodeActivations {
  const per = DEFAULT_NAMES[op].length;
  let names = ctx.strings("activations") ?? repeat(DEFAULT_NAMES[op], D);
  // ONNX's RNN schema defaults to two, and ONNX Runtime takes the first for one direction.
  if (op === "RNN" && D === 1 && names.length === 2) names = names.slice(0, 1);
  if (names.length !== per * D)
    throw ctx.fail(`${names.length} activations for ${D} direction(s); ${op} needs ${per * D}`);
  const found = names.map((n) => lookup(ctx, op, n));
  const alphas = ctx.floats("activation_alpha");
  const betas = ctx.floats("activation_beta");
  const notes = new Set<string>();
  const args = inOrder(found, alphas ?? [], betas ?? [], notes);
  const list = found.map(([, a], i) => ({ name: a.cellc, args: args[i]! }));
  const perDirection = Array.from({ length: D }, (_, d) => list.slice(d * per, (d + 1) * per));
  return { perDirection, notes: [...notes] };
}

const repeat = (names: readonly string[], D: number): string[] =>
  Array.from({ length: D }, () => names).flat();

/** ONNX Runtime matches LSTM and GRU activations in any case, RNN's exactly. */
function lookup(ctx: NodeContext, op: RecurrentOp, name: string): [string, OnnxActivation] {
  const key =
    op === "RNN" ? name : [...TABLE.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  const found = key === undefined ? undefined : TABLE.get(key);
  if (key === undefined || !found)
    throw ctx.fail(`activation '${name}' is not one of ONNX's (${[...TABLE.keys()].join(", ")})`);
  return [key, found];
}

function inOrder(
  found: readonly [string, OnnxActivation][],
  alphas: readonly number[],
  betas: readonly number[],
  notes: Set<string>,
): number[][] {
  let ai = 0;
  let bi = 0;
  return found.map(([name, a]) => {
    const args: number[] = [];
    if (a.alpha !== null)
      args.push(ai < alphas.length ? alphas[ai++]! : missing(name, a.alpha, 0, notes));
    if (a.beta !== null)
      args.push(bi < betas.length ? betas[bi++]! : missing(name, a.beta, 1, notes));
    return args;
  });
}

/** The value ONNX Runtime takes for a parameter the model leaves out, noted when ONNX's differs. */
function missing(name: string, ort: number, which: 0 | 1, notes: Set<string>): number {
  const param = which === 0 ? "alpha" : "beta";
  const onnx = ONNX_DEFAULTS.get(name)?.[which] ?? TABLE.get(name)?.[param] ?? ort;
  if (onnx !== ort) {
    notes.add(
      `${name} has no ${param} in the model: ONNX Runtime takes ${ort} (ONNX's default is ${onnx}), and so does this cell.`,
    );
  }
  return ort;
}
