// Tests for the safetensors reader and writer: hand-built files (F16/BF16 from known bit patterns),
// the shared fixtures byte for byte, and one test per header rule the reader enforces.

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/shared/data-error.js";
import { evalSize } from "../../src/shared/size.js";
import { bf16ToF32, f16ToF32 } from "../../src/runtime/float-codec.js";
import { readSafetensors, writeSafetensors } from "../../src/runtime/node-files.js";
import { parseSafetensors, serializeSafetensors } from "../../src/runtime/safetensors.js";
import { tensor, type Tensor } from "../../src/shared/tensor.js";
import { compileCell } from "../helpers/cells.js";
import { stBytes, stEntry as entry } from "./data-file-bytes.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const CASES = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Little-endian u16 words, for F16/BF16 data given as bit patterns. */
function u16Bytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(2 * words.length);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint16(2 * i, w, true));
  return out;
}

function f32Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

/** The `__metadata__` of a file, read with nothing but JSON.parse. */
function metadataOf(bytes: Uint8Array): Record<string, string> | undefined {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return (JSON.parse(text) as { __metadata__?: Record<string, string> }).__metadata__;
}

/** Asserts that `f` throws a DataError naming `source` (and `tensorName`) and every word. */
function expectDataError(
  f: () => unknown,
  source: string,
  tensorName: string | null,
  words: readonly string[],
): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataError);
  const error = caught as DataError;
  expect(error.tensorName).toBe(tensorName);
  const prefix = tensorName === null ? `${source}: ` : `${source}: tensor '${tensorName}': `;
  expect(error.message.startsWith(prefix)).toBe(true);
  for (const w of words) expect(error.message).toContain(w);
  expect(error.message).not.toContain("\n");
}

describe("parseSafetensors", () => {
  it("reads F32 tensors in header order when names would sort differently", () => {
    const header = {
      b: entry("F32", [2], 0, 8),
      "10": entry("F32", [], 8, 12),
      a: entry("F32", [0], 12, 12),
    };
    const bytes = stBytes(
      `{"b":${JSON.stringify(header.b)},"10":${JSON.stringify(header["10"])},"a":${JSON.stringify(header.a)}}`,
      f32Bytes([1, 2, 3]),
    );
    const tensors = parseSafetensors(bytes, "t.safetensors");
    expect([...tensors.keys()]).toEqual(["b", "10", "a"]);
    expect(tensors.get("b")?.shape).toEqual([2]);
    expect(Array.from(tensors.get("b")?.data ?? [])).toEqual([1, 2]);
    expect(tensors.get("10")?.shape).toEqual([]);
    expect(Array.from(tensors.get("10")?.data ?? [])).toEqual([3]);
    expect(tensors.get("a")?.data.length).toBe(0);
  });

  it("reads F64 tensors as Float64Array when the data offset is unaligned", () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setFloat64(0, Math.PI, true);
    new DataView(data.buffer).setFloat64(8, -1e-310, true);
    const bytes = stBytes({ x: entry("F64", [2, 1], 0, 16) }, data);
    expect((bytes.length - 16) % 8).not.toBe(0); // where the data starts
    const x = parseSafetensors(bytes, "t.safetensors").get("x");
    expect(x?.data).toBeInstanceOf(Float64Array);
    expect(Array.from(x?.data ?? [])).toEqual([Math.PI, -1e-310]);
  });

  it("widens F16 to Float32Array when given known bit patterns", () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125],
      [0x7bff, 65504],
      [0x0400, 2 ** -14],
      [0x03ff, 1023 * 2 ** -24],
      [0x0001, 2 ** -24],
      [0x8001, -(2 ** -24)],
      [0x0000, 0],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    const n = cases.length;
    const bytes = stBytes(
      { h: entry("F16", [n + 2], 0, 2 * n + 4) },
      u16Bytes([...cases.map((c) => c[0]), 0x7e00, 0x8000]),
    );
    const h = parseSafetensors(bytes, "half.safetensors").get("h");
    expect(h?.data).toBeInstanceOf(Float32Array);
    expect(Array.from(h?.data ?? []).slice(0, n)).toEqual(cases.map((c) => c[1]));
    expect(h?.data[n]).toBeNaN();
    expect(Object.is(h?.data[n + 1], -0)).toBe(true);
  });

  it("widens BF16 to Float32Array when given known bit patterns", () => {
    const cases: [number, number][] = [
      [0x3f80, 1],
      [0xc000, -2],
      [0x4049, 3.140625],
      [0x7f7f, 3.3895313892515355e38],
      [0x0080, 2 ** -126],
      [0x0001, 2 ** -133],
      [0x7f80, Infinity],
      [0xff80, -Infinity],
    ];
    const n = cases.length;
    const bytes = stBytes(
      { b: entry("BF16", [2, n / 2], 0, 2 * n) },
      u16Bytes(cases.map((c) => c[0])),
    );
    const b = parseSafetensors(bytes, "bf.safetensors").get("b");
    expect(b?.shape).toEqual([2, n / 2]);
    expect(Array.from(b?.data ?? [])).toEqual(cases.map((c) => c[1]));
    expect(bf16ToF32(0x7fc0)).toBeNaN();
  });

  it("orders every finite F16 value when the bit patterns increase", () => {
    // Positive f16 bit patterns sort like their values, and the sign bit mirrors them exactly.
    const bad: number[] = [];
    let previous = -1;
    for (let bits = 0; bits < 0x7c00; bits++) {
      const v = f16ToF32(bits);
      const ok = v > previous && f16ToF32(bits | 0x8000) === -v && Math.fround(v) === v;
      if (!ok) bad.push(bits);
      previous = v;
    }
    for (let bits = 0x7c01; bits < 0x8000; bits++)
      if (!Number.isNaN(f16ToF32(bits))) bad.push(bits);
    expect(bad).toEqual([]);
    expect(f16ToF32(0x7bff)).toBe(65504); // the largest finite f16
  });

  it("accepts a file with no tensors when the header is {}", () => {
    expect(parseSafetensors(stBytes("{}"), "e.safetensors").size).toBe(0);
  });
});

