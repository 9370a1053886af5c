// From a `.cell` source to a live kernel: compile, generate the standalone module, and import it.
// The module is imported from a data: URL, exactly as a user would import the file.
import { generateModule } from "./compiler/codegen/index.js";
import type { Target } from "./compiler/codegen/target.js";
import type { CellIR } from "./compiler/ir/ir.js";
import type { SourceText } from "./diagnostics.js";
import type { CellMeta } from "./shared/meta.js";
import type { ForwardOptions, StackOptions, StackResult } from "./embedded/stack-types.js";
import type { Tensor } from "./shared/tensor.js";

export interface Model {
  forward(
    input: Tensor,
    initial?: Readonly<Record<string, Tensor>>,
    options?: ForwardOptions,
  ): StackResult<Float32Array>;
  /** Stops the worker threads of `threads`. */
  close(): void;
}

/** What a generated module exports. */
export interface KernelModule {
  readonly meta: CellMeta;
  create(
    weights: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
    options?: StackOptions,
  ): Model;
}

export async function importKernel(code: string): Promise<KernelModule> {
  const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
  return (await import(url)) as KernelModule;
}

/** Generates the module for optimized IR (unformatted: it is only executed) and imports it. */
export async function loadKernel(
  optIR: CellIR,
  source: SourceText,
  passes: readonly string[],
  target: Target = "wasm",
): Promise<KernelModule> {
  const { code } = await generateModule(optIR, { source, passes, format: false, target });
  return importKernel(code);
}
