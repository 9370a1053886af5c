// The safetensors format on bytes (browser-safe): reads F32/F64 (F16/BF16 widened to f32) after
// checking the whole header against the spec, and writes F32/F64. Tensors keep the header's order;
// any bad input is a DataError naming the file and, where there is one, the tensor. Sizes are held
// to src/shared/limits.ts before anything is decoded; tensor names are only ever Map keys.

import { DataError } from "../shared/data-error.js";
import { MAX_HEADER_BYTES } from "../shared/limits.js";
import { checkShapeLimits } from "./file-shape.js";
import { BYTES_PER_ITEM, decodeFloats, encodeFloats, type FloatKind } from "./float-codec.js";
import { parseJsonText, previewJson as show } from "./json-text.js";
import { formatShape, tensor, type Tensor } from "../shared/tensor.js";

// Readable dtypes; halves widen to f32 exactly. Integer and 8-bit float data is refused by name.
const DTYPES: ReadonlyMap<string, FloatKind> = new Map([
  ["F32", "f32"],
  ["F64", "f64"],
  ["F16", "f16"],
  ["BF16", "bf16"],
]);
const METADATA = "__metadata__"; // the one top-level key that is not a tensor

/** One validated header entry; `begin`/`end` are offsets into the data section. */
interface Entry {
  readonly name: string;
  readonly kind: FloatKind;
  readonly shape: readonly number[];
  readonly size: number;
  readonly begin: number;
  readonly end: number;
}

type Fail = (detail: string) => DataError;

