// Reads and compiles a `.cell` file for a CLI verb, printing its diagnostics to stderr (control
// characters escaped). Only a regular file is read: a FIFO, a device or a directory is refused
// with a one-line DataError, before anything can block.
import { compile, type CompileOptions, type CompileResult } from "../index.js";
import { formatDiagnostic } from "../diagnostics.js";
import { readRegularFile } from "../runtime/node-io.js";
import { printable } from "../shared/printable.js";

export interface LoadedCell {
  readonly result: CompileResult;
  readonly errors: number;
  readonly warnings: number;
}

/** UTF-8 as readFileSync(path, "utf8") decodes it: a byte order mark is kept, not dropped. */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** The text of the `.cell` file at `path`, a regular file only (node-io.ts refuses the others). */
const readSource = (path: string): string => UTF8.decode(readRegularFile(path));

/** Text for stderr: every line with its control characters escaped (file names may hold any). */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
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
    process.stderr.write(`${printableLines(formatDiagnostic(d, result.source))}\n\n`);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  return { result, errors, warnings: result.diagnostics.length - errors };
}
