// Random single-node ONNX models for the import tests (seeded): LSTM, GRU and RNN with every
// attribute drawn (activations with and without alpha/beta, clip, direction, layout, input_forget,
// linear_before_reset, B and P present or not) and data with and without sequence_lens and
// initial states. Small sizes, so a hundred of them run in seconds.
import type { ModelProto } from "../../src/interop/onnx/types.js";
import { rng } from "../helpers/random.js";
import { type AttrValue, floatTensor, model, node, valueInfo } from "./onnx-models.js";

export type Op = "LSTM" | "GRU" | "RNN";

export interface OnnxCase {
  readonly seed: number;
  readonly op: Op;
  readonly D: number;
  readonly layout: 0 | 1;
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  /** The model to import, in its drawn layout. */
  readonly model: ModelProto;
  /** The same node with layout 0, for ONNX Runtime (whose CPU kernels refuse layout 1). */
  readonly oracle: ModelProto;
  /** Graph inputs in layout 0: X (T, B, I), L (B), H0 and C0 (D, B, H). */
  readonly feeds: ReadonlyMap<string, { data: Float32Array | Int32Array; shape: number[] }>;
  readonly summary: string;
}

export const ACTIVATION_NAMES = [
  "Relu",
  "Tanh",
  "Sigmoid",
  "Affine",
  "LeakyRelu",
  "ThresholdedRelu",
  "ScaledTanh",
  "HardSigmoid",
  "Elu",
  "Softsign",
  "Softplus",
];
const GATES: Readonly<Record<Op, number>> = { LSTM: 4, GRU: 3, RNN: 1 };
const PER_DIRECTION: Readonly<Record<Op, number>> = { LSTM: 3, GRU: 2, RNN: 1 };
const OPSETS = [7, 9, 13, 14, 17, 20, 22];
const ALPHA = ["Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu"];
const BETA = ["Affine", "ScaledTanh", "HardSigmoid"];
const repeat = <T>(xs: readonly T[], D: number): T[] => Array.from({ length: D }, () => xs).flat();

export function onnxCase(seed: number): OnnxCase {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number) => random() < p;
  const uniform = (n: number, scale: number) =>
    Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const op = pick<Op>(["LSTM", "GRU", "RNN"]);
  const direction = pick(["forward", "reverse", "bidirectional"]);
  const D = direction === "bidirectional" ? 2 : 1;
  const opset = pick(OPSETS);
  const layout = opset >= 14 && chance(0.4) ? 1 : 0;
  const [T, B, I, H] = [
    1 + Math.floor(random() * 5),
    1 + Math.floor(random() * 3),
    1 + Math.floor(random() * 4),
    1 + Math.floor(random() * 4),
  ];
  const G = GATES[op];
  const attrs: Record<string, AttrValue> = { hidden_size: H, direction };
  if (opset >= 14 && chance(0.2)) attrs["layout"] = 0;
  if (chance(0.7)) {
    const one = Array.from({ length: PER_DIRECTION[op] }, () => pick(ACTIVATION_NAMES));
    attrs["activations"] = repeat(one, D);
    // Alphas and betas go in order to the activations that take them, through both directions:
    // one direction's list repeated gives both the same. With one direction, some may be left out.
    const alphas = one.filter((a) => ALPHA.includes(a)).map(() => 0.2 + random());
    const betas = one.filter((a) => BETA.includes(a)).map(() => random() - 0.5);
    const cut = (xs: number[]) => (D === 1 && chance(0.3) ? xs.slice(0, -1) : xs);
    if (alphas.length > 0 && chance(0.7))
      attrs["activation_alpha"] = { floats: repeat(cut(alphas), D) };
    if (betas.length > 0 && chance(0.7))
      attrs["activation_beta"] = { floats: repeat(cut(betas), D) };
  }
  if (chance(0.4)) attrs["clip"] = { float: 0.5 + random() * 2.5 };
  if (op === "LSTM" && chance(0.4)) attrs["input_forget"] = 1;
  if (op === "GRU") attrs["linear_before_reset"] = chance(0.5) ? 1 : 0;
  const withB = chance(0.7);
  const withP = op === "LSTM" && chance(0.5);
  const withLengths = chance(0.5);
  const withStates = chance(0.5);
  const inits = [
    floatTensor("W", [D, G * H, I], uniform(D * G * H * I, 0.6)),
    floatTensor("R", [D, G * H, H], uniform(D * G * H * H, 0.6)),
    ...(withB ? [floatTensor("B", [D, 2 * G * H], uniform(D * 2 * G * H, 0.4))] : []),
    ...(withP ? [floatTensor("P", [D, 3 * H], uniform(D * 3 * H, 0.5))] : []),
  ];
  const feeds = new Map<string, { data: Float32Array | Int32Array; shape: number[] }>([
    ["X", { data: Float32Array.from(uniform(T * B * I, 1.5)), shape: [T, B, I] }],
  ]);
  const withLayout = (l: 0 | 1) => {
    const x = l === 0 ? [T, B, I] : [B, T, I];
    const s = l === 0 ? [D, B, H] : [B, D, H];
    return [
      valueInfo("X", x),
      ...(withLengths ? [valueInfo("L", [B], 6)] : []),
      ...states.map((n) => valueInfo(n, s)),
    ];
  };
  if (withLengths)
    feeds.set("L", {
      data: Int32Array.from({ length: B }, () => 1 + Math.floor(random() * T)),
      shape: [B],
    });
  const states = withStates ? (op === "LSTM" ? ["H0", "C0"] : ["H0"]) : [];
  for (const s of states)
    feeds.set(s, { data: Float32Array.from(uniform(D * B * H, 0.8)), shape: [D, B, H] });
  const nodeInputs = [
    "X",
    "W",
    "R",
    withB ? "B" : "",
    withLengths ? "L" : "",
    states[0] ?? "",
    states[1] ?? "",
    withP ? "P" : "",
  ];
  while (nodeInputs.at(-1) === "") nodeInputs.pop();
  const outputs = op === "LSTM" ? ["Y", "Y_h", "Y_c"] : ["Y", "Y_h"];
  const build = (l: 0 | 1, a: Record<string, AttrValue>) =>
    model({
      nodes: [node(op, nodeInputs, outputs, a, `node${seed}`)],
      initializers: inits,
      inputs: withLayout(l),
      outputs,
      opset,
    });
  const m = build(layout, layout === 1 ? { ...attrs, layout: 1 } : attrs);
  const oracle = build(0, attrs);
  const summary = `${op} ${direction} layout ${layout} opset ${opset} T${T} B${B} I${I} H${H}${withB ? " B" : ""}${withP ? " P" : ""}${withLengths ? " lens" : ""}${withStates ? " states" : ""} ${JSON.stringify(layout === 1 ? { ...attrs, layout: 1 } : attrs)}`;
  return { seed, op, D, layout, T, B, I, H, model: m, oracle, feeds, summary };
}
