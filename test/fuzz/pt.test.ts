// Fuzzes parsePt with hostile bytes: files saved by PyTorch, truncated or bit-flipped (the zip's
// structure, a deflated archive, the CRC-32 checks); their pickles mutated inside a well-formed
// archive (so the VM, not the checksum, meets the damage); pickles assembled from random opcodes,
// allowed and refused globals among them; and random strided views, which must read what a plain
// index computation reads. Each case returns well-formed tensors or a clean DataError in budget.
import { readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { parsePt } from "../../src/runtime/pt.js";
import { readZipDirectory, readZipEntry } from "../../src/runtime/zip.js";
import {
  f32Bytes,
  global,
  int,
  ops,
  pickle,
  ptBytes,
  stateDictPickle,
  str,
  zipBytes,
  type TensorSpec,
  type ZipRecord,
} from "../runtime/pt-bytes.js";
import { SOURCE, expectTensorsOrDataError, flipBit } from "./data-file-outcome.js";
import { PROPERTY_TIMEOUT_MS, fuzzParameters } from "./settings.js";

const FILES = [
  "rnn.float32",
  "views.float32",
  "deflated.float32",
  "protocol4.float32",
  "parameters.float32",
];
const saved: Uint8Array[] = FILES.map((name) =>
  Uint8Array.from(readFileSync(`test/fixtures-pt/${name}.pt`)),
);

/** A saved file's records, to be put back together around a mutated data.pkl. */
const archives = saved.map((bytes) => {
  const fail = (detail: string) => new Error(detail);
  const entries = readZipDirectory(bytes, fail);
  return [...entries.values()].map((e) => ({ name: e.name, data: readZipEntry(bytes, e, fail) }));
});

const check = (bytes: Uint8Array): void => {
  expectTensorsOrDataError(`${bytes.length} bytes`, () => parsePt(bytes, SOURCE));
};

const savedFile = fc.integer({ min: 0, max: saved.length - 1 }).map((i) => saved[i]!);

/** A saved file cut short, with bits flipped, or with a run of bytes overwritten. */
const damagedFile = fc.oneof(
  fc.tuple(savedFile, fc.nat()).map(([b, cut]) => b.subarray(0, cut % (b.length + 1))),
  fc
    .tuple(savedFile, fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 8 }))
    .map(([b, flips]) => flips.reduce((out: Uint8Array, [at, bit]) => flipBit(out, at, bit), b)),
  fc
    .tuple(savedFile, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 }))
    .map(([b, at, run]) => {
      const out = b.slice();
      out.set(run.subarray(0, Math.max(0, out.length - (at % out.length))), at % out.length);
      return out;
    }),
);

/** A pickle changed by flips, a deletion, an insertion or a duplicated span. */
function mutate(
  p: Uint8Array,
  kind: number,
  at: number,
  size: number,
  bytes: Uint8Array,
): Uint8Array {
  const i = at % (p.length + 1);
  const j = Math.min(p.length, i + (size % 32));
  switch (kind % 4) {
    case 0:
      return flipBit(p, at, size);
    case 1:
      return Uint8Array.from([...p.subarray(0, i), ...p.subarray(j)]);
    case 2:
      return Uint8Array.from([...p.subarray(0, i), ...bytes, ...p.subarray(i)]);
    default:
      return Uint8Array.from([...p.subarray(0, j), ...p.subarray(i, j), ...p.subarray(j)]);
  }
}

/** A saved archive whose data.pkl was mutated, its records (and CRC-32s) rewritten. */
const mutatedPickle = fc
  .tuple(
    fc.integer({ min: 0, max: archives.length - 1 }),
    fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 8 })), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([which, changes]) =>
    zipBytes(
      archives[which]!.map((r): ZipRecord => {
        if (!r.name.endsWith("/data.pkl")) return r;
        const data = changes.reduce((p, [k, at, size, b]) => mutate(p, k, at, size, b), r.data);
        return { name: r.name, data };
      }),
    ),
  );

