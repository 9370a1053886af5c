// Reads and compiles a `.cell` file for a CLI verb, printing its diagnostics to stderr.
import { readFileSync } from "node:fs";
import { compile, type CompileOptions, type CompileResult } from "../index.js";
import { formatDiagnostic } from "../diagnostics.js";

export interface LoadedCell {
  readonly result: CompileResult;
  readonly errors: number;
  readonly warnings: number;
}

export class FileError extends Error {
  override readonly name = "FileError";
}

export function readSource(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : (e as Error).message;
    throw new FileError(`${path}: cannot read: ${reason}`);
  }
}

export function loadCell(
  path: string,
  activations: Readonly<Record<string, string>> = {},
  more: Omit<CompileOptions, "file" | "activations" | "activationLabel"> = {},
): LoadedCell {
  const activationLabel = (slot: string) => `--act ${slot}`;
  const options = { file: path, activations, activationLabel, ...more };
  const result = compile(readSource(path), options);
  for (const d of result.diagnostics)
    process.stderr.write(`${formatDiagnostic(d, result.source)}\n\n`);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  return { result, errors, warnings: result.diagnostics.length - errors };
}
