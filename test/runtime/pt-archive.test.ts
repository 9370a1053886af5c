// The .pt reader on archives and pickles built by hand (pt-bytes.ts): the zip structure (ZIP64,
// comments, deflate, damage), the tensor views (offsets, strides, the limits of
// src/shared/limits.ts checked before anything is allocated) and what a state_dict may hold.
import { describe, expect, it } from "vitest";
import { parsePt } from "../../src/runtime/pt.js";
import { MAX_DIMENSION, MAX_ELEMENTS, MAX_RANK } from "../../src/shared/limits.js";
import { expectRefusal } from "./data-file-bytes.js";
import {
  EMPTY_DICT,
  MARK,
  NONE,
  SETITEM,
  SETITEMS,
  type TensorSpec,
  f32Bytes,
  global,
  int,
  ops,
  pickle,
  ptBytes,
  rebuildTensor,
  stateDictPickle,
  str,
  tuple,
  zipBytes,
} from "./pt-bytes.js";

const SRC = "w.pt";
const SIX = f32Bytes([1, 2, 3, 4, 5, 6]);
const matrix: TensorSpec = { key: "0", numel: 6, size: [2, 3], stride: [3, 1] };
const one = (t: TensorSpec, data = SIX) => ptBytes(stateDictPickle({ w: t }), { [t.key]: data });
const refuse = (bytes: Uint8Array, words: readonly string[]) =>
  expectRefusal(() => parsePt(bytes, SRC), SRC, words);

describe("parsePt zip archives", () => {
  it("reads a state_dict whose records are stored, deflated, or described by ZIP64 records", () => {
    const pkl = stateDictPickle({ w: matrix });
    for (const bytes of [
      one(matrix),
      ptBytes(pkl, { "0": SIX }, "archive", { zip64: true }),
      ptBytes(pkl, { "0": SIX }, "my model", { comment: "saved by hand" }),
      zipBytes([
        { name: "m/data.pkl", data: pkl, method: 8 },
        { name: "m/data/0", data: SIX, method: 8 },
      ]),
    ]) {
      expect(parsePt(bytes, SRC).get("w")).toEqual({
        data: Float32Array.from([1, 2, 3, 4, 5, 6]),
        shape: [2, 3],
      });
    }
  });

  it("refuses a record when its bytes do not match its CRC-32", () => {
    const bytes = one(matrix);
    const at = Buffer.from(bytes).indexOf(Buffer.from(SIX));
    bytes[at + 5]! ^= 1;
    refuse(bytes, ["tensor 'w'", "record 'archive/data/0' is corrupt: its CRC-32 does not match"]);
  });

  it.each([
    [
      "two records of one name",
      [
        { name: "a/data.pkl", data: "x" },
        { name: "a/data.pkl", data: "y" },
      ],
      "two records named 'a/data.pkl'",
    ],
    [
      "two data.pkl folders",
      [
        { name: "a/data.pkl", data: "x" },
        { name: "b/data.pkl", data: "y" },
      ],
      "has 2 of them",
    ],
    ["an encrypted record", [{ name: "a/data.pkl", data: "x", flags: 1 }], "is encrypted"],
    [
      "an unknown compression",
      [{ name: "a/data.pkl", data: "x", method: 12 }],
      "compression method 12",
    ],
    [
      "storages in big-endian order",
      [
        { name: "a/data.pkl", data: "x" },
        { name: "a/byteorder", data: "big" },
      ],
      "byte order 'big'",
    ],
  ])("refuses %s", (_, records, words) => {
    refuse(zipBytes(records), [words]);
  });

  it("refuses a central directory when it points past the end of the file", () => {
    const bytes = one(matrix);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(bytes.length - 6, bytes.length, true); // the directory's offset
    refuse(bytes, ["the central directory runs past its end record"]);
  });

  it("reads a 'little' byte order record, as newer torch writes", () => {
    const pkl = stateDictPickle({ w: matrix });
    const records = [
      { name: "archive/data.pkl", data: pkl },
      { name: "archive/byteorder", data: "little" },
      { name: "archive/data/0", data: SIX },
    ];
    expect(parsePt(zipBytes(records), SRC).size).toBe(1);
  });
});