export function parseSafetensors(bytes: Uint8Array, source: string): Map<string, Tensor> {
  const fail: Fail = (detail) => new DataError(source, null, detail);
  if (bytes.length < 8) {
    throw fail(`truncated file: expected an 8-byte header length, found ${bytes.length} bytes`);
  }
  // The length is a u64: compare it as a bigint so a huge value cannot round into range.
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) {
    throw fail(`header length ${length} runs past the end of the file (${bytes.length} bytes)`);
  }
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw fail(`header length ${length} is over the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const dataStart = 8 + Number(length);
  const dataLength = bytes.length - dataStart;
  const entries = readHeader(bytes.subarray(8, dataStart), source).map((e) =>
    readEntry(e.name, e.value, dataLength, source),
  );
  checkCoverage(entries, dataLength, source);
  const out = new Map<string, Tensor>();
  for (const e of entries) {
    const data = decodeFloats(bytes, dataStart + e.begin, e.size, e.kind);
    out.set(e.name, tensor(data, e.shape));
  }
  return out;
}

export function serializeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  return encodeSafetensors(tensors, metadata, "serializeSafetensors");
}

/** Parses the JSON header and checks `__metadata__`; returns the tensor entries unchecked. */
function readHeader(raw: Uint8Array, source: string): { name: string; value: unknown }[] {
  const fail: Fail = (detail) => new DataError(source, null, detail);
  const text = decodeUtf8(raw, fail);
  const json = parseJsonText(text, (detail) => fail(`header is ${detail}`));
  if (!isObject(json)) throw fail(`expected the header to be a JSON object, found ${show(json)}`);
  checkMetadata(own(json, METADATA), fail);
  // JSON.parse would silently keep the last of two equal keys; a weights file must not be ambiguous.
  const names = topLevelKeys(text);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw fail(`header names '${name}' twice`);
    seen.add(name);
  }
  return names.filter((n) => n !== METADATA).map((name) => ({ name, value: own(json, name) }));
}

function decodeUtf8(raw: Uint8Array, fail: Fail): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw fail("header is not valid UTF-8");
  }
}

function checkMetadata(metadata: unknown, fail: Fail): void {
  if (metadata === undefined) return;
  const expected = "expected __metadata__ to map strings to strings";
  if (!isObject(metadata)) throw fail(`${expected}, found ${show(metadata)}`);
  for (const [key, value] of Object.entries(metadata)) {
    if (!isString(value)) throw fail(`${expected}, found ${JSON.stringify(key)}: ${show(value)}`);
  }
}

/** Checks one entry's fields, its size against its shape, and that it lies in the data section. */
function readEntry(name: string, value: unknown, dataLength: number, source: string): Entry {
  const fail: Fail = (detail) => new DataError(source, name, detail);
  if (!isObject(value)) {
    throw fail(`expected an object with dtype, shape and data_offsets, found ${show(value)}`);
  }
  const dtype = own(value, "dtype");
  const offsets = own(value, "data_offsets");
  if (!isString(dtype)) throw fail(`expected dtype to be a string, found ${show(dtype)}`);
  const kind = DTYPES.get(dtype);
  if (kind === undefined) {
    const shown = dtype.length > 40 ? `${dtype.slice(0, 37)}...` : dtype;
    throw fail(`unsupported dtype '${shown}': only F32, F64, F16 and BF16 are supported`);
  }
  const listed = own(value, "shape");
  if (!isSizeList(listed)) {
    throw fail(`expected shape to be a list of non-negative integers, found ${show(listed)}`);
  }
  const shape = listed.map((d) => (d === 0 ? 0 : d)); // JSON's -0 is the size 0
  const size = checkShapeLimits(shape, fail);
  const [begin, end] = isSizeList(offsets) && offsets.length === 2 ? offsets : [];
  if (begin === undefined || end === undefined || end < begin) {
    throw fail(
      `expected data_offsets to be [begin, end] with 0 <= begin <= end, found ${show(offsets)}`,
    );
  }
  const span = `data_offsets [${begin}, ${end}]`;
  const need = size * BYTES_PER_ITEM[kind]; // at most 8 * MAX_ELEMENTS: exact
  if (end - begin !== need) {
    const needs = `shape ${formatShape(shape)} of ${dtype} needs ${need}`;
    throw fail(`${span} hold ${end - begin} bytes but ${needs}`);
  }
  if (end > dataLength) {
    throw fail(`${span} run past the end of the ${dataLength}-byte data section`);
  }
  return { name, kind, shape, size, begin, end };
}

/** The spec wants the tensors to tile the data section exactly: no overlaps and no holes. */
function checkCoverage(entries: readonly Entry[], dataLength: number, source: string): void {
  // Sorted by position, each tensor must start where the previous one ended; an empty tensor
  // inside another one's bytes counts as an overlap, as in the reference implementation.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let previous: Entry | undefined;
  for (const e of sorted) {
    const covered = previous?.end ?? 0;
    if (previous !== undefined && e.begin < covered) {
      const other = `tensor '${previous.name}' at [${previous.begin}, ${previous.end}]`;
      throw new DataError(source, e.name, `data_offsets [${e.begin}, ${e.end}] overlap ${other}`);
    }
    if (e.begin > covered) throw hole(source, covered, e.begin);
    previous = e;
  }
  const covered = previous?.end ?? 0;
  if (covered < dataLength) throw hole(source, covered, dataLength);
}

function hole(source: string, from: number, to: number): DataError {
  const detail = `bytes ${from} to ${to} of the data section belong to no tensor (a hole)`;
  return new DataError(source, null, detail);
}

/** serializeSafetensors with `source` naming the destination in errors (`writeSafetensors`'s path). */
export function encodeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata: Record<string, string> | undefined,
  source: string,
): Uint8Array {
  const list = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  // The JSON is assembled by hand: an object would move integer-like names to the front.
  const parts: string[] = [];
  let offset = 0;
  for (const [name, t] of list) {
    checkTensor(name, t, source);
    const dtype = t.data instanceof Float32Array ? "F32" : "F64";
    const entry = { dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    offset += t.data.byteLength;
  }
  // Metadata goes last, as in the shared fixtures, so re-serializing them reproduces their bytes.
  if (metadata !== undefined) parts.push(`${JSON.stringify(METADATA)}:${JSON.stringify(metadata)}`);
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8; // padded with spaces, as the spec allows
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, t] of list) {
    encodeFloats(t.data, out, at);
    at += t.data.byteLength;
  }
  return out;
}

function checkTensor(name: string, t: Tensor, source: string): void {
  const fail: Fail = (detail) => new DataError(source, name, detail);
  if (name === METADATA) throw fail("the name __metadata__ is reserved for metadata");
  if (!isSizeList(t.shape)) throw fail(`shape ${formatShape(t.shape)} is not a list of sizes`);
  // A file the readers would refuse is not written.
  const need = checkShapeLimits(t.shape, fail);
  if (t.data.length !== need) {
    throw fail(
      `data has ${t.data.length} elements but shape ${formatShape(t.shape)} needs ${need}`,
    );
  }
}

/** The keys of a valid JSON object text, in file order (JSON.parse sorts integer-like keys first). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (depth === 1 && expectKey) keys.push(String(JSON.parse(text.slice(start, i + 1))));
      expectKey = false;
    } else if (c === "{" || c === "[") {
      depth++;
      expectKey = depth === 1;
    } else if (c === "}" || c === "]") {
      depth--;
    } else if (c === "," && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** A JSON object's own field: never one inherited from Object.prototype (`constructor`). */
const own = (o: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(o, key) ? o[key] : undefined;
const isString = (v: unknown): v is string => typeof v === "string";
const isSizeList = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
