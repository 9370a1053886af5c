// Activations that importers need and cellc's library lacks, written in the cell language. A
// generated .cell defines the ones its slots use; the texts are fixed here, never from a model.

const CUSTOM: ReadonlyMap<string, { readonly text: string; readonly why: string }> = new Map([
  [
    "selu",
    {
      why: "Keras' selu: scale * elu(x, alpha) with the constants of Klambauer et al. 2017",
      text: "fn selu(x) = 1.0507009873554805 * elu(x, 1.6732632423543772)",
    },
  ],
  ["relu6", { why: "Keras' relu6", text: "fn relu6(x) = clip(x, 0, 6)" }],
  ["swish", { why: "Keras' swish (SiLU)", text: "fn swish(x) = x * sigmoid(x)" }],
  [
    "mish",
    { why: "Keras' mish: x * tanh(softplus(x))", text: "fn mish(x) = x * tanh(softplus(x))" },
  ],
]);

/** Whether `name` is defined here (and must be written into the cell that uses it). */
export const isCustomActivation = (name: string): boolean => CUSTOM.has(name);

/** The comment and the `fn` line for `name`, which isCustomActivation accepts. */
export function customFnLines(name: string): readonly string[] {
  const fn = CUSTOM.get(name);
  if (!fn) throw new Error(`internal: no custom activation '${name}'`);
  return [`# ${fn.why}`, fn.text];
}
