// Tests for the .npy reader and writer: hand-built files of every header version, numpy's exact
// output (the shared fixtures were written by numpy.save), and one test per rejected input; the
// integer reader (sequence lengths) the same way.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/shared/data-error.js";
import { readIntegerNpy, readLengths, readNpy, writeNpy } from "../../src/runtime/node-files.js";
import { parseIntegerNpy, parseNpy, serializeNpy } from "../../src/runtime/npy.js";
import { tensor, type Tensor } from "../../src/shared/tensor.js";
import { npyBytes, npyDict as dict } from "./data-file-bytes.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const CASES = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const ALL_NPY_FILES = CASES.flatMap((c) =>
  readdirSync(join(FIXTURES, c))
    .filter((f) => f.endsWith(".npy"))
    .map((f) => join(c, f)),
);
// Sequence lengths are integers (test/fixtures/EXTENSIONS.md); every other file holds floats.
const LENGTHS_FILES = ALL_NPY_FILES.filter((f) => f.endsWith("lengths.npy"));
const NPY_FILES = ALL_NPY_FILES.filter((f) => !LENGTHS_FILES.includes(f));

/** The parts of a fixture's case.json these tests read. */
interface CaseSpec {
  readonly input: string;
  readonly expected: { readonly output: string };
  readonly module: {
    readonly input_size: number;
    readonly hidden_size: number;
    readonly proj_size?: number;
    readonly bidirectional: boolean;
  };
}

/** Little-endian bytes of the given values, written independently of the code under test. */
function leBytes(values: readonly number[], width: 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) =>
    width === 4 ? view.setFloat32(4 * i, v, true) : view.setFloat64(8 * i, v, true),
  );
  return out;
}

/** The u16 header length of a version 1.0 file. */
const headerLength = (bytes: Uint8Array): number =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);

/** Asserts that `f` throws a DataError whose message names `source` and contains every word. */
function expectDataError(f: () => unknown, source: string, words: readonly string[]): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataError);
  const message = (caught as DataError).message;
  expect(message.startsWith(`${source}: `)).toBe(true);
  for (const w of words) expect(message).toContain(w);
  expect(message).not.toContain("\n");
}

describe("parseNpy", () => {
  it("reads <f4 values when the data offset is not a multiple of 4", () => {
    const header = dict("<f4", "(2, 3)");
    expect((10 + header.length) % 4).not.toBe(0);
    const values = [1.5, -2, 0.25, 1e-30, -0, 7];
    const t = parseNpy(npyBytes(header, leBytes(values, 4)), "a.npy");
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual(values.map(Math.fround));
  });

  it("reads <f8 values as a Float64Array when descr is <f8", () => {
    const values = [Math.PI, -1e300, 5e-324, Infinity];
    const t = parseNpy(npyBytes(dict("<f8", "(4,)"), leBytes(values, 8)), "a.npy");
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(t.shape).toEqual([4]);
    expect(Array.from(t.data)).toEqual(values);
  });

  it("reads a scalar when the shape is ()", () => {
    const t = parseNpy(npyBytes(dict("<f8", "()"), leBytes([42.5], 8)), "a.npy");
    expect(t.shape).toEqual([]);
    expect(Array.from(t.data)).toEqual([42.5]);
  });

  it("reads empty arrays when a dimension is 0", () => {
    const t = parseNpy(npyBytes(dict("<f4", "(2, 0, 3)")), "a.npy");
    expect(t.shape).toEqual([2, 0, 3]);
    expect(t.data.length).toBe(0);
  });

  it("reads a version 2.0 header when its length is a u32", () => {
    const header = dict("<f4", "(3,)") + " ".repeat(70000) + "\n"; // too long for a u16
    const t = parseNpy(npyBytes(header, leBytes([1, 2, 3], 4), 2), "a.npy");
    expect(t.shape).toEqual([3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3]);
  });

  it("reads a version 3.0 header when it is UTF-8", () => {
    const t = parseNpy(npyBytes(dict("<f8", "(1, 2)") + "\n", leBytes([3, 4], 8), 3), "a.npy");
    expect(t.shape).toEqual([1, 2]);
    expect(Array.from(t.data)).toEqual([3, 4]);
  });

  it("accepts any key order and quoting when the dict is a valid Python literal", () => {
    const header = `{"shape": (1,2),"fortran_order" : False, "descr":"<f4"}   \n`;
    const t = parseNpy(npyBytes(header, leBytes([5, 6], 4)), "a.npy");
    expect(t.shape).toEqual([1, 2]);
    expect(Array.from(t.data)).toEqual([5, 6]);
  });

  it("reads the bytes when they are a view at an odd offset into a larger buffer", () => {
    const file = npyBytes(dict("<f8", "(2,)"), leBytes([0.1, 0.2], 8));
    const host = new Uint8Array(file.length + 3);
    host.set(file, 3);
    const t = parseNpy(host.subarray(3), "a.npy");
    expect(Array.from(t.data)).toEqual([0.1, 0.2]);
  });
});

