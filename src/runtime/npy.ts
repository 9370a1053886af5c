// numpy's .npy format on bytes (browser-safe): reads versions 1.0-3.0 holding little-endian <f4/<f8
// in C order, and writes version 1.0 exactly as numpy.save does. Any bad input is a DataError naming
// the file; nothing else from the format (other dtypes, Fortran order, pickles) is accepted.

import { DataError } from "../shared/data-error.js";
import { BYTES_PER_ITEM, decodeFloats, encodeFloats } from "./float-codec.js";
import { formatShape, shapeSize, tensor, type Tensor } from "../shared/tensor.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
// The only dtypes read or written; big-endian and non-float data are refused, never converted.
const DTYPES = { "<f4": "f32", "<f8": "f64" } as const;
type Dtype = keyof typeof DTYPES;

// numpy aligns the data to 64 bytes and leaves room for the first axis to grow to 21 digits.
const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

export function parseNpy(bytes: Uint8Array, source: string): Tensor {
  const fail = (detail: string): DataError => new DataError(source, null, detail);
  const { header, dataOffset } = readPreamble(bytes, fail);
  const { dtype, shape } = readHeader(new PyLiteralParser(header, fail).parseDict(), fail);
  const count = shapeSize(shape);
  const need = count * BYTES_PER_ITEM[DTYPES[dtype]];
  // numpy itself tolerates extra bytes, but in a data file they mean a wrong shape or a bad write.
  const found = bytes.length - dataOffset;
  const what = `shape ${pyRepr({ kind: "tuple", items: shape })} of ${dtype} needs ${need} bytes`;
  if (found < need) throw fail(`truncated data: ${what}, found ${found}`);
  if (found > need) throw fail(`trailing bytes: ${what}, found ${found} (${found - need} extra)`);
  return tensor(decodeFloats(bytes, dataOffset, count, DTYPES[dtype]), shape);
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
  const shapeText = formatShape(t.shape);
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new DataError(source, null, `shape ${shapeText} is not a list of sizes`);
  }
  if (t.data.length !== shapeSize(t.shape)) {
    const detail = `data has ${t.data.length} elements but shape ${shapeText} needs ${shapeSize(t.shape)}`;
    throw new DataError(source, null, detail);
  }
  const dtype: Dtype = t.data instanceof Float32Array ? "<f4" : "<f8";
  const shape = pyRepr({ kind: "tuple", items: t.shape });
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

type Fail = (detail: string) => DataError;

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
function readHeader(dict: Map<string, PyValue>, fail: Fail): { dtype: Dtype; shape: number[] } {
  const keys = [...dict.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    const found = keys.map((k) => `'${k}'`).join(", ") || "none";
    throw fail(`malformed header: expected keys 'descr', 'fortran_order', 'shape', found ${found}`);
  }
  const descr = dict.get("descr");
  if (descr !== "<f4" && descr !== "<f8") {
    throw fail(`unsupported dtype ${pyRepr(descr)}: only <f4 and <f8 are supported`);
  }
  const fortran = dict.get("fortran_order");
  if (fortran === true) throw fail("fortran_order is True: only C-order arrays are supported");
  if (fortran !== false) {
    throw fail(`malformed header: expected fortran_order True or False, found ${pyRepr(fortran)}`);
  }
  const shape = dict.get("shape");
  if (!isSeq(shape) || shape.kind !== "tuple" || !shape.items.every(isDim)) {
    throw fail(`malformed header: expected shape as a tuple of sizes, found ${pyRepr(shape)}`);
  }
  return { dtype: descr, shape: shape.items.filter(isDim) };
}

/** The subset of Python literals an npy header can hold. */
type PyValue = string | number | boolean | null | PySeq;
interface PySeq {
  readonly kind: "tuple" | "list";
  readonly items: readonly PyValue[];
}

const isSeq = (v: PyValue | undefined): v is PySeq => typeof v === "object" && v !== null;
const isDim = (v: PyValue): v is number => typeof v === "number" && v >= 0;

/** Python's repr for the values above, so messages show what the file says. */
function pyRepr(v: PyValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `'${v}'`;
  const items = v.items.map(pyRepr).join(", ");
  if (v.kind === "list") return `[${items}]`;
  return v.items.length === 1 ? `(${items},)` : `(${items})`;
}

// One keyword or integer literal; the lookahead rejects "Truex" and "3.5".
const WORD = /(True|False|None|-?[0-9]+)(?![\w.])/y;

/** A strict parser for the Python dict literal in an npy header (what ast.literal_eval sees). */
class PyLiteralParser {
  private pos = 0;
  private depth = 0; // nesting bound, so a hostile header cannot overflow the stack

  constructor(
    private readonly text: string,
    private readonly fail: Fail,
  ) {}

  parseDict(): Map<string, PyValue> {
    const dict = new Map<string, PyValue>();
    this.expect("{");
    while (!this.eat("}")) {
      this.skipSpace();
      const quote = this.text[this.pos];
      if (quote !== "'" && quote !== '"') throw this.error("a string key");
      const key = this.string();
      if (dict.has(key)) throw this.fail(`malformed header: key '${key}' appears twice`);
      this.expect(":");
      dict.set(key, this.value());
      if (!this.eat(",")) {
        this.expect("}");
        break;
      }
    }
    this.skipSpace();
    if (this.pos < this.text.length) throw this.error("only spaces after the dict");
    return dict;
  }

  private value(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return this.string();
    if (c === "(" || c === "[") return this.sequence(c);
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[1];
    if (word === undefined) throw this.error("a string, number, tuple, list, True, False or None");
    this.pos += word.length;
    if (word === "True" || word === "False") return word === "True";
    if (word === "None") return null;
    const n = Number(word);
    if (!Number.isSafeInteger(n)) throw this.fail(`malformed header: integer ${word} is too large`);
    return n;
  }

  private sequence(open: "(" | "["): PyValue {
    const close = open === "(" ? ")" : "]";
    const items: PyValue[] = [];
    let comma = false;
    if (++this.depth > 16) throw this.fail("malformed header: nested more than 16 levels deep");
    this.pos++;
    while (!this.eat(close)) {
      items.push(this.value());
      comma = this.eat(",");
      if (!comma) {
        this.expect(close);
        break;
      }
    }
    this.depth--;
    // In Python "(x)" is just x; only a comma (or emptiness) makes a tuple.
    const only = items[0];
    if (open === "(" && items.length === 1 && !comma && only !== undefined) return only;
    return { kind: open === "(" ? "tuple" : "list", items };
  }

  private string(): string {
    const quote = this.text[this.pos] ?? "'";
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) throw this.fail(`malformed header: unterminated string at offset ${this.pos}`);
    const s = this.text.slice(this.pos + 1, end);
    if (/[\\\n]/.test(s)) throw this.fail("malformed header: escapes in strings are not supported");
    this.pos = end + 1;
    return s;
  }

  private skipSpace(): void {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== token) return false;
    this.pos++;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw this.error(`'${token}'`);
  }

  private error(expected: string): DataError {
    const rest = this.text.slice(this.pos, this.pos + 10).trimEnd();
    const found = rest === "" ? "the end of the header" : JSON.stringify(rest);
    return this.fail(
      `malformed header: expected ${expected} at offset ${this.pos}, found ${found}`,
    );
  }
}

/** Shows leading bytes as a quoted string, escaping the unprintable ones as \xNN. */
function quoteBytes(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) {
    s += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : hex(b);
  }
  return `"${s}"`;
}

const hex = (b: number): string => `\\x${b.toString(16).padStart(2, "0")}`;
