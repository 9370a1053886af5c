// numpy's .npy format on bytes (browser-safe): reads versions 1.0-3.0 holding little-endian <f4/<f8
// in C order (parseNpy), or <i4/<i8 integers that fit in 32 bits (parseIntegerNpy: sequence
// lengths), and writes float version 1.0 exactly as numpy.save does. Any bad input is a DataError
// naming the file; nothing else from the format (other dtypes, Fortran order, pickles) is accepted,
// and shapes over the limits of src/shared/limits.ts are refused before anything is allocated.

import { DataError } from "../shared/data-error.js";
import { type Fail, type PyValue, PyLiteralParser, clip, isSeq, pyRepr } from "./py-literal.js";
import { checkShapeLimits } from "./file-shape.js";
import { BYTES_PER_ITEM, decodeFloats, encodeFloats } from "./float-codec.js";
import { formatShape, tensor, type Tensor } from "../shared/tensor.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
// The only dtypes read or written; big-endian data and other kinds are refused, never converted.
const DTYPES = { "<f4": "f32", "<f8": "f64" } as const;
type Dtype = keyof typeof DTYPES;
const INTEGER_DTYPES = { "<i4": 4, "<i8": 8 } as const;
type IntegerDtype = keyof typeof INTEGER_DTYPES;

/** An integer array read from a file (int64 values checked to fit), such as sequence lengths. */
export interface IntegerTensor {
  readonly data: Int32Array;
  readonly shape: readonly number[];
}

// numpy aligns the data to 64 bytes and leaves room for the first axis to grow to 21 digits.
const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

export function parseNpy(bytes: Uint8Array, source: string): Tensor {
  const fail = (detail: string): DataError => new DataError(source, null, detail);
  const file = readFile(bytes, fail, DTYPES, (d) => BYTES_PER_ITEM[DTYPES[d]]);
  return tensor(decodeFloats(bytes, file.dataOffset, file.count, DTYPES[file.dtype]), file.shape);
}

/**
 * Reads an .npy file of <i4 or <i8 integers; an int64 value must fit in 32 bits. Any other dtype
 * (floats included) is refused: integers are never guessed from floats.
 */
export function parseIntegerNpy(bytes: Uint8Array, source: string): IntegerTensor {
  const fail = (detail: string): DataError => new DataError(source, null, detail);
  const file = readFile(bytes, fail, INTEGER_DTYPES, (d) => INTEGER_DTYPES[d]);
  const { dataOffset, count, shape } = file;
  const width = INTEGER_DTYPES[file.dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, count * width);
  const data = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (width === 4) data[i] = view.getInt32(4 * i, true);
    else {
      const v = view.getBigInt64(8 * i, true);
      if (v < -(2n ** 31n) || v >= 2n ** 31n) {
        throw fail(
          `value ${v} at index ${i} does not fit in 32 bits (${-(2 ** 31)} to ${2 ** 31 - 1})`,
        );
      }
      data[i] = Number(v);
    }
  }
  return { data, shape };
}

/** Preamble, header and data size of a file of one of `dtypes`, each item `width(dtype)` bytes. */
function readFile<D extends string>(
  bytes: Uint8Array,
  fail: Fail,
  dtypes: Readonly<Record<D, unknown>>,
  width: (dtype: D) => number,
): { dtype: D; shape: number[]; count: number; dataOffset: number } {
  const { header, dataOffset } = readPreamble(bytes, fail);
  const dict = new PyLiteralParser(header, fail).parseDict();
  const { dtype, shape } = readHeader(dict, fail, Object.keys(dtypes) as D[]);
  const count = checkShapeLimits(shape, fail, showTuple);
  const need = count * width(dtype); // at most 8 * MAX_ELEMENTS: exact
  // numpy itself tolerates extra bytes, but in a data file they mean a wrong shape or a bad write.
  const found = bytes.length - dataOffset;
  const what = `shape ${showTuple(shape)} of ${dtype} needs ${need} bytes`;
  if (found < need) throw fail(`truncated data: ${what}, found ${found}`);
  if (found > need) throw fail(`trailing bytes: ${what}, found ${found} (${found - need} extra)`);
  return { dtype, shape, count, dataOffset };
}

export function serializeNpy(t: Tensor): Uint8Array {
  return encodeNpy(t, "serializeNpy");
}

/**
 * Writes what numpy.save writes for the same array, byte for byte (checked against fixtures).
 * `source` names the destination in errors; `writeNpy` passes its path.
 */
