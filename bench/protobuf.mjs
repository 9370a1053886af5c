// A minimal protocol-buffers writer: just the wire types an ONNX model needs.
// A message is built as a list of already-encoded fields; `message()` concatenates them.
// Wire format: https://protobuf.dev/programming-guides/encoding/

const VARINT = 0; // int32, int64, enum
const LEN = 2; // string, bytes, embedded message

const utf8 = new TextEncoder();

/** Base-128 varint; BigInt so int64 values above 2^31 stay exact. Negative values are not needed. */
function varint(value) {
  let v = BigInt(value);
  if (v < 0n) throw new Error(`internal: negative varint ${v}`);
  const out = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** @param {Uint8Array[]} parts */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const tag = (field, wire) => varint((field << 3) | wire);

/** An integer (int32/int64/enum) field. */
export const int = (field, value) => concat([tag(field, VARINT), varint(value)]);

/** A bytes field, or an embedded message already encoded. */
export const bytes = (field, data) => concat([tag(field, LEN), varint(data.length), data]);

/** A string field (UTF-8). */
export const str = (field, text) => bytes(field, utf8.encode(text));

/** An embedded message given as its encoded fields. */
export const sub = (field, fields) => bytes(field, concat(fields));

/** A whole message from its encoded fields (in any order: decoders accept that). */
export const message = (fields) => concat(fields);
