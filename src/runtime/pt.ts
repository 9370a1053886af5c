// PyTorch's torch.save format on bytes (browser-safe): a zip archive holding `<dir>/data.pkl` and
// one `<dir>/data/<key>` record per storage. The pickle runs on a VM that can only build data and
// the allow-listed torch objects (torch-pickle.ts); the result must be a state_dict, a dict of
// tensors by name, read in its order. Any bad input is a DataError naming the file and the tensor.
import { DataError } from "../shared/data-error.js";
import type { Tensor } from "../shared/tensor.js";
import { BYTES_PER_ITEM } from "./float-codec.js";
import { unpickle } from "./pickle.js";
import {
  type PyStorage,
  type PyTensor,
  type PyValue,
  describe,
  shortName,
} from "./pickle-values.js";
import { readTensor } from "./pt-tensor.js";
import { torchHooks } from "./torch-pickle.js";
import { type ZipEntry, readZipDirectory, readZipEntry } from "./zip.js";

const RESAVE = "load it in PyTorch and save it again with torch.save(model.state_dict(), path)";

// The legacy format opens with a pickled magic number: LONG1 of 10 bytes, 0x1950a86a20f9469cfc6c.
const LEGACY_MAGIC = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** Whether `bytes` start as the legacy (pre-1.6, not zip) torch.save format: PROTO, the magic. */
export function isLegacyTorchFile(bytes: Uint8Array): boolean {
  const proto = bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] >= 2 && bytes[1] <= 5;
  return proto && LEGACY_MAGIC.every((b, i) => bytes[i + 2] === b);
}

/** The tensors of a state_dict saved by torch.save (PyTorch 1.6 or later), in the dict's order. */
export function parsePt(bytes: Uint8Array, source: string): Map<string, Tensor> {
  const fail = (detail: string) => new DataError(source, null, detail);
  if (isLegacyTorchFile(bytes)) {
    throw fail(
      `a legacy torch.save file (PyTorch before 1.6, or _use_new_zipfile_serialization=False), which cellc does not read: ${RESAVE}`,
    );
  }
  const entries = readZipDirectory(bytes, fail);
  const dir = archiveFolder(entries, fail);
  checkByteOrder(bytes, entries.get(`${dir}byteorder`), fail);
  const pickle = entries.get(`${dir}data.pkl`)!;
  const value = unpickle(readZipEntry(bytes, pickle, fail), torchHooks(source), fail);
  const storages = new Map<string, Uint8Array>();
  const out = new Map<string, Tensor>();
  for (const [name, t] of stateDictOf(value, fail)) {
    const failTensor = (detail: string) => new DataError(source, name, detail);
    const data = storageBytes(bytes, entries, dir, t, storages, failTensor);
    out.set(name, readTensor(t, data, failTensor));
  }
  return out;
}

/** The folder ("lstm/", "archive/") whose data.pkl the archive is about. */
function archiveFolder(entries: ReadonlyMap<string, ZipEntry>, fail: (d: string) => Error) {
  const folders = [...entries.keys()]
    .filter((name) => /^[^/]*\/data\.pkl$/.test(name))
    .map((name) => name.slice(0, -"data.pkl".length));
  if (folders.length !== 1) {
    const found =
      folders.length === 0 ? "no '<folder>/data.pkl' record" : `${folders.length} of them`;
    throw fail(`not a torch.save file: the zip archive has ${found} (torch.save writes one)`);
  }
  const dir = folders[0]!;
  if (entries.has(`${dir}constants.pkl`)) {
    throw fail(`a TorchScript archive (torch.jit.save), not a state_dict: ${RESAVE}`);
  }
  return dir;
}

/** Newer torch records the byte order of the storages; cellc reads little-endian ones. */
function checkByteOrder(
  bytes: Uint8Array,
  entry: ZipEntry | undefined,
  fail: (d: string) => Error,
) {
  if (entry === undefined) return;
  const order = new TextDecoder().decode(readZipEntry(bytes, entry, fail));
  if (order !== "little") {
    throw fail(`storages saved in byte order '${shortName(order)}': only 'little' is supported`);
  }
}

/** The (name, tensor) pairs of a state_dict; a checkpoint holding one is refused with its key. */
function stateDictOf(value: PyValue, fail: (d: string) => Error): [string, PyTensor][] {
  if (typeof value !== "object" || value?.type !== "dict") {
    throw fail(`expected a state_dict (a dict of tensors by name), found ${describe(value)}`);
  }
  const pairs: [string, PyTensor][] = [];
  for (const { key, value: v } of value.entries.values()) {
    if (typeof v === "object" && v?.type === "tensor" && typeof key === "string") {
      pairs.push([key, v]);
      continue;
    }
    const nested = [...value.entries.values()].filter((e) => isTensorDict(e.value));
    if (nested.length > 0) {
      const keys = nested.slice(0, 3).map((e) => `'${shortName(String(e.key))}'`);
      const where = `${nested.length > 1 ? "keys" : "key"} ${keys.join(", ")}`;
      const hint = `save checkpoint[${keys[0]}] on its own`;
      throw fail(
        `holds a checkpoint, not a state_dict: the state_dict is under ${where} (${hint})`,
      );
    }
    const found =
      typeof key === "string"
        ? `key '${shortName(key)}' holds ${describe(v)}`
        : `a key is ${describe(key)}`;
    throw fail(`expected a state_dict, a dict of tensors by name: ${found}`);
  }
  return pairs;
}

/** Whether `v` is a non-empty dict whose values are all tensors. */
function isTensorDict(v: PyValue): boolean {
  if (typeof v !== "object" || v?.type !== "dict" || v.entries.size === 0) return false;
  return [...v.entries.values()].every(
    (e) => typeof e.value === "object" && e.value?.type === "tensor",
  );
}

/** The bytes of a tensor's storage, `<dir>/data/<key>`, checked for length once per storage. */
function storageBytes(
  bytes: Uint8Array,
  entries: ReadonlyMap<string, ZipEntry>,
  dir: string,
  t: PyTensor,
  cache: Map<string, Uint8Array>,
  fail: (d: string) => Error,
): Uint8Array {
  const s: PyStorage = t.storage;
  const known = cache.get(s.key);
  if (known !== undefined || s.kind === null) return known ?? new Uint8Array(0);
  const name = `${dir}data/${s.key}`;
  const entry = entries.get(name);
  if (entry === undefined) {
    throw fail(
      `its storage '${shortName(s.key)}' has no record '${shortName(name)}' in the archive`,
    );
  }
  const need = s.numel * BYTES_PER_ITEM[s.kind];
  if (entry.size !== need) {
    throw fail(
      `record '${shortName(name)}' holds ${entry.size} bytes, but ${s.numel} ${s.dtype} need ${need}`,
    );
  }
  const data = readZipEntry(bytes, entry, fail);
  cache.set(s.key, data);
  return data;
}