export function encodeNpy(t: Tensor, source: string): Uint8Array {
  // Tensors built without tensor() can break its invariant; refuse rather than write a bad file.
  const fail: Fail = (detail) => new DataError(source, null, detail);
  const shapeText = formatShape(t.shape);
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(`shape ${shapeText} is not a list of sizes`);
  }
  // A file parseNpy would refuse is not written.
  const need = checkShapeLimits(t.shape, fail);
  if (t.data.length !== need) {
    throw fail(`data has ${t.data.length} elements but shape ${shapeText} needs ${need}`);
  }
  const dtype: Dtype = t.data instanceof Float32Array ? "<f4" : "<f8";
  const shape = showTuple(t.shape);
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const growth = t.shape.length > 0 ? GROWTH_AXIS_MAX_DIGITS - String(t.shape[0]).length : 0;
  const unpadded = dict + " ".repeat(growth);
  // Like numpy: version 1.0 unless the header outgrows its u16 length field.
  const short = padHeader(unpadded, 2);
  const lengthBytes = short.length > 0xffff ? 4 : 2;
  const header = lengthBytes === 2 ? short : padHeader(unpadded, 4);
  const dataOffset = 8 + lengthBytes + header.length;
  const out = new Uint8Array(dataOffset + t.data.byteLength);
  out.set(MAGIC);
  out.set([lengthBytes === 2 ? 1 : 2, 0], 6);
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[8 + lengthBytes + i] = header.charCodeAt(i);
  encodeFloats(t.data, out, dataOffset);
  return out;
}

/** Pads as numpy does (always 1 to 64 spaces) so the data starts at a multiple of 64 bytes. */
function padHeader(unpadded: string, lengthBytes: number): string {
  const pad = ALIGN - ((8 + lengthBytes + unpadded.length + 1) % ALIGN);
  return unpadded + " ".repeat(pad) + "\n";
}

/** Checks magic and version and cuts out the header text; the data starts at `dataOffset`. */
function readPreamble(bytes: Uint8Array, fail: Fail): { header: string; dataOffset: number } {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) {
    const found = bytes.length === 0 ? "an empty file" : quoteBytes(bytes.subarray(0, 6));
    throw fail(`not an npy file: expected magic "\\x93NUMPY", found ${found}`);
  }
  if (bytes.length < 8) {
    throw fail(`truncated header: expected at least 10 bytes, found ${bytes.length}`);
  }
  const major = bytes[6] ?? 0;
  const minor = bytes[7] ?? 0;
  if (major < 1 || major > 3 || minor !== 0) {
    throw fail(`unsupported npy version ${major}.${minor}: expected 1.0, 2.0 or 3.0`);
  }
  // Version 1.0 stores the header length as a u16, later versions as a u32.
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) {
    throw fail(`truncated header: expected at least ${start} bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = start + length;
  if (bytes.length < dataOffset) {
    throw fail(`truncated header: expected ${length} header bytes, found ${bytes.length - start}`);
  }
  // Versions 1.0 and 2.0 are latin1 by definition; 3.0 exists only to allow UTF-8.
  const raw = bytes.subarray(start, dataOffset);
  return {
    header: major === 3 ? decodeUtf8(raw, fail) : decodeLatin1(raw),
    dataOffset,
  };
}

/**
 * Byte b -> code point b. Not TextDecoder("latin1"): WHATWG maps that label to windows-1252,
 * which turns 0x80-0x9f into other characters.
 */
function decodeLatin1(raw: Uint8Array): string {
  let s = "";
  for (const b of raw) s += String.fromCharCode(b);
  return s;
}

function decodeUtf8(raw: Uint8Array, fail: Fail): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw fail("malformed header: a version 3.0 header must be UTF-8");
  }
}

/** Validates the header dict the way numpy does, keeping only what this runtime supports. */
function readHeader<D extends string>(
  dict: Map<string, PyValue>,
  fail: Fail,
  dtypes: readonly D[],
): { dtype: D; shape: number[] } {
  const keys = [...dict.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    const found = clip(keys.map((k) => `'${k}'`).join(", "), 100) || "none";
    throw fail(`malformed header: expected keys 'descr', 'fortran_order', 'shape', found ${found}`);
  }
  const descr = dict.get("descr");
  if (!dtypes.some((d) => d === descr)) {
    const supported = dtypes.join(" and ");
    throw fail(`unsupported dtype ${clip(pyRepr(descr))}: only ${supported} are supported`);
  }
  const fortran = dict.get("fortran_order");
  if (fortran === true) throw fail("fortran_order is True: only C-order arrays are supported");
  if (fortran !== false) {
    throw fail(
      `malformed header: expected fortran_order True or False, found ${clip(pyRepr(fortran))}`,
    );
  }
  const shape = dict.get("shape");
  if (!isSeq(shape) || shape.kind !== "tuple" || !shape.items.every(isDim)) {
    throw fail(
      `malformed header: expected shape as a tuple of sizes, found ${clip(pyRepr(shape))}`,
    );
  }
  return { dtype: descr as D, shape: shape.items.filter(isDim) };
}

const isDim = (v: PyValue): v is number => typeof v === "number" && v >= 0;

/** A shape as Python prints a tuple: `(3,)`, `(2, 3)`. */
const showTuple = (shape: readonly number[]): string => pyRepr({ kind: "tuple", items: shape });

/** Shows leading bytes as a quoted string, escaping the unprintable ones as \xNN. */
function quoteBytes(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) {
    s += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : hex(b);
  }
  return `"${s}"`;
}

const hex = (b: number): string => `\\x${b.toString(16).padStart(2, "0")}`;
