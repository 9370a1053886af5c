// Test helpers for the .pt reader, written independently of the code under test: zip archives
// (stored or deflated records, ZIP64 records on request; CRC-32 and deflate from node:zlib), and
// pickles assembled opcode by opcode, up to whole state_dicts in torch.save's layout.
import { crc32, deflateRawSync } from "node:zlib";
import type { Tensor } from "../../src/shared/tensor.js";

export interface ZipRecord {
  readonly name: string;
  readonly data: Uint8Array | string;
  /** Compression method: 0 stored (torch's), 8 deflate, anything else as a lie. */
  readonly method?: number;
  readonly flags?: number;
}

export interface ZipOptions {
  /** Saturate the classic fields and write ZIP64 extras and end records, as large archives do. */
  readonly zip64?: boolean;
  readonly comment?: string;
}

const bytesOf = (d: Uint8Array | string): Uint8Array =>
  typeof d === "string" ? new TextEncoder().encode(d) : d;

/** A little-endian writer over a growing list of chunks. */
class Out {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  raw(b: Uint8Array): this {
    this.chunks.push(b);
    this.length += b.length;
    return this;
  }
  u16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    return this.raw(b);
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.raw(b);
  }
  u64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    return this.raw(b);
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** A zip archive of `records`, in order. */
export function zipBytes(records: readonly ZipRecord[], options: ZipOptions = {}): Uint8Array {
  const out = new Out();
  const central = new Out();
  const big = options.zip64 === true;
  for (const r of records) {
    const data = bytesOf(r.data);
    const method = r.method ?? 0;
    const packed = method === 8 ? Uint8Array.from(deflateRawSync(data)) : data;
    const name = new TextEncoder().encode(r.name);
    const offset = out.length;
    const crc = crc32(data);
    out
      .u32(0x04034b50)
      .u16(20)
      .u16(r.flags ?? 0)
      .u16(method)
      .u16(0)
      .u16(0x21);
    out.u32(crc).u32(packed.length).u32(data.length).u16(name.length).u16(0);
    out.raw(name).raw(packed);
    const extra = big
      ? new Out().u16(1).u16(24).u64(data.length).u64(packed.length).u64(offset)
      : null;
    central
      .u32(0x02014b50)
      .u16(45)
      .u16(45)
      .u16(r.flags ?? 0)
      .u16(method)
      .u16(0)
      .u16(0x21);
    central
      .u32(crc)
      .u32(big ? 0xffffffff : packed.length)
      .u32(big ? 0xffffffff : data.length);
    central
      .u16(name.length)
      .u16(extra?.length ?? 0)
      .u16(0)
      .u16(0)
      .u16(0)
      .u32(0);
    central.u32(big ? 0xffffffff : offset).raw(name);
    if (extra) central.raw(extra.bytes());
  }
  const directory = central.bytes();
  const start = out.length;
  out.raw(directory);
  if (big) {
    const end64 = out.length;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0);
    out.u64(records.length).u64(records.length).u64(directory.length).u64(start);
    out.u32(0x07064b50).u32(0).u64(end64).u32(1);
  }
  const comment = bytesOf(options.comment ?? "");
  out
    .u32(0x06054b50)
    .u16(big ? 0xffff : 0)
    .u16(big ? 0xffff : 0);
  out.u16(big ? 0xffff : records.length).u16(big ? 0xffff : records.length);
  out.u32(big ? 0xffffffff : directory.length).u32(big ? 0xffffffff : start);
  out.u16(comment.length).raw(comment);
  return out.bytes();
}

// Pickles, opcode by opcode (Python's Lib/pickletools.py).
export const PROTO2 = Uint8Array.of(0x80, 2);
export const MARK = 0x28;
export const STOP = 0x2e;
export const TUPLE = 0x74;
export const REDUCE = 0x52;
export const EMPTY_DICT = 0x7d;
export const EMPTY_TUPLE = 0x29;
export const SETITEMS = 0x75;
export const SETITEM = 0x73;
export const NEWFALSE = 0x89;
export const NONE = 0x4e;
export const BINPERSID = 0x51;

type Part = number | Uint8Array | readonly Part[];

/** The bytes of `parts`: numbers are opcode bytes, arrays are spliced in. */
export function ops(...parts: Part[]): Uint8Array {
  const flat: number[] = [];
  const add = (p: Part): void => {
    if (typeof p === "number") flat.push(p);
    else for (const q of p) add(q);
  };
  parts.forEach(add);
  return Uint8Array.from(flat);
}

