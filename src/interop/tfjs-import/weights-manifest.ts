// The weights of a tfjs model.json: the manifest's groups name .bin files beside model.json whose
// bytes, concatenated in order, hold every weight in turn (float32, int32, or quantized to uint8,
// uint16 or float16 with the manifest's scale and min). Files are looked up only by plain names
// in model.json's folder, so a manifest cannot reach other files.
import { DataError } from "../../shared/data-error.js";
import { checkedSize } from "../../shared/limits.js";
import { f16ToF32 } from "../../runtime/float-codec.js";
import type { JsonView } from "./json-view.js";

export interface ManifestWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Reads a weight file named in the manifest; the name is a plain file name. */
export type ReadWeightFile = (name: string) => Uint8Array;

const PLAIN_FILE = /^(?!\.\.?$)[^/\\\0]+$/;

export function readManifest(manifest: JsonView, read: ReadWeightFile): ManifestWeight[] {
  const out: ManifestWeight[] = [];
  for (const group of manifest.items()) {
    const files = group
      .at("paths")
      .items()
      .map((p) => {
        const name = p.string();
        if (!PLAIN_FILE.test(name)) throw p.fail(`'${name}' is not a file name beside model.json`);
        return read(name);
      });
    const bytes = concat(files);
    let at = 0;
    for (const spec of group.at("weights").items()) {
      const w = readWeight(spec, bytes, at);
      out.push(w.weight);
      at = w.end;
    }
    if (at !== bytes.length)
      throw group.fail(`the weight files hold ${bytes.length} bytes, the weights ${at}`);
  }
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const WIDTH: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function readWeight(
  spec: JsonView,
  bytes: Uint8Array,
  at: number,
): { weight: ManifestWeight; end: number } {
  const name = spec.at("name").string();
  const shape = spec
    .at("shape")
    .items()
    .map((d) => d.number());
  const count = checkedSize(shape);
  if (count === null) throw spec.fail(`shape [${shape.join(", ")}] is over cellc's limits`);
  const dtype = spec.at("dtype").optionalString("float32");
  const quantization = spec.at("quantization");
  const stored = quantization.isMissing ? dtype : quantization.at("dtype").string();
  const width = WIDTH[stored];
  if (width === undefined || (quantization.isMissing && dtype !== "float32" && dtype !== "int32"))
    throw spec.fail(`weight '${name}' is stored as ${stored}, which cellc does not read`);
  const end = at + count * width;
  if (end > bytes.length)
    throw new DataError(
      spec.source,
      null,
      `${spec.path}: weight '${name}' runs past the end of the weight files`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, count * width);
  const scale =
    quantization.isMissing || stored === "float16" ? 1 : quantization.at("scale").number();
  const min = quantization.isMissing || stored === "float16" ? 0 : quantization.at("min").number();
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = decode(view, i, stored) * scale + min;
  return { weight: { name, shape, data }, end };
}

function decode(view: DataView, i: number, stored: string): number {
  switch (stored) {
    case "float32":
      return view.getFloat32(4 * i, true);
    case "int32":
      return view.getInt32(4 * i, true);
    case "uint8":
      return view.getUint8(i);
    case "uint16":
      return view.getUint16(2 * i, true);
    default:
      return f16ToF32(view.getUint16(2 * i, true));
  }
}