describe("parsePt tensor views", () => {
  it("copies a strided view into row-major order, from an offset", () => {
    const t = parsePt(one({ key: "0", numel: 6, size: [2, 2], stride: [1, 3], offset: 1 }), SRC);
    expect([...t.get("w")!.data]).toEqual([2, 5, 3, 6]);
  });

  it("reads a stride of 0 as a broadcast and a size of 1 with any stride", () => {
    const t = parsePt(
      one({ key: "0", numel: 6, size: [3, 1, 2], stride: [0, 99, 1], offset: 4 }),
      SRC,
    );
    expect([...t.get("w")!.data]).toEqual([5, 6, 5, 6, 5, 6]);
  });

  it("shares a storage between tensors and reads its record once", () => {
    const pkl = stateDictPickle({ a: matrix, b: { ...matrix, size: [3, 2], stride: [1, 3] } });
    const t = parsePt(ptBytes(pkl, { "0": SIX }), SRC);
    expect([...t.get("b")!.data]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it.each([
    [
      "a view past the storage",
      { ...matrix, offset: 1 },
      ["reads item 6 of storage '0', which has 6"],
    ],
    [
      "a negative stride",
      { ...matrix, stride: [3, -1] },
      ["expected sizes, strides and an offset of 0 or more"],
    ],
    [
      "a stride past 2^53",
      { ...matrix, stride: [2n ** 60n, 1] },
      ["its offset, a size or a stride is an int past 2^53"],
    ],
    ["strides of another rank", { ...matrix, stride: [1] }, ["size [2, 3] has 1 strides"]],
    [
      "a record of the wrong size",
      { ...matrix, numel: 5 },
      ["holds 24 bytes, but 5 float32 need 20"],
    ],
    [
      "too many dimensions",
      { ...matrix, size: Array(MAX_RANK + 1).fill(1), stride: Array(MAX_RANK + 1).fill(1) },
      [`${MAX_RANK + 1} dimensions, over the limit of ${MAX_RANK}`],
    ],
    [
      "a dimension over the limit",
      { ...matrix, size: [MAX_DIMENSION + 1, 0], stride: [1, 1] },
      ["over the limit of 2147483647 per dimension"],
    ],
    [
      "more elements than the limit",
      { ...matrix, size: [2 ** 16, 2 ** 15], stride: [0, 0] },
      [`over the limit of ${MAX_ELEMENTS} per tensor`],
    ],
    [
      "metadata on a tensor",
      { ...matrix, extra: ops(EMPTY_DICT, str("neg"), int(1), SETITEM) },
      ["carries tensor metadata"],
    ],
  ])("refuses %s, naming the tensor", (_, spec, words) => {
    refuse(one(spec as TensorSpec), ["tensor 'w'", ...words]);
  });

  it("refuses one storage declared with two sizes", () => {
    const pkl = stateDictPickle({ a: matrix, b: { ...matrix, numel: 4 } });
    refuse(ptBytes(pkl, { "0": SIX }), ["storage '0' is declared as 6 float32 and as 4 float32"]);
  });
});

describe("parsePt state_dict contents", () => {
  const tensorItem = (name: string) => ops(str(name), rebuildTensor(matrix));
  const file = (p: Uint8Array) => ptBytes(p, { "0": SIX });

  it("reads a plain dict, empty or not, as a state_dict", () => {
    expect(parsePt(file(pickle(EMPTY_DICT)), SRC).size).toBe(0);
    expect(parsePt(file(pickle(EMPTY_DICT, MARK, tensorItem("x"), SETITEMS)), SRC).size).toBe(1);
  });

  it("keeps a tensor named __proto__ as a Map key like any other", () => {
    const t = parsePt(file(pickle(EMPTY_DICT, MARK, tensorItem("__proto__"), SETITEMS)), SRC);
    expect([...t.keys()]).toEqual(["__proto__"]);
  });

  it.each([
    ["a list", pickle(0x5d), "found a list"],
    ["None", pickle(NONE), "found None"],
    [
      "a key set twice",
      pickle(EMPTY_DICT, MARK, tensorItem("x"), tensorItem("x"), SETITEMS),
      "dict key 'x' is set twice",
    ],
    ["an int key", pickle(EMPTY_DICT, int(3), rebuildTensor(matrix), SETITEM), "a key is an int"],
    [
      "a value that is not a tensor",
      pickle(EMPTY_DICT, MARK, tensorItem("x"), str("epoch"), int(3), SETITEMS),
      "key 'epoch' holds an int",
    ],
    [
      "a tuple as a key",
      pickle(EMPTY_DICT, tuple(), int(1), SETITEM),
      "a dict key that is a tuple",
    ],
    [
      "a storage class called",
      pickle(global("torch", "FloatStorage"), tuple(), 0x52),
      "'torch.FloatStorage' is never called",
    ],
    ["a call of a str", pickle(str("os.system"), tuple(), 0x52), "cannot call a str"],
  ])("refuses %s", (_, p, words) => {
    refuse(file(p), [words]);
  });

  it("names up to three keys holding state_dicts in a checkpoint", () => {
    const sd = ops(EMPTY_DICT, MARK, tensorItem("w"), SETITEMS);
    const p = pickle(
      EMPTY_DICT,
      MARK,
      str("enc"),
      sd,
      str("dec"),
      sd,
      str("step"),
      int(7),
      SETITEMS,
    );
    refuse(file(p), ["holds a checkpoint", "under keys 'enc', 'dec'", "checkpoint['enc']"]);
  });
});
