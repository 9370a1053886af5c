// Reads a data file whole; a missing or unreadable file becomes a one-line DataError, not an
// errno stack trace.
import { readFileSync } from "node:fs";
import { DataError } from "../shared/data-error.js";

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "is a directory, not a file",
};

export function readDataFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new DataError(path, null, `cannot read: ${REASONS[code] ?? (e as Error).message}`);
  }
}
