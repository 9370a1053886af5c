// cellc's library activations that ONNX's recurrent operators have under another name, with how
// their arguments become `activation_alpha` / `activation_beta`. ONNX Runtime reads an alpha
// (beta) only for the functions that take one, in the order of the activations, so only those
// are written. A binding outside this table (step, clip, hard_tanh, a user's fn) is no ONNX
// activation, and the cell is exported as a Scan instead.
import type { SlotBinding } from "../../compiler/ir/ir.js";

export interface OnnxActivation {
  readonly name: string;
  readonly alpha?: number;
  readonly beta?: number;
}

type Mapping = (args: readonly number[]) => OnnxActivation | null;

const plain =
  (name: string): Mapping =>
  (args) =>
    args.length === 0 ? { name } : null;

const withAlpha =
  (name: string): Mapping =>
  ([alpha, ...rest]) =>
    alpha !== undefined && rest.length === 0 ? { name, alpha } : null;

const withAlphaBeta =
  (name: string): Mapping =>
  ([alpha, beta, ...rest]) =>
    alpha !== undefined && beta !== undefined && rest.length === 0 ? { name, alpha, beta } : null;

// The bindings carry every argument, defaults filled in (hard_sigmoid is hard_sigmoid(0.2, 0.5)).
const MAPPINGS: Readonly<Record<string, Mapping>> = {
  sigmoid: plain("Sigmoid"),
  tanh: plain("Tanh"),
  relu: plain("Relu"),
  softsign: plain("Softsign"),
  softplus: plain("Softplus"),
  linear: (args) => (args.length === 0 ? { name: "Affine", alpha: 1, beta: 0 } : null),
  affine: withAlphaBeta("Affine"),
  leaky_relu: withAlpha("LeakyRelu"),
  thresholded_relu: withAlpha("ThresholdedRelu"),
  elu: withAlpha("Elu"),
  scaled_tanh: withAlphaBeta("ScaledTanh"),
  hard_sigmoid: withAlphaBeta("HardSigmoid"),
};

/** The ONNX activation a slot's binding is, or null when ONNX has none. */
export function onnxActivation(binding: SlotBinding): OnnxActivation | null {
  const mapping = Object.hasOwn(MAPPINGS, binding.activation)
    ? MAPPINGS[binding.activation]
    : undefined;
  return mapping ? mapping(binding.args) : null;
}

/** The `.cell` binding text that reproduces `binding` (`hard_sigmoid(0.25, 0.5)`). */
export function bindingText(binding: SlotBinding): string {
  const args = binding.args.map((a) => String(a)).join(", ");
  return args ? `${binding.activation}(${args})` : binding.activation;
}