describe("parseNpy errors", () => {
  const data = leBytes([1, 2, 3, 4, 5, 6], 4);

  it("rejects the file when the magic is wrong", () => {
    const bytes = Uint8Array.from("PK\x03\x04 not numpy at all", (c) => c.charCodeAt(0));
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["not an npy file", "magic", "PK"]);
  });

  it("rejects the file when it is empty", () => {
    expectDataError(() => parseNpy(new Uint8Array(0), "x.npy"), "x.npy", ["not an npy file"]);
  });

  it("rejects the file when the version is not 1.0, 2.0 or 3.0", () => {
    const bytes = npyBytes(dict("<f4", "(6,)"), data, 4);
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["unsupported npy version 4.0"]);
  });

  it.each(["<i8", ">f4", "<f2", "|u1"])("rejects dtype %s when it is not <f4 or <f8", (d) => {
    const bytes = npyBytes(dict(d, "(6,)"), data);
    const words = ["unsupported dtype", `'${d}'`, "<f4", "<f8"];
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });

  it("rejects a structured dtype when descr is a list", () => {
    const bytes = npyBytes(
      `{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}`,
      data,
    );
    const words = ["unsupported dtype", "[('a', '<f4')]"];
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });

  it("rejects the array when fortran_order is True", () => {
    const bytes = npyBytes(dict("<f4", "(2, 3)", "True"), data);
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["fortran_order", "C-order"]);
  });

  it.each([
    ["not a dict", "['descr', '<f4']"],
    ["a missing key", "{'descr': '<f4', 'shape': (6,)}"],
    ["an extra key", "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'x': 1}"],
    ["a duplicated key", "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)}"],
    ["a shape list", dict("<f4", "[6]")],
    ["a shape without a comma", dict("<f4", "(6)")],
    ["a negative dimension", dict("<f4", "(-6,)")],
    ["a float dimension", dict("<f4", "(6.0,)")],
    ["fortran_order 0", dict("<f4", "(6,)", "0")],
    ["an unterminated string", "{'descr': '<f4, 'fortran_order': False, 'shape': (6,)}"],
    ["a missing colon", "{'descr' '<f4', 'fortran_order': False, 'shape': (6,)}"],
    ["text after the dict", dict("<f4", "(6,)") + " x\n"],
    ["an unclosed dict", "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)"],
  ])("rejects the header when it has %s", (_, header) => {
    const bytes = npyBytes(header, data);
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["malformed header"]);
  });

  it("reads a version 1.0 header as latin1 when it has bytes 0x80-0xff", () => {
    // Byte 0x85 is U+0085 in latin1; WHATWG's "latin1" (windows-1252) would make it "\u2026".
    // U+0085 is a C1 control, so the message shows it escaped.
    const bytes = npyBytes(dict("<f4", "(6,)").replace("}", "'\x85': 1}"), data);
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["found 'descr'", "'\\x85'"]);
  });

  it("rejects a version 3.0 header when it is not UTF-8", () => {
    const bytes = npyBytes(dict("<f4", "(6,)"), data, 3);
    bytes[14] = 0xff; // inside 'descr'
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["malformed header", "UTF-8"]);
  });

  it("rejects the file when it ends inside the header", () => {
    const bytes = npyBytes(dict("<f4", "(6,)"), data).subarray(0, 40);
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", ["truncated header"]);
  });

  it("rejects the data when it is shorter than the shape needs", () => {
    const bytes = npyBytes(dict("<f4", "(2, 3)"), data.subarray(0, 20));
    const words = ["truncated data", "(2, 3)", "<f4", "24 bytes", "found 20"];
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });

  it("rejects the data when bytes follow what the shape needs", () => {
    const bytes = npyBytes(dict("<f4", "(5,)"), data);
    const words = ["trailing bytes", "(5,)", "20 bytes", "found 24", "4 extra"];
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", words);
  });
});