/** A whole pickle: PROTO 2, the parts, STOP. */
export const pickle = (...parts: Part[]): Uint8Array => ops(PROTO2, ...parts, STOP);

/** BINUNICODE of `s`. */
export function str(s: string): Uint8Array {
  const text = new TextEncoder().encode(s);
  return ops(0x58, new Out().u32(text.length).bytes(), text);
}

/** An int: BININT1, BININT (signed 32-bit) or LONG1 (8 bytes), as Python chooses. */
export function int(n: number | bigint): Uint8Array {
  if (typeof n === "number" && n >= 0 && n < 256) return ops(0x4b, n);
  if (typeof n === "number" && n >= -(2 ** 31) && n < 2 ** 31) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    return ops(0x4a, b);
  }
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(n), true);
  return ops(0x8a, 8, b);
}

/** GLOBAL 'module name'. */
export const global = (module: string, name: string): Uint8Array =>
  ops(0x63, new TextEncoder().encode(`${module}\n${name}\n`));

/** A tuple of the parts (MARK ... TUPLE). */
export const tuple = (...parts: Part[]): Uint8Array => ops(MARK, ...parts, TUPLE);

/** OrderedDict(), as torch pickles a tensor's empty backward hooks. */
export const orderedDict = (): Uint8Array =>
  ops(global("collections", "OrderedDict"), EMPTY_TUPLE, REDUCE);

/** One tensor of a state_dict: a strided view of a storage. */
export interface TensorSpec {
  readonly key: string;
  readonly numel: number;
  readonly size: readonly (number | bigint)[];
  readonly stride: readonly (number | bigint)[];
  readonly offset?: number;
  readonly storage?: string; // torch's class name, FloatStorage by default
  /** Extra arguments after the six of _rebuild_tensor_v2 (metadata). */
  readonly extra?: Uint8Array;
}

/** `_rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())`. */
export function rebuildTensor(t: TensorSpec): Uint8Array {
  const pid = tuple(
    str("storage"),
    global("torch", t.storage ?? "FloatStorage"),
    str(t.key),
    str("cpu"),
    int(t.numel),
  );
  return ops(
    global("torch._utils", "_rebuild_tensor_v2"),
    tuple(
      pid,
      BINPERSID,
      int(t.offset ?? 0),
      tuple(...t.size.map(int)),
      tuple(...t.stride.map(int)),
      NEWFALSE,
      orderedDict(),
      t.extra ?? [],
    ),
    REDUCE,
  );
}

/** A state_dict pickle: OrderedDict() filled with SETITEMS of name -> tensor. */
export function stateDictPickle(tensors: Readonly<Record<string, TensorSpec>>): Uint8Array {
  const items = Object.entries(tensors).map(([name, t]) => ops(str(name), rebuildTensor(t)));
  return pickle(orderedDict(), MARK, ...items, SETITEMS);
}

/** A .pt archive in torch.save's layout: data.pkl, data/<key> for each storage, version. */
export function ptBytes(
  data: Uint8Array,
  storages: Readonly<Record<string, Uint8Array>> = {},
  folder = "archive",
  options: ZipOptions = {},
): Uint8Array {
  const records: ZipRecord[] = [
    { name: `${folder}/data.pkl`, data },
    ...Object.entries(storages).map(([key, bytes]) => ({
      name: `${folder}/data/${key}`,
      data: bytes,
    })),
    { name: `${folder}/version`, data: "3\n" },
  ];
  return zipBytes(records, options);
}

/** `values` as little-endian float32 bytes. */
export const f32Bytes = (values: readonly number[]): Uint8Array =>
  new Uint8Array(Float32Array.from(values).buffer);

/** What torch.save would write for these float32 tensors, each contiguous in its own storage. */
export function ptFromTensors(tensors: ReadonlyMap<string, Tensor>): Uint8Array {
  // Null prototypes: a tensor named `__proto__` is a key like any other.
  const specs: Record<string, TensorSpec> = Object.create(null) as Record<string, TensorSpec>;
  const storages: Record<string, Uint8Array> = {};
  [...tensors].forEach(([name, t], i) => {
    const stride = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    specs[name] = { key: String(i), numel: t.data.length, size: t.shape, stride };
    storages[String(i)] = new Uint8Array(Float32Array.from(t.data).buffer);
  });
  return ptBytes(stateDictPickle(specs), storages);
}
