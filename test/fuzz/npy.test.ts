// Fuzzes parseNpy with hostile bytes: arbitrary bytes, valid files truncated, bit-flipped or with
// lying header lengths, and headers built from good and bad parts (huge, negative or too many
// dimensions, wrong dtypes, deep nesting). Each case returns a well-formed tensor or throws a clean
// DataError within the budget; and serializing then parsing gives the same tensor back. The
// integer reader (parseIntegerNpy, for sequence lengths) gets the same bytes and integer files.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { parseIntegerNpy, parseNpy, serializeNpy } from "../../src/runtime/npy.js";
import { type Tensor, tensor } from "../../src/shared/tensor.js";
import { npyBytes } from "../runtime/data-file-bytes.js";
import {
  SOURCE,
  expectSameValues,
  expectTensorsOrDataError,
  flipBit,
} from "./data-file-outcome.js";
import { PROPERTY_TIMEOUT_MS, fuzzParameters } from "./settings.js";

/** Small tensors of either float width, with special values now and then. */
const smallTensor: fc.Arbitrary<Tensor> = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
    f64: fc.boolean(),
    seed: fc.array(fc.double(), { minLength: 1, maxLength: 8 }),
  })
  .map(({ shape, f64, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => seed[i % seed.length] ?? 0);
    return tensor(f64 ? Float64Array.from(values) : Float32Array.from(values), shape);
  });

/** A valid file, then damaged: cut short, bits flipped, or its header length replaced. */
const damagedFile = fc.oneof(
  fc
    .tuple(smallTensor, fc.nat())
    .map(([t, cut]) => serializeNpy(t).subarray(0, cut % (serializeNpy(t).length + 1))),
  fc
    .tuple(smallTensor, fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 8 }))
    .map(([t, flips]) => flips.reduce((b, [at, bit]) => flipBit(b, at, bit), serializeNpy(t))),
  fc.tuple(smallTensor, fc.nat(0xffff)).map(([t, length]) => {
    const bytes = serializeNpy(t);
    new DataView(bytes.buffer).setUint16(8, length, true);
    return bytes;
  }),
);

/** Dimensions as a header may write them: sizes, zero, huge, negative, -0, float, words. */
const dimText = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(2 ** 31, 2 ** 31 - 1, 2 ** 40, 2 ** 53, 2 ** 64).map(String),
  },
  { weight: 1, arbitrary: fc.constantFrom("-1", "-0", "2.5", "1e3", "None", "True", "'3'") },
);

const dimsText = fc.oneof(
  { weight: 6, arbitrary: fc.array(dimText, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(dimText, { minLength: 30, maxLength: 40 }) },
);

/** Mostly what numpy writes, sometimes not: the parser must get past one field to test the next. */
const descrText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("'<f4'", "'<f8'") },
  { weight: 1, arbitrary: fc.constantFrom("'>f4'", "'<i8'", "'|u1'", "'<f2'", "3", "[]") },
);
const fortranText = fc.oneof(
  { weight: 4, arbitrary: fc.constant("False") },
  { weight: 1, arbitrary: fc.constantFrom("True", "0", "None") },
);

/** The data bytes a shape needs, if its dimensions are sizes and it is small enough to build. */
function bytesFor(dims: readonly string[], descr: string): number {
  const sizes = dims.map(Number);
  if (!sizes.every((d) => Number.isSafeInteger(d) && d >= 0)) return 0;
  const n = sizes.reduce((a, b) => a * b, descr === "'<f8'" ? 8 : 4);
  return n <= 1 << 16 ? n : 0; // an empty tensor with a huge dimension needs 0 bytes
}