describe("serializeNpy", () => {
  const shapes: readonly (readonly number[])[] = [[], [5], [2, 3, 4], [0], [2, 0, 3]];
  const filled = <A extends Float32Array | Float64Array>(data: A): A =>
    data.map((_, i) => (i % 7) * 0.37 - 1.1 * i) as A;

  it.each(shapes.map((shape) => ({ shape })))(
    "round trips f32 and f64 when shape is $shape",
    ({ shape }) => {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const data of [filled(new Float32Array(n)), filled(new Float64Array(n))]) {
        const back = parseNpy(serializeNpy(tensor(data, shape)), "round.npy");
        expect(back.shape).toEqual(shape);
        expect(back.data.constructor).toBe(data.constructor);
        expect(Array.from(back.data)).toEqual(Array.from(data));
      }
    },
  );

  it("keeps special values bit for bit when they are NaN, infinities and -0", () => {
    const data = Float32Array.from([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]);
    const back = parseNpy(serializeNpy(tensor(data, [6])), "special.npy");
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(Object.is(back.data[3], -0)).toBe(true);
  });

  it("writes numpy's version 1.0 header when asked for a scalar or a 1-tuple", () => {
    // What numpy 2.4's np.save writes: the dict, room for 21 digits, spaces to 64, then "\n".
    const cases: [Tensor, string][] = [
      [tensor(new Float32Array(1), []), dict("<f4", "()")],
      [tensor(new Float32Array(5), [5]), dict("<f4", "(5,)")],
      [tensor(new Float64Array(0), [2, 0, 3]), dict("<f8", "(2, 0, 3)")],
    ];
    for (const [t, expected] of cases) {
      const bytes = serializeNpy(t);
      expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      const length = headerLength(bytes);
      expect(length).toBe(118);
      const header = String.fromCharCode(...bytes.subarray(10, 10 + length));
      expect(header).toBe(expected.padEnd(117) + "\n");
      expect(bytes.length).toBe(128 + t.data.byteLength);
    }
  });

  it("aligns the data to 64 bytes when the header is long", () => {
    const bytes = serializeNpy(tensor(new Float64Array(0), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0]));
    const length = headerLength(bytes);
    expect((10 + length) % 64).toBe(0);
    expect(bytes[10 + length - 1]).toBe(0x0a);
  });

  it("rejects the tensor when its data does not fill its shape", () => {
    const t: Tensor = { data: new Float32Array(5), shape: [2, 3] };
    expectDataError(() => serializeNpy(t), "serializeNpy", ["5 elements", "[2, 3]", "6"]);
  });
});

describe("readNpy and writeNpy", () => {
  it("finds the shared fixture files when test/fixtures is present", () => {
    expect(CASES).toContain("lstm_4layer");
    expect(NPY_FILES.length).toBeGreaterThan(CASES.length);
  });

  it.each(NPY_FILES)("reads %s when numpy wrote it, and writes the same bytes back", (file) => {
    const bytes = readFileSync(join(FIXTURES, file));
    const t = readNpy(join(FIXTURES, file));
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
    expect(t.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(Buffer.from(serializeNpy(t)).equals(bytes)).toBe(true);
  });

  it.each(CASES)("reads input and output of %s with the sizes case.json gives", (name) => {
    const spec = JSON.parse(readFileSync(join(FIXTURES, name, "case.json"), "utf8")) as CaseSpec;
    const m = spec.module;
    const hOut = m.proj_size || m.hidden_size; // proj_size 0 or absent means no projection
    const input = readNpy(join(FIXTURES, name, spec.input));
    const output = readNpy(join(FIXTURES, name, spec.expected.output));
    expect(input.shape.length).toBe(3);
    expect(input.shape[2]).toBe(m.input_size);
    expect(output.shape.slice(0, 2)).toEqual(input.shape.slice(0, 2));
    expect(output.shape[2]).toBe((m.bidirectional ? 2 : 1) * hOut);
  });

  it("reads the lecture case's output when it is exactly 0 0 0 0 0 7 0 0 6", () => {
    const output = readNpy(join(FIXTURES, "lee_linear", "output.npy"));
    expect(output.shape).toEqual([9, 1, 1]);
    expect(Array.from(output.data)).toEqual([0, 0, 0, 0, 0, 7, 0, 0, 6]);
    const input = readNpy(join(FIXTURES, "lee_linear", "input.npy"));
    expect(Array.from(input.data.filter((_, i) => i % 4 === 3))).toEqual(Array(9).fill(1));
  });

  it("round trips through a file when written with writeNpy", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cellc-npy-")), "t.npy");
    const t = tensor(Float64Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    writeNpy(path, t);
    expect(readNpy(path)).toEqual(t);
  });

  it("names the path in the error when the file is cut short", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cellc-npy-")), "bad.npy");
    writeNpy(path, tensor(new Float32Array(2), [2]));
    writeFileSync(path, readFileSync(path).subarray(0, 128 + 7));
    expectDataError(() => readNpy(path), path, ["truncated data", "needs 8 bytes", "found 7"]);
  });
});

