// A weights file of either format, told apart by its first bytes (browser-safe): a zip archive
// or a bare pickle is torch.save's (.pt), anything else safetensors. A `.pt`/`.pth` name that is
// neither is read as .pt too, so its error speaks of torch.save rather than of a JSON header.
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
  return /\.(pt|pth)$/i.test(source);
}
