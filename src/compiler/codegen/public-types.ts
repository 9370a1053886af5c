// The public types of a generated module, shared by its `.d.ts` and by its `--ts` form: a
// module's states are named in its types, so `forward(...).states.c` is checked.
import type { CellIR } from "../ir.js";
import { stringLiteral } from "./literals.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Declarations the runtime bundle already has in a `--ts` module; a `.d.ts` must spell them out. */
export const RUNTIME_TYPES = `export type FloatArray = Float32Array | Float64Array;

export interface Tensor<A extends FloatArray = FloatArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

/** A size such as 4*H + 1: constant + sum of coeff * name. */
export interface Size {
  readonly constant: number;
  readonly terms: readonly { readonly name: string; readonly coeff: number }[];
}

export interface CellMeta {
  readonly name: string;
  readonly sizes: readonly string[];
  readonly input: { readonly name: string; readonly shape: readonly Size[] };
  readonly states: readonly { readonly name: string; readonly shape: readonly Size[] }[];
  readonly params: readonly {
    readonly name: string;
    readonly shape: readonly Size[];
    readonly fill: number | null;
  }[];
  readonly output: { readonly name: string; readonly shape: readonly Size[] };
  readonly slots: readonly {
    readonly slot: string;
    readonly activation: string;
    readonly args: readonly number[];
  }[];
}

export interface StackOptions {
  /** Input (batch, time, features) instead of (time, batch, features), as batch_first=True. */
  readonly batchFirst?: boolean;
  /**
   * Threads to split a forward's batch over (Node; default 1): rows are shared out, at least two
   * per thread, when the work is worth a wake-up. Results equal one thread's bit for bit.
   */
  readonly threads?: number;
  /** Names for error messages: where the weights, the input and each initial state came from. */
  readonly sources?: {
    readonly weights?: string;
    readonly input?: string;
    readonly states?: Readonly<Record<string, string>>;
  };
}
`;

/** The cell-specific part: the states by name, and the model. */
export function modelTypes(ir: CellIR): string {
  const names = ir.states.map((s) => stringLiteral(s.name));
  const stateUnion = names.length > 0 ? names.join(" | ") : "never";
  // Property names quoted only where needed, as prettier writes them: all or none.
  const plain = ir.states.every((s) => IDENTIFIER.test(s.name));
  const keys = plain ? ir.states.map((s) => s.name) : names;
  return `/** Final states, (layers * directions, batch, size) each, as nn.LSTM returns (h_n, c_n). */
export type States = {
${keys.map((k) => `  readonly ${k}: Tensor<Float32Array>;`).join("\n")}
};

export interface Model {
  /** Input (T, B, I), or (B, T, I) with batchFirst; initial states default to zeros. */
  forward(
    input: Tensor,
    initial?: Readonly<Partial<Record<${stateUnion}, Tensor>>>,
  ): { readonly output: Tensor<Float32Array>; readonly states: States };
  /** Stops the worker threads of \`threads\` (the model then runs on one); idle ones never keep Node alive. */
  close(): void;
}
`;
}