/** Little-endian int32 or int64 bytes of the given values, written independently of the reader. */
function intBytes(values: readonly (number | bigint)[], width: 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) =>
    width === 4 ? view.setInt32(4 * i, Number(v), true) : view.setBigInt64(8 * i, BigInt(v), true),
  );
  return out;
}

describe("parseIntegerNpy", () => {
  it("reads <i4 values as an Int32Array, negative ones included", () => {
    const values = [3, -1, 0, 2 ** 31 - 1, -(2 ** 31), 7];
    const t = parseIntegerNpy(npyBytes(dict("<i4", "(2, 3)"), intBytes(values, 4)), "l.npy");
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual(values);
  });

  it("reads <i8 values when they fit in 32 bits", () => {
    const t = parseIntegerNpy(
      npyBytes(dict("<i8", "(3,)"), intBytes([5, -2, 2 ** 31 - 1], 8)),
      "l.npy",
    );
    expect(Array.from(t.data)).toEqual([5, -2, 2 ** 31 - 1]);
  });

  it.each([2n ** 31n, -(2n ** 31n) - 1n, 2n ** 62n])(
    "rejects the int64 value %s: it does not fit in 32 bits",
    (v) => {
      const bytes = npyBytes(dict("<i8", "(2,)"), intBytes([1n, v], 8));
      const words = [`value ${v} at index 1`, "does not fit in 32 bits"];
      expectDataError(() => parseIntegerNpy(bytes, "l.npy"), "l.npy", words);
    },
  );

  it.each(["<f4", "<f8", ">i8", "<u8", "|i1", "<i2"])(
    "rejects dtype %s when it is not <i4 or <i8",
    (d) => {
      const bytes = npyBytes(dict(d, "(2,)"), new Uint8Array(16));
      const words = ["unsupported dtype", `'${d}'`, "only <i4 and <i8 are supported"];
      expectDataError(() => parseIntegerNpy(bytes, "l.npy"), "l.npy", words);
    },
  );

  it("keeps refusing integers in the float reader", () => {
    const bytes = npyBytes(dict("<i8", "(2,)"), intBytes([1, 2], 8));
    expectDataError(() => parseNpy(bytes, "x.npy"), "x.npy", [
      "unsupported dtype '<i8'",
      "<f4 and <f8",
    ]);
  });

  it("rejects the data when an <i8 file is short or long", () => {
    const short = npyBytes(dict("<i8", "(2,)"), intBytes([1, 2], 8).subarray(0, 12));
    expectDataError(() => parseIntegerNpy(short, "l.npy"), "l.npy", [
      "truncated data",
      "needs 16 bytes",
      "found 12",
    ]);
    const long = npyBytes(dict("<i4", "(2,)"), intBytes([1, 2, 3], 4));
    expectDataError(() => parseIntegerNpy(long, "l.npy"), "l.npy", ["trailing bytes", "4 extra"]);
  });

  it("refuses a shape over the limits before reading any data", () => {
    const bytes = npyBytes(dict("<i8", "(2147483648,)"));
    expectDataError(() => parseIntegerNpy(bytes, "l.npy"), "l.npy", [
      "over the limit of 2147483647",
    ]);
  });
});

describe("readLengths", () => {
  it.each(LENGTHS_FILES)("reads %s (int64 or int32, as numpy wrote it) as (B,) lengths", (file) => {
    const path = join(FIXTURES, file);
    const lengths = readLengths(path);
    expect(lengths).toBeInstanceOf(Int32Array);
    expect(readIntegerNpy(path).shape).toEqual([lengths.length]);
    expect(lengths.every((n) => n >= 1)).toBe(true);
  });

  it("finds lengths stored both as int64 and as int32 among the fixtures", () => {
    const descrs = LENGTHS_FILES.map(
      (f) => /'descr': '([^']*)'/.exec(readFileSync(join(FIXTURES, f), "latin1"))?.[1],
    );
    expect(new Set(descrs)).toEqual(new Set(["<i8", "<i4"]));
  });

  it("names the file when the lengths are not one-dimensional", () => {
    const path = join(mkdtempSync(join(tmpdir(), "cellc-npy-")), "lengths.npy");
    writeFileSync(path, npyBytes(dict("<i8", "(2, 1)"), intBytes([1, 2], 8)));
    expectDataError(() => readLengths(path), path, [
      "expected lengths of shape (batch,)",
      "found [2, 1]",
    ]);
  });
});