/** Headers from good and bad parts, with data that fits the shape or has a random size. */
const builtHeader = fc
  .record({
    descr: descrText,
    fortran: fortranText,
    dims: dimsText,
    tuple: fc.oneof(
      { weight: 8, arbitrary: fc.constant("tuple") },
      fc.constantFrom("list", "bare"),
    ),
    extra: fc.oneof(
      { weight: 6, arbitrary: fc.constant("") },
      fc.constantFrom("'x': 1, ", "'shape': (1,), "),
    ),
    data: fc.oneof(fc.constant("fit" as const), fc.nat(64)),
    version: fc.constantFrom(1, 2, 3),
  })
  .map((h) => {
    const items = h.dims.join(", ");
    const shape =
      h.tuple === "list"
        ? `[${items}]`
        : h.tuple === "bare"
          ? items
          : h.dims.length === 1
            ? `(${items},)`
            : `(${items})`;
    const dict = `{${h.extra}'descr': ${h.descr}, 'fortran_order': ${h.fortran}, 'shape': ${shape}}`;
    const size = h.data === "fit" ? bytesFor(h.dims, h.descr) : h.data;
    return npyBytes(dict, new Uint8Array(size), h.version);
  });

/** Headers nested deep, or made of random printable and unprintable text. */
const strangeHeader = fc.oneof(
  fc.integer({ min: 10, max: 20_000 }).map((n) => npyBytes(`{'shape': ${"(".repeat(n)}`)),
  fc.string({ unit: "binary", maxLength: 200 }).map((s) => npyBytes(s, new Uint8Array(8), 3)),
  fc.string({ maxLength: 200 }).map((s) => npyBytes(`{'descr': '${s}'}`)),
);

/** Arbitrary bytes, alone or after a valid magic and version. */
const arbitraryBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(fc.constantFrom(1, 2, 3, 4), fc.uint8Array({ maxLength: 300 }))
    .map(([major, rest]) =>
      Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0, ...rest]),
    ),
);

test.prop([fc.oneof(arbitraryBytes, damagedFile)], fuzzParameters(600))(
  "parseNpy returns a tensor or a clean DataError for arbitrary and damaged bytes",
  (bytes) => {
    expectTensorsOrDataError(`${bytes.length} bytes`, () => parseNpy(bytes, SOURCE));
  },
  PROPERTY_TIMEOUT_MS,
);

test.prop([fc.oneof(builtHeader, strangeHeader)], fuzzParameters(600))(
  "parseNpy returns a tensor or a clean DataError for hostile headers",
  (bytes) => {
    expectTensorsOrDataError(`${bytes.length} bytes`, () => parseNpy(bytes, SOURCE));
  },
  PROPERTY_TIMEOUT_MS,
);

test.prop([smallTensor], fuzzParameters(300))(
  "parseNpy gives back what serializeNpy wrote",
  (t) => {
    const [back] =
      expectTensorsOrDataError("round trip", () => parseNpy(serializeNpy(t), SOURCE)) ?? [];
    expect(back?.shape).toEqual(t.shape);
    expect(back?.data.constructor).toBe(t.data.constructor);
    expectSameValues(back?.data ?? [], t.data);
  },
  PROPERTY_TIMEOUT_MS,
);

/** Integer files: <i4 or <i8, values within 32 bits or not, the data sometimes cut short. */
const integerFile = fc
  .record({
    wide: fc.boolean(),
    values: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -5, max: 9 }).map(BigInt) },
        { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
      ),
      { maxLength: 6 },
    ),
    cut: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 8 })),
  })
  .map(({ wide, values, cut }) => {
    const width = wide ? 8 : 4;
    const data = new Uint8Array(values.length * width);
    const view = new DataView(data.buffer);
    values.forEach((v, i) =>
      wide
        ? view.setBigInt64(8 * i, v, true)
        : view.setInt32(4 * i, Number(BigInt.asIntN(32, v)), true),
    );
    const dict = `{'descr': '<i${width}', 'fortran_order': False, 'shape': (${values.length},)}`;
    return npyBytes(dict, data.subarray(0, Math.max(0, data.length - cut)));
  });

test.prop([fc.oneof(integerFile, arbitraryBytes, damagedFile, builtHeader)], fuzzParameters(400))(
  "parseIntegerNpy returns integers or a clean DataError for integer, damaged and hostile files",
  (bytes) => {
    const parse = () => parseIntegerNpy(bytes, SOURCE) as unknown as Tensor;
    const [t] = expectTensorsOrDataError(`${bytes.length} bytes`, parse) ?? [];
    if (t) expect(t.data).toBeInstanceOf(Int32Array);
  },
  PROPERTY_TIMEOUT_MS,
);
