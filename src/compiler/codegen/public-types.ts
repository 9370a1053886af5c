// The cell-specific public types of a generated module, shared by its `.d.ts` and by its `--ts`
// form: a module's states are named in its types, so `forward(...).states.c` is checked. The
// runtime's own types (Tensor, CellMeta, StackOptions) come from its source, in the bundle.
import type { CellIR } from "../ir/ir.js";
import { stringLiteral } from "./literals.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * What TypeScript's `Object` declares: every object literal has these, so an optional property
 * of that name must also admit the inherited member, or even `{}` would not type-check.
 */
const OBJECT_MEMBERS: ReadonlySet<string> = new Set([
  ...["constructor", "toString", "toLocaleString", "valueOf"],
  ...["hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"],
]);

/** The type of `forward`'s initial states: tensors by state name, each optional. */
function initialStatesType(ir: CellIR, stateUnion: string): string {
  const inherited = ir.states.some((s) => OBJECT_MEMBERS.has(s.name));
  if (!inherited) return `Readonly<Partial<Record<${stateUnion}, Tensor>>>`;
  return `{ readonly [K in ${stateUnion}]?: K extends keyof Object ? Tensor | Object[K] : Tensor }`;
}

/** The cell-specific part: the states by name, and the model. */
export function modelTypes(ir: CellIR): string {
  const names = ir.states.map((s) => stringLiteral(s.name));
  const stateUnion = names.length > 0 ? names.join(" | ") : "never";
  const initial = initialStatesType(ir, stateUnion);
  // Property names quoted only where needed, as prettier writes them: all or none.
  const plain = ir.states.every((s) => IDENTIFIER.test(s.name));
  const keys = plain ? ir.states.map((s) => s.name) : names;
  return `/** Final states, (layers * directions, batch, size) each, as nn.LSTM returns (h_n, c_n). */
export type States = {
${keys.map((k) => `  readonly ${k}: Tensor<Float32Array>;`).join("\n")}
};

export interface Model {
  /**
   * Input (T, B, I), or (B, T, I) with batchFirst; initial states default to zeros. With
   * \`{ lengths }\`, sample b has lengths[b] valid steps, as in pack_padded_sequence.
   */
  forward(
    input: Tensor,
    initial?: ${initial},
    options?: ForwardOptions,
  ): { readonly output: Tensor<Float32Array>; readonly states: States };
  /** Stops the worker threads of \`threads\` (the model then runs on one); idle ones never keep Node alive. */
  close(): void;
}
`;
}
