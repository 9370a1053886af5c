// Compiles cells into live kernels for `run` and `compare`, once per cell and activation set.
import { existsSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CellIR } from "../compiler/ir/ir.js";
import { PIPELINE } from "../compiler/passes/index.js";
import type { SourceText } from "../diagnostics.js";
import { type KernelModule, loadKernel } from "../kernel.js";
import { FileError } from "./file-error.js";
import { loadCell } from "./load-cell.js";
import type { Target } from "../compiler/codegen/target.js";

export interface CompiledCell {
  /** The IR as lowered: what the float64 interpreter runs (it must not depend on passes). */
  readonly ir: CellIR;
  readonly kernel: KernelModule;
  readonly source: SourceText;
}

/** The shipped cell of that name (`cells/lstm.cell` in this package). */
export function shippedCell(name: string): string {
  const path = fileURLToPath(new URL(`../../cells/${name}.cell`, import.meta.url));
  if (!/^\w+$/.test(name) || !existsSync(path))
    throw new FileError(`no shipped cell '${name}' (see cells/)`);
  const local = relative(process.cwd(), path);
  return local.startsWith("..") || isAbsolute(local) ? path : local;
}

const cache = new Map<string, Promise<CompiledCell | null>>();

/** Null when the cell has errors (already printed). */
export function compileCell(
  path: string,
  activations: Readonly<Record<string, string>>,
  target: Target = "wasm",
): Promise<CompiledCell | null> {
  const key = JSON.stringify([path, Object.entries(activations).sort(), target]);
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = (async () => {
      const { result } = loadCell(path, activations);
      if (!result.ir || !result.optIR) return null;
      const kernel = await loadKernel(
        result.optIR,
        result.source,
        PIPELINE.map((p) => p.name),
        target,
      );
      return { ir: result.ir, kernel, source: result.source };
    })();
    cache.set(key, compiled);
  }
  return compiled;
}
