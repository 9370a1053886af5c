// Node only: .npy and .safetensors files on disk. The formats themselves are browser-safe
// (npy.ts, safetensors.ts); this file adds reading and writing through node-io.ts, so reads never
// block on a FIFO or a device, writes never leave a partial file, and errors name the path.
import { readRegularFile, writeRegularFile } from "./node-io.js";
import { encodeNpy, parseNpy } from "./npy.js";
import { ownRecord } from "./own-record.js";
import { encodeSafetensors, parseSafetensors } from "./safetensors.js";
import type { Tensor } from "../shared/tensor.js";

/**
 * A file's bytes; a file that cannot be read, or is not a regular file, is a DataError naming it
 * and saying why.
 */
export function readDataFile(path: string): Uint8Array {
  return readRegularFile(path);
}

export function readNpy(path: string): Tensor {
  return parseNpy(readDataFile(path), path);
}

export function writeNpy(path: string, t: Tensor): void {
  writeRegularFile(path, encodeNpy(t, path));
}

export function readSafetensors(path: string): Map<string, Tensor> {
  return parseSafetensors(readDataFile(path), path);
}

/**
 * A weights file as `{ name: tensor }`, the form `create(weights)` takes. Tensor names are the
 * file's: the record has no prototype, so `__proto__` or `constructor` is a key like any other.
 */
export function readWeights(path: string): Record<string, Tensor> {
  return ownRecord(readSafetensors(path));
}

export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
): void {
  writeRegularFile(path, encodeSafetensors(tensors, metadata, path));
}
