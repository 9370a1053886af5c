// Keras' activations as tfjs-layers computes them, as cellc activations: the library's where they
// agree (tfjs' hard_sigmoid is clip(0.2 x + 0.5, 0, 1), its elu has alpha 1, gelu uses erf and
// gelu_new the tanh form), custom-fns.ts for the rest. Names come in tfjs' camelCase or Keras'
// snake_case; softmax and log_softmax are not element-wise, so no slot can hold them.
import type { Activation } from "../stack/index.js";
import type { JsonView } from "./json-view.js";

const KERAS: ReadonlyMap<string, Activation> = new Map([
  ["linear", { name: "linear", args: [] }],
  ["tanh", { name: "tanh", args: [] }],
  ["sigmoid", { name: "sigmoid", args: [] }],
  ["hardsigmoid", { name: "hard_sigmoid", args: [0.2, 0.5] }],
  ["relu", { name: "relu", args: [] }],
  ["relu6", { name: "relu6", args: [] }],
  ["elu", { name: "elu", args: [1] }],
  ["selu", { name: "selu", args: [] }],
  ["softplus", { name: "softplus", args: [] }],
  ["softsign", { name: "softsign", args: [] }],
  ["swish", { name: "swish", args: [] }],
  ["mish", { name: "mish", args: [] }],
  ["gelu", { name: "gelu", args: [] }],
  ["gelunew", { name: "gelu_tanh", args: [] }],
]);

/**
 * The activation at `v`: a name ("hard_sigmoid"), or an object naming one as Keras 3 writes it
 * ({"class_name": "function", "config": "tanh"}); `fallback` when absent.
 */
export function kerasActivation(v: JsonView, fallback: string): Activation {
  const name = v.isMissing ? fallback : v.isObject ? objectName(v) : v.string();
  const found = KERAS.get(name.replace(/_/g, "").toLowerCase());
  if (!found) {
    const why = /softmax/i.test(name) ? "it is not element-wise" : "cellc does not know it";
    throw v.fail(
      `activation '${name}' cannot be imported: ${why} (known: ${[...KERAS.keys()].join(", ")})`,
    );
  }
  return found;
}

function objectName(v: JsonView): string {
  const config = v.at("config");
  return config.isObject ? config.at("name").string() : config.string();
}
