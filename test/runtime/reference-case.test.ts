// Reference cases: case.json is checked from its bytes alone (parseCaseJson, browser-safe), and
// loadReferenceCase reads the folder it describes, naming the file in every error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import { parseCaseJson } from "../../src/runtime/reference-case.js";
import { DataError } from "../../src/shared/data-error.js";
import { FIXTURE_DIR } from "../helpers/cells.js";
import { fuzzParameters, withinBudget } from "../fuzz/settings.js";
import { expectCleanDataError } from "./data-file-bytes.js";

const bytes = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json));
const BIDIR = join(FIXTURE_DIR, "lstm_bidir");
const valid = JSON.parse(readFileSync(join(BIDIR, "case.json"), "utf8")) as Record<string, unknown>;

describe("parseCaseJson", () => {
  it("keeps the file names relative when it reads a fixture's case.json", () => {
    const spec = parseCaseJson(bytes(valid), "case.json");
    expect(spec.files).toEqual({
      weights: "weights.safetensors",
      input: "input.npy",
      states: { h: "h0.npy", c: "c0.npy" },
      lengths: null,
      expected: { output: "output.npy", h: "h_n.npy", c: "c_n.npy" },
    });
    expect(spec).toMatchObject({ cell: "lstm", batchFirst: false, tolerance: { atol: 1e-5 } });
  });

  it("reads the optional lengths file name when case.json has one", () => {
    expect(parseCaseJson(bytes({ ...valid, lengths: "len.npy" }), "c").files.lengths).toBe(
      "len.npy",
    );
    expect(parseCaseJson(bytes({ ...valid, lengths: null }), "c").files.lengths).toBeNull();
  });

  it.each([
    ["not JSON", new TextEncoder().encode("{"), "not valid JSON: "],
    [
      "with lengths not a name",
      bytes({ ...valid, lengths: [3, 2] }),
      "field 'lengths' must be a file name",
    ],
    ["an array", bytes([]), "expected a JSON object"],
    ["without a cell", bytes({ ...valid, cell: undefined }), "field 'cell' must be a cell name"],
    [
      "without an rtol",
      bytes({ ...valid, tolerance: { atol: 0 } }),
      "field 'rtol' must be a non-negative number",
    ],
  ])("rejects case.json when it is %s", (_, input, detail) => {
    const parse = () => parseCaseJson(input, "c/case.json");
    expect(parse).toThrow(DataError);
    expect(parse).toThrow(`c/case.json: ${detail}`);
  });
});

describe("loadReferenceCase", () => {
  it("joins the file names to the folder when it loads a fixture", () => {
    const c = loadReferenceCase(BIDIR);
    expect(c.weightsFile).toBe(join(BIDIR, "weights.safetensors"));
    expect(c.stateFiles).toEqual({ h: join(BIDIR, "h0.npy"), c: join(BIDIR, "c0.npy") });
    expect(Object.keys(c.expected)).toEqual(["output", "h", "c"]);
    expect(c.input.shape).toHaveLength(3);
  });

  it("reads the lengths as an Int32Array when a fixture has them, int64 or int32 on disk", () => {
    for (const [name, want] of [
      ["lstm_packed_bidir", [7, 4, 1, 5]],
      ["lstm_packed_batch_first", [3, 6, 6, 2, 5]],
    ] as const) {
      const dir = join(FIXTURE_DIR, name);
      const c = loadReferenceCase(dir);
      expect(c.lengthsFile).toBe(join(dir, "lengths.npy"));
      expect(c.lengths).toEqual(Int32Array.from(want));
    }
    expect(loadReferenceCase(BIDIR)).toMatchObject({ lengths: null, lengthsFile: null });
  });

  it("names case.json when the folder has none", () => {
    expect(() => loadReferenceCase("test")).toThrow(
      /^test\/case\.json: cannot read: no such file$/,
    );
  });
});

describe("parseCaseJson on hostile bytes", () => {
  const fixture = bytes(valid);
  const hostile = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.json().map((text) => new TextEncoder().encode(text)),
    // The fixture with one field replaced by any JSON value, or cut short.
    fc
      .tuple(fc.constantFrom(...Object.keys(valid)), fc.jsonValue())
      .map(([key, value]) => bytes({ ...valid, [key]: value })),
    fc.nat().map((cut) => fixture.subarray(0, cut % fixture.length)),
  );

  test.prop([hostile], fuzzParameters(300))(
    "returns a spec or throws a clean DataError whatever the bytes",
    (input) => {
      const outcome = withinBudget("parseCaseJson", () => {
        try {
          return { spec: parseCaseJson(input, "c/case.json") };
        } catch (error) {
          return { error };
        }
      });
      if ("error" in outcome) expectCleanDataError(outcome.error, "c/case.json");
      else expect(typeof outcome.spec.cell).toBe("string");
    },
  );
});
