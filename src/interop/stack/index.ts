// From a RecurrentStack to what `cellc import` writes: the .cell text and the state_dict. The text
// is compiled here, so a bug in the writer surfaces as an internal error, never as a broken file.
import { compile, formatShort } from "../../index.js";
import type { Tensor } from "../../shared/tensor.js";
import { renderCell } from "./cell-text.js";
import type { RecurrentStack } from "./types.js";
import { stateDict } from "./weights.js";

export interface ImportedFiles {
  readonly cellText: string;
  readonly weights: Map<string, Tensor>;
}

export function importedFiles(stack: RecurrentStack): ImportedFiles {
  const cellText = renderCell(stack);
  const result = compile(cellText, { file: "model.cell" });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.ir) {
    const first = errors[0] ? formatShort(errors[0], result.source) : "no IR";
    throw new Error(`internal: the imported cell does not compile: ${first}`);
  }
  return { cellText, weights: stateDict(stack) };
}

export type { Activation, CellSpec, Directions, IoNote, RecurrentStack } from "./types.js";
export { bindingText, cellName } from "./cell-text.js";
export { isPlainName, safeName } from "./safe-name.js";
export { formatNumber } from "./numbers.js";
export { checkShape, reorderBlocks } from "./weights.js";