/** Opcodes with operands, as a pickle strings them together: data, containers, memo, objects. */
const token: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(
    ...[0x28, 0x29, 0x5d, 0x7d, 0x74, 0x85, 0x86, 0x87, 0x61, 0x65, 0x73, 0x75, 0x6c, 0x64].map(
      (b) => ops(b),
    ),
    ops(0x4e), // NONE
    ops(0x88),
    ops(0x89),
    ops(0x52), // REDUCE
    ops(0x62), // BUILD
    ops(0x51), // BINPERSID
    ops(0x30),
    ops(0x31),
    ops(0x32),
    ops(0x94), // MEMOIZE
    global("collections", "OrderedDict"),
    global("torch._utils", "_rebuild_tensor_v2"),
    global("torch._utils", "_rebuild_parameter"),
    global("torch", "FloatStorage"),
    global("torch", "HalfStorage"),
    global("torch", "LongStorage"),
    global("os", "system"),
    str("storage"),
    str("0"),
    str("cpu"),
    str("w"),
  ),
  fc.integer({ min: -3, max: 300 }).map(int),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(int),
  fc.nat(8).map((i) => ops(0x71, i)), // BINPUT
  fc.nat(8).map((i) => ops(0x68, i)), // BINGET
  fc.string({ maxLength: 6 }).map(str),
);

/** Random opcode sequences in an archive holding one 6-float storage under key "0". */
const randomPickle = fc.array(token, { maxLength: 60 }).map((tokens) =>
  zipBytes([
    { name: "archive/data.pkl", data: pickle(...tokens) },
    { name: "archive/data/0", data: f32Bytes([1, 2, 3, 4, 5, 6]) },
  ]),
);

test.prop([fc.oneof(damagedFile, fc.uint8Array({ maxLength: 300 }))], fuzzParameters(400))(
  "parsePt returns tensors or a clean DataError for damaged .pt files",
  check,
  PROPERTY_TIMEOUT_MS,
);

test.prop([mutatedPickle], fuzzParameters(500))(
  "parsePt returns tensors or a clean DataError for mutated pickles in a sound archive",
  check,
  PROPERTY_TIMEOUT_MS,
);

test.prop([randomPickle], fuzzParameters(500))(
  "parsePt returns tensors or a clean DataError for pickles of random opcodes",
  check,
  PROPERTY_TIMEOUT_MS,
);

/** Small numbers mostly, with the odd hostile one (negative, huge, past 2^53). */
const dim = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 31, 2 ** 40) },
);
const step = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 7 }) },
  { weight: 1, arbitrary: fc.constantFrom(-2, 2 ** 33, 2n ** 60n) },
);

/** A storage "0" of `numel` items (float32 i + 0.5, float16 1.0, or int64), and one view of it. */
const view = fc
  .record({
    shape: fc.array(dim, { maxLength: 4 }),
    extraStride: fc.boolean(), // one stride too many, now and then
    strides: fc.array(step, { minLength: 5, maxLength: 5 }),
    offset: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(-1)),
    numel: fc.integer({ min: 0, max: 64 }),
    recordItems: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.nat(64) },
    ),
    storage: fc.constantFrom("FloatStorage", "FloatStorage", "HalfStorage", "LongStorage"),
  })
  .map(({ shape, extraStride, strides, offset, numel, recordItems, storage }) => {
    const rank = shape.length + (extraStride && shape.length === 3 ? 1 : 0);
    const spec: TensorSpec = {
      key: "0",
      numel,
      size: shape,
      stride: strides.slice(0, rank),
      offset,
      storage,
    };
    const items = recordItems ?? numel;
    const record =
      storage === "HalfStorage"
        ? new Uint8Array(new Uint16Array(items).fill(0x3c00).buffer)
        : f32Bytes(
            Array.from(
              { length: storage === "LongStorage" ? 2 * items : items },
              (_, i) => i + 0.5,
            ),
          );
    return { spec, bytes: ptBytes(stateDictPickle({ w: spec }), { "0": record }) };
  });

/** What the view holds, by definition: item offset + sum(index * stride) of the storage. */
function expected(spec: TensorSpec): number[] {
  const shape = spec.size as number[];
  const stride = spec.stride as number[];
  const out: number[] = [];
  const walk = (d: number, at: number): void => {
    if (d === shape.length) {
      out.push(spec.storage === "HalfStorage" ? 1 : at + 0.5);
      return;
    }
    for (let i = 0; i < shape[d]!; i++) walk(d + 1, at + i * stride[d]!);
  };
  walk(0, spec.offset ?? 0);
  return out;
}

test.prop([view], fuzzParameters(500))(
  "parsePt reads a random strided view as index arithmetic does, or refuses it cleanly",
  ({ spec, bytes }) => {
    const tensors = expectTensorsOrDataError("view", () => parsePt(bytes, SOURCE));
    if (tensors !== null) expect([...tensors[0]!.data]).toEqual(expected(spec));
  },
  PROPERTY_TIMEOUT_MS,
);
