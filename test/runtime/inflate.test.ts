// inflate.ts against zlib (node:zlib as the oracle): raw DEFLATE streams of every block type and
// level inflate to their bytes exactly; damaged ones, and ones that inflate to more or fewer bytes
// than the record says, are refused through `fail`, never with another error.
import { deflateRawSync, constants } from "node:zlib";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { inflate } from "../../src/runtime/inflate.js";

class Refused extends Error {}
const fail = (detail: string) => new Refused(detail);

/** Bytes from repetitive (long matches, far distances) to random (stored blocks). */
function sample(length: number, seed: number, alphabet: number): Uint8Array {
  let x = seed;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i > 300 && x % 7 === 0 ? out[i - 1 - (x % 300)]! : (x >>> 16) % alphabet;
  }
  return out;
}

describe("inflate", () => {
  it.each([
    ["empty", 0, 256, 6, constants.Z_DEFAULT_STRATEGY],
    ["text-like, dynamic codes", 50_000, 20, 9, constants.Z_DEFAULT_STRATEGY],
    ["random, stored blocks", 70_000, 256, 6, constants.Z_DEFAULT_STRATEGY],
    ["fixed codes", 5_000, 40, 6, constants.Z_FIXED],
    ["runs", 40_000, 2, 9, constants.Z_RLE],
    ["no compression", 100_000, 256, 0, constants.Z_DEFAULT_STRATEGY],
  ])("gives zlib's input back for %s", (_, length, alphabet, level, strategy) => {
    const data = sample(length, length + alphabet, alphabet);
    const packed = deflateRawSync(data, { level, strategy });
    expect(Buffer.from(inflate(packed, data.length, fail)).equals(Buffer.from(data))).toBe(true);
  });

  it("refuses a stream when it inflates to more or fewer bytes than the record says", () => {
    const data = sample(1000, 1, 30);
    const packed = deflateRawSync(data);
    expect(() => inflate(packed, 999, fail)).toThrow(/more than the 999 bytes/);
    expect(() => inflate(packed, 1001, fail)).toThrow(/inflates to 1000 bytes, not the 1001/);
  });

  it("refuses a stream when it is cut short", () => {
    const packed = deflateRawSync(sample(5000, 2, 30));
    expect(() => inflate(packed.subarray(0, packed.length >> 1), 5000, fail)).toThrow(Refused);
  });

  test.prop([fc.uint8Array({ maxLength: 400 }), fc.nat(5000)], { seed: 20261202, numRuns: 500 })(
    "refuses arbitrary bytes through fail, or inflates them to exactly the size",
    (bytes, size) => {
      try {
        expect(inflate(bytes, size, fail).length).toBe(size);
      } catch (e) {
        expect(e).toBeInstanceOf(Refused);
      }
    },
  );

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.nat(), fc.nat(7)], {
    seed: 20261202,
    numRuns: 300,
  })("refuses a flipped bit through fail, or inflates to the size", (data, at, bit) => {
    const packed = Uint8Array.from(deflateRawSync(data));
    packed[at % packed.length]! ^= 1 << bit;
    try {
      expect(inflate(packed, data.length, fail).length).toBe(data.length);
    } catch (e) {
      expect(e).toBeInstanceOf(Refused);
    }
  });
});
