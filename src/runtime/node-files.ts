// Node only: .npy, .safetensors and .pt files on disk. The formats themselves are browser-safe
// (npy.ts, safetensors.ts, pt.ts); this file adds reading and writing through node-io.ts, so reads never
// block on a FIFO or a device, writes never leave a partial file, and errors name the path.
import { readRegularFile, writeRegularFile } from "./node-io.js";
import { type IntegerTensor, encodeNpy, parseIntegerNpy, parseNpy } from "./npy.js";
import { ownRecord } from "./own-record.js";
import { parsePt } from "./pt.js";
import { encodeSafetensors, parseSafetensors } from "./safetensors.js";
import { parseWeights } from "./weights-file.js";
import { DataError } from "../shared/data-error.js";
import { type Tensor, formatShape } from "../shared/tensor.js";

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

/** An .npy file of <i4 or <i8 integers (sequence lengths), as an Int32Array. */
export function readIntegerNpy(path: string): IntegerTensor {
  return parseIntegerNpy(readDataFile(path), path);
}

/**
 * Sequence lengths from an .npy file: one integer per sample, shape (B,), <i4 or <i8 (as torch
 * gives them). Their count and range are checked by the forward they are given to.
 */
export function readLengths(path: string): Int32Array {
  const { data, shape } = readIntegerNpy(path);
  if (shape.length !== 1) {
    const detail = `expected lengths of shape (batch,), one per sample, found ${formatShape(shape)}`;
    throw new DataError(path, null, detail);
  }
  return data;
}

export function writeNpy(path: string, t: Tensor): void {
  writeRegularFile(path, encodeNpy(t, path));
}

export function readSafetensors(path: string): Map<string, Tensor> {
  return parseSafetensors(readDataFile(path), path);
}

/** A state_dict saved by torch.save (PyTorch 1.6 or later); see pt.ts for what it admits. */
export function readPt(path: string): Map<string, Tensor> {
  return parsePt(readDataFile(path), path);
}

/** A weights file, .safetensors or .pt (told apart by its content), as a Map in the file's order. */
export function readWeightsMap(path: string): Map<string, Tensor> {
  return parseWeights(readDataFile(path), path);
}

/**
 * A weights file (.safetensors or .pt) as `{ name: tensor }`, the form `create(weights)` takes.
 * Tensor names are the file's: the record has no prototype, so `__proto__` or `constructor` is a
 * key like any other.
 */
export function readWeights(path: string): Record<string, Tensor> {
  return ownRecord(readWeightsMap(path));
}

export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
): void {
  writeRegularFile(path, encodeSafetensors(tensors, metadata, path));
}