describe("parseSafetensors errors", () => {
  const src = "bad.safetensors";
  const data = f32Bytes([1, 2, 3, 4]);
  const parse =
    (header: unknown, bytes = data) =>
    () =>
      parseSafetensors(stBytes(header, bytes), src);

  it("rejects the file when it is shorter than the length field", () => {
    const f = () => parseSafetensors(new Uint8Array(5), src);
    expectDataError(f, src, null, ["truncated", "8-byte header length", "found 5"]);
  });

  it("rejects the header length when it runs past the end of the file", () => {
    const bytes = stBytes({ w: entry("F32", [4], 0, 16) }, data);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    const f = () => parseSafetensors(bytes, src);
    expectDataError(f, src, null, ["header length 9223372036854775808", "past the end"]);
  });

  it("rejects the header when it is not valid JSON", () => {
    expectDataError(parse('{"w": {"dtype": "F32",'), src, null, ["not valid JSON"]);
  });

  it("rejects the header when it is not UTF-8", () => {
    const bytes = stBytes('{"w":1}');
    bytes[10] = 0xff;
    expectDataError(() => parseSafetensors(bytes, src), src, null, ["UTF-8"]);
  });

  it("rejects the header when it is a JSON array", () => {
    expectDataError(parse([1, 2]), src, null, ["JSON object", "[1,2]"]);
  });

  it.each([
    ["not an object", "pt"],
    ["a number value", { format: 1 }],
    ["null", null],
  ])("rejects __metadata__ when it is %s", (_, metadata) => {
    const header = { __metadata__: metadata, w: entry("F32", [4], 0, 16) };
    expectDataError(parse(header), src, null, ["__metadata__", "strings to strings"]);
  });

  it("rejects a tensor name when it appears twice", () => {
    const w = JSON.stringify(entry("F32", [4], 0, 16));
    expectDataError(parse(`{"w":${w},"w":${w}}`), src, null, ["'w'", "twice"]);
  });

  it.each([
    ["not an object", [1], "dtype, shape and data_offsets"],
    ["missing its dtype", { shape: [4], data_offsets: [0, 16] }, "dtype"],
    ["a non-integer shape", entry("F32", [1.5, 2], 0, 16), "shape"],
    ["a negative shape", entry("F32", [-4], 0, 16), "shape"],
    ["a string shape", { dtype: "F32", shape: "4", data_offsets: [0, 16] }, "shape"],
    ["three data_offsets", { dtype: "F32", shape: [4], data_offsets: [0, 8, 16] }, "data_offsets"],
    ["data_offsets that end first", entry("F32", [0], 16, 0), "data_offsets"],
  ])("rejects the entry when it is %s", (_, value, word) => {
    expectDataError(parse({ w: value }), src, "w", ["expected", word]);
  });

  it.each(["I64", "U8", "BOOL", "F8_E4M3", "f32"])(
    "rejects dtype %s when it is not a float type",
    (dtype) => {
      const header = { w: entry(dtype, [4], 0, 16) };
      expectDataError(parse(header), src, "w", ["unsupported dtype", `'${dtype}'`, "F32", "BF16"]);
    },
  );

  it("rejects data_offsets when their size does not match the shape", () => {
    const header = { weight_ih_l0: entry("F32", [4, 5], 0, 64) };
    const f = parse(header, new Uint8Array(64));
    expectDataError(f, src, "weight_ih_l0", []);
    expect(f).toThrow(
      "bad.safetensors: tensor 'weight_ih_l0': data_offsets [0, 64] hold 64 bytes but shape [4, 5] of F32 needs 80",
    );
  });

  it("rejects data_offsets when they run past the data section", () => {
    const header = { a: entry("F32", [4], 0, 16), b: entry("F32", [2], 16, 24) };
    expectDataError(parse(header), src, "b", ["[16, 24]", "past the end", "16-byte data section"]);
  });

  it("rejects two tensors when their bytes overlap", () => {
    const header = { a: entry("F32", [3], 0, 12), b: entry("F32", [2], 8, 16) };
    expectDataError(parse(header), src, "b", ["overlap", "tensor 'a'", "[0, 12]", "[8, 16]"]);
  });

  it("rejects the data section when a hole lies between tensors", () => {
    const header = { a: entry("F32", [1], 0, 4), b: entry("F32", [2], 8, 16) };
    expectDataError(parse(header), src, null, ["bytes 4 to 8", "no tensor"]);
  });

  it("rejects the data section when bytes follow the last tensor", () => {
    const header = { a: entry("F32", [3], 0, 12) };
    expectDataError(parse(header), src, null, ["bytes 12 to 16", "no tensor"]);
  });
});

