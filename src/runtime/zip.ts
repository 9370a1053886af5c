// A reader for the zip archives torch.save writes (browser-safe): the central directory, ZIP64
// records, local headers, stored records (torch's) and deflated ones (other tools'). It reads only
// the records it is asked for, trusts no offset or size before checking it against the file, and
// checks each record's CRC-32.
import { crc32 } from "./crc32.js";
import { inflate } from "./inflate.js";
import { shortName } from "./pickle-values.js";

/** One record of the central directory, its sizes and offset checked against the file. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

type Fail = (detail: string) => Error;

const SIG = {
  LOCAL: 0x04034b50,
  CENTRAL: 0x02014b50,
  END: 0x06054b50,
  END64: 0x06064b50,
  LOCATOR64: 0x07064b50,
} as const;
const END_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
/** Deflate's best ratio is 1032 to 1: a record claiming more is lying, and is not allocated. */
const MAX_RATIO = 1032;
/** Largest deflated record inflated (a stored one is read in place, whatever its size). */
const MAX_INFLATED = 2 ** 31 - 1;
const names = new TextDecoder("utf-8");

/** Where the central directory is and how many records it holds. */
interface Directory {
  readonly offset: number;
  readonly size: number;
  readonly count: number;
}

/** The records of the archive in `bytes`, by name; a duplicate name is refused as ambiguous. */
export function readZipDirectory(bytes: Uint8Array, fail: Fail): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dir = findDirectory(view, fail);
  const entries = new Map<string, ZipEntry>();
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    const { entry, next } = readCentral(view, at, dir.offset + dir.size, fail);
    if (entries.has(entry.name)) {
      throw fail(`the archive holds two records named '${shortName(entry.name)}'`);
    }
    entries.set(entry.name, entry);
    at = next;
  }
  return entries;
}

/** The bytes of one record, after checking its local header, its method and its CRC-32. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, fail: Fail): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const what = `record '${shortName(entry.name)}'`;
  const at = entry.localOffset;
  if (at > bytes.length - LOCAL_SIZE || view.getUint32(at, true) !== SIG.LOCAL) {
    throw fail(`${what}: no local header at byte ${at}: the archive is damaged`);
  }
  const start = at + LOCAL_SIZE + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (entry.compressedSize > bytes.length - start) {
    throw fail(`${what} runs past the end of the file: the archive is truncated`);
  }
  if (entry.flags & 1) throw fail(`${what} is encrypted`);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  const data = recordData(raw, entry, what, fail);
  if (crc32(data) !== entry.crc) throw fail(`${what} is corrupt: its CRC-32 does not match`);
  return data;
}

/** A record's bytes: stored ones as they are (no copy), deflated ones inflated. */
function recordData(raw: Uint8Array, entry: ZipEntry, what: string, fail: Fail): Uint8Array {
  if (entry.method === 0) {
    if (raw.length !== entry.size) {
      throw fail(`${what} is stored in ${raw.length} bytes but says it holds ${entry.size}`);
    }
    return raw;
  }
  if (entry.method !== 8) {
    throw fail(`${what} uses compression method ${entry.method}: only stored and deflate are read`);
  }
  if (entry.size > MAX_INFLATED || entry.size > raw.length * MAX_RATIO + 64) {
    throw fail(`${what} says it inflates from ${raw.length} to ${entry.size} bytes: too many`);
  }
  return inflate(raw, entry.size, (detail) => fail(`${what}: ${detail}`));
}

/** The end record (or its ZIP64 form), found from the end as the format prescribes. */
function findDirectory(view: DataView, fail: Fail): Directory {
  const end = findEnd(view);
  if (end < 0) {
    throw fail("not a zip archive, or a truncated one: no end-of-central-directory record");
  }
  const u16 = (o: number) => view.getUint16(end + o, true);
  const u32 = (o: number) => view.getUint32(end + o, true);
  // Disk numbers are 0 in a one-file archive (0xFFFF when the ZIP64 record holds them).
  if ([u16(4), u16(6)].some((d) => d !== 0 && d !== 0xffff)) {
    throw fail("split zip archives are not supported");
  }
  let dir: Directory = { offset: u32(16), size: u32(12), count: u16(10) };
  let limit = end;
  if (dir.count === 0xffff || dir.size === 0xffffffff || dir.offset === 0xffffffff) {
    const zip64 = findDirectory64(view, end, fail);
    dir = zip64.dir;
    limit = zip64.start;
  }
  if (dir.offset > limit || dir.size > limit - dir.offset) {
    throw fail(`the central directory runs past its end record: the archive is truncated`);
  }
  if (dir.count > dir.size / CENTRAL_SIZE) {
    throw fail(`the central directory cannot hold the ${dir.count} records it claims`);
  }
  return dir;
}

