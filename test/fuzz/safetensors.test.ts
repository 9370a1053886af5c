// Fuzzes parseSafetensors with hostile bytes: arbitrary bytes, valid files truncated, bit-flipped
// or with lying header lengths, random JSON headers, entries built from good and bad parts (huge
// shapes, wrong dtypes, stray offsets, names from Object.prototype) and deep JSON. Each case
// returns well-formed tensors or throws a clean DataError within the budget; and serializing then
// parsing gives the same tensors back, in order, whatever their names.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { parseSafetensors, serializeSafetensors } from "../../src/runtime/safetensors.js";
import { type Tensor, tensor } from "../../src/shared/tensor.js";
import { stBytes } from "../runtime/data-file-bytes.js";
import {
  SOURCE,
  expectSameValues,
  expectTensorsOrDataError,
  flipBit,
} from "./data-file-outcome.js";
import { PROPERTY_TIMEOUT_MS, fuzzParameters, withinBudget } from "./settings.js";

/** Tensor names: ordinary, integer-like (JSON.parse reorders those), Object.prototype's, any. */
const name = fc.oneof(
  fc.constantFrom("W", "b", "0", "10", "__proto__", "constructor", "toString", "", "a\u0000b"),
  fc.string({ maxLength: 12 }),
);

const smallTensor: fc.Arbitrary<Tensor> = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    f64: fc.boolean(),
    seed: fc.array(fc.double(), { minLength: 1, maxLength: 6 }),
  })
  .map(({ shape, f64, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => seed[i % seed.length] ?? 0);
    return tensor(f64 ? Float64Array.from(values) : Float32Array.from(values), shape);
  });

const tensors = fc
  .uniqueArray(
    fc.tuple(
      name.filter((n) => n !== "__metadata__"),
      smallTensor,
    ),
    {
      maxLength: 4,
      selector: ([n]) => n,
    },
  )
  .map((entries) => new Map(entries));

const validFile = tensors.map((m) => serializeSafetensors(m));

/** A valid file, then damaged: cut short, bits flipped, or a lying u64 header length. */
const damagedFile = fc.oneof(
  fc.tuple(validFile, fc.nat()).map(([b, cut]) => b.subarray(0, cut % (b.length + 1))),
  fc
    .tuple(validFile, fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 8 }))
    .map(([b, flips]) => flips.reduce((out, [at, bit]) => flipBit(out, at, bit), b)),
  fc.tuple(validFile, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([b, length]) => {
    const out = b.slice();
    new DataView(out.buffer).setBigUint64(0, length, true);
    return out;
  }),
);

/** Numbers as a header may hold them: sizes, zero, huge, negative, -0, fractional. */
const number = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 40, 2 ** 53, 1e300, -1, -0, 2.5) },
);

const ITEM_BYTES: Readonly<Record<string, number>> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

/** The bytes an entry's shape needs, if it is a list of sizes small enough to build. */
function bytesFor(dtype: unknown, shape: unknown): number {
  const item =
    typeof dtype === "string" && Object.hasOwn(ITEM_BYTES, dtype) ? ITEM_BYTES[dtype] : 4;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return 0;
  const n = (shape as number[]).reduce((a, b) => a * b, item ?? 4);
  return n <= 1 << 16 ? n : 0; // an empty tensor with a huge dimension needs 0 bytes
}

/** One header entry: mostly well-typed fields, so that the checks after the first one run too. */
const entry = fc.record({
  dtype: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("F32", "F64", "F16", "BF16") },
    { weight: 1, arbitrary: fc.constantFrom("I64", "U8", "F8_E4M3", "f32", "", 32, null) },
  ),
  shape: fc.oneof(
    { weight: 6, arbitrary: fc.array(number, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(number, { minLength: 30, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom("3", null, [[1]], ["1"]) },
  ),
  offsets: fc.oneof(
    { weight: 4, arbitrary: fc.constant("fit" as const) },
    { weight: 2, arbitrary: fc.tuple(number, number) },
    { weight: 1, arbitrary: fc.array(number, { maxLength: 3 }) },
  ),
});

/** Headers from such entries, tiled one after another where "fit", and a data section to match. */
const builtHeader = fc
  .record({
    entries: fc.array(fc.tuple(name, entry), { maxLength: 4 }),
    metadata: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }) },
      { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())) },
    ),
    data: fc.oneof(fc.constant("fit" as const), fc.nat(64)),
  })
  .map(({ entries, metadata, data }) => {
    let at = 0;
    const parts = entries.map(([n, { dtype, shape, offsets }]) => {
      const fitted = offsets === "fit" ? [at, (at += bytesFor(dtype, shape))] : offsets;
      return `${JSON.stringify(n)}:${JSON.stringify({ dtype, shape, data_offsets: fitted })}`;
    });
    if (metadata !== null) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
    return stBytes(`{${parts.join(",")}}`, new Uint8Array(data === "fit" ? at : data));
  });

/** Random JSON, deep JSON (arrays or objects, sometimes unclosed), and arbitrary bytes. */
const strangeHeader = fc.oneof(
  fc.json().map((text) => stBytes(text, new Uint8Array(8))),
  fc
    .record({ depth: fc.integer({ min: 60, max: 100_000 }), open: fc.constantFrom("[", '{"a":') })
    .chain(({ depth, open }) =>
      fc.boolean().map((closed) => {
        const close = open === "[" ? "]" : "}";
        return stBytes(open.repeat(depth) + (closed ? `1${close.repeat(depth)}` : ""));
      }),
    ),
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(fc.nat(320), fc.uint8Array({ maxLength: 300 })).map(([length, rest]) => {
    const out = new Uint8Array(8 + rest.length); // a plausible length before arbitrary bytes
    new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
    out.set(rest, 8);
    return out;
  }),
);

test.prop([fc.oneof(damagedFile, fc.uint8Array({ maxLength: 300 }))], fuzzParameters(600))(
  "parseSafetensors returns tensors or a clean DataError for arbitrary and damaged bytes",
  (bytes) => {
    expectTensorsOrDataError(`${bytes.length} bytes`, () => parseSafetensors(bytes, SOURCE));
  },
  PROPERTY_TIMEOUT_MS,
);

test.prop([fc.oneof(builtHeader, strangeHeader)], fuzzParameters(600))(
  "parseSafetensors returns tensors or a clean DataError for hostile headers",
  (bytes) => {
    expectTensorsOrDataError(`${bytes.length} bytes`, () => parseSafetensors(bytes, SOURCE));
  },
  PROPERTY_TIMEOUT_MS,
);

test.prop([tensors], fuzzParameters(300))(
  "parseSafetensors gives back what serializeSafetensors wrote, names and order included",
  (written) => {
    const bytes = serializeSafetensors(written);
    const read = withinBudget("round trip", () => parseSafetensors(bytes, SOURCE));
    expect([...read.keys()]).toEqual([...written.keys()]);
    for (const [n, t] of written) {
      const back = read.get(n);
      expect(back?.shape).toEqual(t.shape);
      expect(back?.data.constructor).toBe(t.data.constructor);
      expectSameValues(back?.data ?? [], t.data);
    }
  },
  PROPERTY_TIMEOUT_MS,
);