describe("serializeSafetensors", () => {
  const f32 = tensor(Float32Array.from([1.5, -0, NaN, Infinity, 1e-45, 3]), [2, 3]);
  const f64 = tensor(Float64Array.from([Math.E, -1e-310]), [2]);
  const scalar = tensor(Float32Array.from([7]), []);
  const empty = tensor(new Float64Array(0), [3, 0, 2]);
  const cube = tensor(
    Float32Array.from({ length: 24 }, (_, i) => i / 3),
    [2, 3, 4],
  );

  const expectSame = (got: Map<string, Tensor>, want: Map<string, Tensor>) => {
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [name, t] of want) {
      const back = got.get(name);
      expect(back?.shape).toEqual(t.shape);
      expect(back?.data.constructor).toBe(t.data.constructor);
      expect(Array.from(back?.data ?? [])).toEqual(Array.from(t.data));
    }
  };

  it("round trips f32, f64, scalar and empty tensors when given a Map", () => {
    const want = new Map<string, Tensor>([
      ["w", f32],
      ["2", f64],
      ["s", scalar],
      ["1", empty],
      ["c", cube],
    ]);
    expectSame(parseSafetensors(serializeSafetensors(want), "round.safetensors"), want);
  });

  it("keeps insertion order when given a record", () => {
    const bytes = serializeSafetensors({ z: scalar, a: f64, m: cube });
    expect([...parseSafetensors(bytes, "r.safetensors").keys()]).toEqual(["z", "a", "m"]);
  });

  it("writes F32 and F64 with the header padded to 8 bytes when metadata is given", () => {
    const bytes = serializeSafetensors({ w: f32, v: f64 }, { format: "pt", note: "ünïcode" });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(text).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(text);
    expect(header.w).toEqual({ dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
    expect(header.v).toEqual({ dtype: "F64", shape: [2], data_offsets: [24, 40] });
    expect(metadataOf(bytes)).toEqual({ format: "pt", note: "ünïcode" });
    expect(bytes.length).toBe(8 + length + 40);
  });

  it("rejects a tensor when it is named __metadata__", () => {
    const f = () => serializeSafetensors({ __metadata__: scalar });
    expectDataError(f, "serializeSafetensors", "__metadata__", ["reserved"]);
  });

  it("rejects a tensor when its data does not fill its shape", () => {
    const f = () => serializeSafetensors({ w: { data: new Float32Array(3), shape: [2, 2] } });
    expectDataError(f, "serializeSafetensors", "w", ["3 elements", "[2, 2]"]);
  });

  it("round trips through a file when written with writeSafetensors", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cellc-st-")), "w.safetensors");
    writeSafetensors(path, new Map([["cube", cube]]), { case: "x" });
    expectSame(readSafetensors(path), new Map([["cube", cube]]));
    expect(metadataOf(readFileSync(path))).toEqual({ case: "x" });
  });
});

