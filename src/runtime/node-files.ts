// Node only: .npy and .safetensors files on disk. The formats themselves are browser-safe
// (npy.ts, safetensors.ts); this file adds reading and writing, with errors naming the path.
import { readFileSync, writeFileSync } from "node:fs";
import { DataError } from "../shared/data-error.js";
import { encodeNpy, parseNpy } from "./npy.js";
import { encodeSafetensors, parseSafetensors } from "./safetensors.js";
import type { Tensor } from "../shared/tensor.js";

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "is a directory, not a file",
};

/** A file's bytes; a file that cannot be read is a DataError naming it and saying why. */
export function readDataFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new DataError(path, null, `cannot read: ${REASONS[code] ?? (e as Error).message}`);
  }
}

export function readNpy(path: string): Tensor {
  return parseNpy(readDataFile(path), path);
}

export function writeNpy(path: string, t: Tensor): void {
  writeFileSync(path, encodeNpy(t, path));
}

export function readSafetensors(path: string): Map<string, Tensor> {
  return parseSafetensors(readDataFile(path), path);
}

/** A weights file as `{ name: tensor }`, the form `create(weights)` takes. */
export function readWeights(path: string): Record<string, Tensor> {
  return Object.fromEntries(readSafetensors(path));
}

export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
): void {
  writeFileSync(path, encodeSafetensors(tensors, metadata, path));
}