/** The offset of the end record whose comment reaches exactly to the end of the file, or -1. */
function findEnd(view: DataView): number {
  const last = view.byteLength - END_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) !== SIG.END) continue;
    if (at + END_SIZE + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  return -1;
}

/** The ZIP64 end record, through the locator just before the classic end record. */
function findDirectory64(
  view: DataView,
  end: number,
  fail: Fail,
): { dir: Directory; start: number } {
  const locator = end - 20;
  if (locator < 56 || view.getUint32(locator, true) !== SIG.LOCATOR64) {
    throw fail("the end record points to a ZIP64 record that is missing");
  }
  const start = bounded(view.getBigUint64(locator + 8, true), locator - 56, "ZIP64 end", fail);
  if (view.getUint32(start, true) !== SIG.END64) {
    throw fail(`no ZIP64 end record at byte ${start}: the archive is damaged`);
  }
  if (view.getUint32(start + 16, true) !== 0 || view.getUint32(start + 20, true) !== 0) {
    throw fail("split zip archives are not supported");
  }
  const u64 = (o: number, what: string) =>
    bounded(view.getBigUint64(start + o, true), view.byteLength, what, fail);
  return {
    dir: {
      count: u64(32, "record count"),
      size: u64(40, "directory size"),
      offset: u64(48, "directory offset"),
    },
    start,
  };
}

/** A u64 from the archive as a number, refused when it is past `max` (no real archive's is). */
function bounded(v: bigint, max: number, what: string, fail: Fail): number {
  if (v > BigInt(Math.max(max, 0))) throw fail(`the ${what} (${v}) is past the end of the file`);
  return Number(v);
}

/** The central-directory record at `at`, which must end by `end`, and where the next one starts. */
function readCentral(
  view: DataView,
  at: number,
  end: number,
  fail: Fail,
): { entry: ZipEntry; next: number } {
  if (at > end - CENTRAL_SIZE || view.getUint32(at, true) !== SIG.CENTRAL) {
    throw fail(`no central-directory record at byte ${at}: the archive is damaged`);
  }
  const u16 = (o: number) => view.getUint16(at + o, true);
  const u32 = (o: number) => view.getUint32(at + o, true);
  const nameEnd = at + CENTRAL_SIZE + u16(28);
  const extraEnd = nameEnd + u16(30);
  if (extraEnd + u16(32) > end) {
    throw fail(`the central-directory record at byte ${at} runs past the directory`);
  }
  const raw = new Uint8Array(view.buffer, view.byteOffset + at + CENTRAL_SIZE, u16(28));
  const name = names.decode(raw);
  const sizes = zip64Sizes(view, nameEnd, extraEnd, [u32(24), u32(20), u32(42)], name, fail);
  const [size, compressedSize, localOffset] = sizes;
  const entry = { name, method: u16(10), flags: u16(8), crc: u32(16), compressedSize, size };
  return { entry: { ...entry, localOffset }, next: extraEnd + u16(32) };
}

/**
 * The record's size, compressed size and local offset: a field saturated at 0xFFFFFFFF is in the
 * ZIP64 extra field (id 1), which holds only the saturated ones, in that order.
 */
function zip64Sizes(
  view: DataView,
  from: number,
  to: number,
  fields: readonly [number, number, number],
  name: string,
  fail: Fail,
): [number, number, number] {
  const out: [number, number, number] = [...fields];
  const wanted = fields.filter((f) => f === 0xffffffff).length;
  let found = 0;
  for (let at = from; wanted > 0 && at + 4 <= to; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 1) continue;
    let p = at + 4;
    const stop = Math.min(to, p + view.getUint16(at + 2, true));
    for (let i = 0; i < 3; i++) {
      if (fields[i] !== 0xffffffff || p + 8 > stop) continue;
      out[i] = bounded(view.getBigUint64(p, true), view.byteLength, "record size", fail);
      p += 8;
      found++;
    }
    break;
  }
  if (found < wanted) {
    throw fail(`record '${shortName(name)}' lacks the ZIP64 sizes its header points to`);
  }
  return out;
}