/** Gate blocks stacked in weight_ih, by PyTorch module type. */
const TORCH_GATES: Readonly<Record<string, number>> = { LSTM: 4, LSTMCell: 4, GRU: 3, RNN: 1 };

/** For the zoo's cases (no PyTorch module): the blocks the cell declares, weight_ih's rows at H = 1. */
function gatesOf(cell: string): number {
  const rows = compileCell(cell).params.find((p) => p.name === "weight_ih")!.shape[0]!;
  return evalSize(rows, new Map([["H", 1]]))!;
}

describe("readSafetensors on the shared fixtures", () => {
  it("finds the fixture cases when test/fixtures is present", () => {
    expect(CASES).toContain("lstm_4layer");
  });

  it.each(CASES)("reads %s and writes the same bytes back", (name) => {
    const path = join(FIXTURES, name, "weights.safetensors");
    const bytes = readFileSync(path);
    const weights = readSafetensors(path);
    expect(weights.size).toBeGreaterThan(0);
    for (const t of weights.values()) expect(t.data).toBeInstanceOf(Float32Array);
    const again = serializeSafetensors(weights, metadataOf(bytes));
    expect(Buffer.from(again).equals(bytes)).toBe(true);
  });

  it.each(CASES)("gives %s input weights of shape [gates * hidden, input]", (name) => {
    const spec = JSON.parse(readFileSync(join(FIXTURES, name, "case.json"), "utf8")) as {
      cell: string;
      module: { type: string; input_size: number; hidden_size: number };
    };
    const m = spec.module;
    const gates = TORCH_GATES[m.type] ?? gatesOf(spec.cell);
    const weights = readSafetensors(join(FIXTURES, name, "weights.safetensors"));
    const w = weights.get("weight_ih_l0") ?? weights.get("weight_ih");
    expect(w?.shape).toEqual([gates * m.hidden_size, m.input_size]);
  });

  it("reads lstm_4layer's per-layer input weights when the layers differ in input size", () => {
    const weights = readSafetensors(join(FIXTURES, "lstm_4layer", "weights.safetensors"));
    expect(weights.get("weight_ih_l0")?.shape).toEqual([80, 100]);
    expect(weights.get("weight_ih_l3")?.shape).toEqual([80, 20]);
    expect(weights.get("bias_hh_l3")?.shape).toEqual([80]);
  });

  it("names the path in the error when a fixture is cut short", () => {
    const path = join(FIXTURES, "gru", "weights.safetensors");
    const bytes = readFileSync(path).subarray(0, 400);
    expectDataError(() => parseSafetensors(bytes, path), path, "bias_hh_l0", ["past the end"]);
  });
});
