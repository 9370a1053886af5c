// The reproducers of issue 10 for the tensor file formats, each refused at parse time with one line
// naming the file, the tensor and the limit: huge or empty-but-huge shapes, too many dimensions,
// deep JSON, lying header lengths and offsets that do not add up.
import { describe, expect, it } from "vitest";
import { parseNpy, serializeNpy } from "../../src/runtime/npy.js";
import { parseCaseJson } from "../../src/runtime/reference-case.js";
import { parseSafetensors, serializeSafetensors } from "../../src/runtime/safetensors.js";
import {
  MAX_DIMENSION,
  MAX_ELEMENTS,
  MAX_HEADER_BYTES,
  MAX_JSON_DEPTH,
  MAX_RANK,
} from "../../src/shared/limits.js";
import { tensor } from "../../src/shared/tensor.js";
import { expectRefusal, npyBytes, npyDict, stBytes, stEntry } from "./data-file-bytes.js";

const HUGE = 2 ** 40;

describe("parseNpy limits", () => {
  it("refuses shape (2^40, 0, 4) at parse time when it holds no elements", () => {
    const bytes = npyBytes(npyDict("<f4", `(${HUGE}, 0, 4)`));
    expect(bytes.length).toBeLessThan(129); // the 128-byte file
    const words = [`dimension 0 of shape (${HUGE}, 0, 4) is ${HUGE}`, `limit of ${MAX_DIMENSION}`];
    expectRefusal(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });

  it.each([
    ["(0, 2^40, 4)", `(0, ${HUGE}, 4)`],
    ["(2^31, 0, 4)", `(${2 ** 31}, 0, 4)`],
  ])("refuses shape %s when one dimension is over the limit", (_, shape) => {
    const bytes = npyBytes(npyDict("<f8", shape));
    expectRefusal(() => parseNpy(bytes, "x.npy"), "x.npy", ["over the limit"]);
  });

  it("refuses a shape of more elements than the limit when every dimension is allowed", () => {
    const bytes = npyBytes(npyDict("<f4", "(65536, 65536)"));
    const words = [`has ${2 ** 32} elements`, `limit of ${MAX_ELEMENTS} per tensor`];
    expectRefusal(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });

  it("refuses a shape when it has more dimensions than MAX_RANK", () => {
    const shape = `(${Array(MAX_RANK + 1)
      .fill("1")
      .join(", ")})`;
    const bytes = npyBytes(npyDict("<f4", shape), new Uint8Array(4));
    const words = [`${MAX_RANK + 1} dimensions, over the limit of ${MAX_RANK}`];
    expectRefusal(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });

  it("reads a shape of MAX_RANK ones when it is exactly at the limit", () => {
    const shape = `(${Array(MAX_RANK).fill("1").join(", ")})`;
    expect(parseNpy(npyBytes(npyDict("<f4", shape), new Uint8Array(4)), "x.npy").shape).toEqual(
      Array(MAX_RANK).fill(1),
    );
  });

  it("reads -0 in a shape as the size 0 when Python would", () => {
    const t = parseNpy(npyBytes(npyDict("<f4", "(-0, 3)")), "x.npy");
    expect(Object.is(t.shape[0], 0)).toBe(true);
  });

  it("refuses a version 2.0 header length when it lies about the file's size", () => {
    const bytes = npyBytes(npyDict("<f4", "(1,)"), new Uint8Array(4), 2);
    new DataView(bytes.buffer).setUint32(8, 0xffffffff, true);
    expectRefusal(() => parseNpy(bytes, "x.npy"), "x.npy", ["truncated header", "4294967295"]);
  });

  it("refuses to write a tensor whose shape parseNpy would refuse", () => {
    const t = { data: new Float32Array(0), shape: [HUGE, 0] };
    expectRefusal(() => serializeNpy(t), "serializeNpy", ["over the limit"]);
  });
});

describe("parseSafetensors limits", () => {
  const refuse = (header: unknown, words: readonly string[], data?: Uint8Array) =>
    expectRefusal(() => parseSafetensors(stBytes(header, data), "w.st"), "w.st", words);

  it("refuses a header nested 100,000 levels deep with one line when it is an array", () => {
    const header = "[".repeat(100_000) + "]".repeat(100_000);
    refuse(header, [`header is nested more than ${MAX_JSON_DEPTH} levels deep`]);
  });

  it("refuses deep nesting inside a tensor entry when the header is an object", () => {
    refuse(`{"a": ${"[".repeat(5000)}${"]".repeat(5000)}}`, ["nested more than"]);
  });

  it("ignores brackets inside strings when it measures the nesting", () => {
    const name = "[".repeat(MAX_JSON_DEPTH * 2);
    const t = parseSafetensors(stBytes({ [name]: stEntry("F32", [0], 0, 0) }), "w.st");
    expect([...t.keys()]).toEqual([name]);
  });

  it("refuses a tensor of shape [2^40, 0, 4] when it holds no bytes", () => {
    const words = ["tensor 'x'", `is ${HUGE}, over the limit of ${MAX_DIMENSION}`];
    refuse({ x: stEntry("F32", [HUGE, 0, 4], 0, 0) }, words);
  });

  it("refuses a tensor when its element count is over the limit", () => {
    refuse({ x: stEntry("F64", [2 ** 20, 2 ** 20], 0, 0) }, [`limit of ${MAX_ELEMENTS}`]);
  });

  it("refuses a tensor when its rank is over the limit", () => {
    refuse({ x: stEntry("F32", Array(40).fill(1), 0, 4) }, ["40 dimensions"], new Uint8Array(4));
  });

  it.each([
    ["a negative dimension", [-1]],
    ["a fractional dimension", [2.5]],
    ["an unsafe integer", [2 ** 53]],
    ["a string", ["3"]],
  ])("refuses a shape with %s", (_, shape) => {
    refuse({ x: { dtype: "F32", shape, data_offsets: [0, 0] } }, ["tensor 'x'", "shape"]);
  });

  it.each([
    ["unsafe integers", [0, 2 ** 60]],
    ["negative", [-4, 0]],
    ["reversed", [4, 0]],
    ["floats", [0, 4.5]],
    ["three numbers", [0, 4, 8]],
  ])("refuses data_offsets when they are %s", (_, offsets) => {
    const header = { x: { dtype: "F32", shape: [1], data_offsets: offsets } };
    refuse(header, ["tensor 'x'", "data_offsets"], new Uint8Array(8));
  });

  it("refuses an unknown dtype by name when it is not a float", () => {
    refuse({ x: stEntry("I64", [1], 0, 8) }, ["unsupported dtype 'I64'"], new Uint8Array(8));
  });

  it("refuses a header length when it is larger than any file could be", () => {
    const bytes = stBytes({});
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    const words = ["header length 18446744073709551615 runs past the end"];
    expectRefusal(() => parseSafetensors(bytes, "w.st"), "w.st", words);
  });

  it("refuses a header over MAX_HEADER_BYTES when the file does hold it", () => {
    const bytes = new Uint8Array(8 + MAX_HEADER_BYTES + 1).fill(0x20); // "{}" and spaces
    new DataView(bytes.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true);
    bytes.set([0x7b, 0x7d], 8);
    const words = [`over the limit of ${MAX_HEADER_BYTES} bytes`];
    expectRefusal(() => parseSafetensors(bytes, "w.st"), "w.st", words);
  });

  it("shows a long shape cut short when it refuses it", () => {
    const shape = Array.from({ length: 100_000 }, () => -1);
    const bytes = stBytes({ x: { dtype: "F32", shape, data_offsets: [0, 0] } });
    const e = expectRefusal(() => parseSafetensors(bytes, "w.st"), "w.st", ["[-1,-1,"]);
    expect(e.message.length).toBeLessThan(200);
  });

  it("refuses to write a tensor whose shape parseSafetensors would refuse", () => {
    const t = { data: new Float64Array(0), shape: [0, HUGE] };
    const words = ["tensor 'big'", "over the limit"];
    expectRefusal(() => serializeSafetensors({ big: t }), "serializeSafetensors", words);
  });

  it("still writes and reads an empty tensor when its dimensions are within the limits", () => {
    const t = tensor(new Float32Array(0), [MAX_DIMENSION, 0]);
    expect(parseSafetensors(serializeSafetensors({ t }), "w.st").get("t")?.shape).toEqual(t.shape);
  });
});

describe("parseCaseJson limits", () => {
  it("refuses case.json nested 100,000 levels deep with one line", () => {
    const bytes = new TextEncoder().encode(`{"cell": ${"[".repeat(100_000)}}`);
    expectRefusal(() => parseCaseJson(bytes, "c/case.json"), "c/case.json", ["nested more than"]);
  });

  it("refuses a negative tolerance when it would fail every comparison", () => {
    const json = { cell: "x", module: {}, tolerance: { atol: -1, rtol: 0 }, expected: {} };
    const bytes = new TextEncoder().encode(JSON.stringify(json));
    const words = ["field 'atol' must be a non-negative number"];
    expectRefusal(() => parseCaseJson(bytes, "case.json"), "case.json", words);
  });
});
