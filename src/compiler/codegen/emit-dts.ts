// Emits the `.d.ts` that goes with a generated `.js` module.
import type { CellIR } from "../ir/ir.js";
import { modelTypes } from "./public-types.js";
import { PUBLIC_TYPES_DTS } from "./runtime-bundle.js";

export function emitDts(ir: CellIR, header: readonly string[]): string {
  return [
    ...header,
    "",
    PUBLIC_TYPES_DTS,
    modelTypes(ir),
    "export declare const meta: CellMeta;",
    "",
    "/** Binds the cell to PyTorch-named weights (`weight_ih_l0`, ...); throws a DataError on bad ones. */",
    "export declare function create(",
    "  weights: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,",
    "  options?: StackOptions,",
    "): Model;",
    "",
    "/** The entry point of this module's worker threads (see StackOptions.threads); not for direct use. */",
    "export declare function serveThread(data: unknown): void;",
    "",
  ].join("\n");
}
