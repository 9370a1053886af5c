// A weights file of either format, told apart by its first bytes (browser-safe): a zip archive
// or a legacy torch pickle is torch.save's (.pt), anything else safetensors. A `.pt`/`.pth` file
// that is neither, and not safetensors either, is read as .pt, so its error speaks of torch.save
// rather than of a safetensors header.
import type { Tensor } from "../shared/tensor.js";
import { isLegacyTorchFile, parsePt } from "./pt.js";
import { parseSafetensors } from "./safetensors.js";

// "PK\x03\x04", a zip's first local header. A safetensors file would begin so only with a
// header of exactly 67,324,752 bytes.
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The tensors of a .safetensors or .pt weights file; `source` names it (and its extension). */
export function parseWeights(bytes: Uint8Array, source: string): Map<string, Tensor> {
  return isTorchFile(bytes, source) ? parsePt(bytes, source) : parseSafetensors(bytes, source);
}

function isTorchFile(bytes: Uint8Array, source: string): boolean {
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b) || isLegacyTorchFile(bytes)) return true;
  const safetensors = bytes[8] === 0x7b; // a safetensors header opens with "{"
  return /\.(pt|pth)$/i.test(source) && !safetensors;
}
