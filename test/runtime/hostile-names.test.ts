// Names from files are user data: tensors and case.json keys named after Object.prototype's
// members (`__proto__`, `constructor`, `toString`) load, keep their place and stay usable, and a
// missing one reads as absent rather than as something inherited.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readWeights, writeSafetensors } from "../../src/runtime/node-files.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import { parseCaseJson } from "../../src/runtime/reference-case.js";
import { parseSafetensors, serializeSafetensors } from "../../src/runtime/safetensors.js";
import { tensor } from "../../src/shared/tensor.js";
import { serializeNpy } from "../../src/runtime/npy.js";
import { stBytes, stEntry } from "./data-file-bytes.js";

const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"] as const;

const f32 = (...values: number[]) => tensor(Float32Array.from(values), [values.length]);
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe("tensor names from Object.prototype", () => {
  it("reads each name as its own tensor when a header uses them", () => {
    const header = Object.fromEntries(
      NAMES.map((n, i) => [n, stEntry("F32", [1], 4 * i, 4 * i + 4)]),
    );
    const data = new Uint8Array(new Float32Array([0, 1, 2, 3, 4]).buffer);
    const tensors = parseSafetensors(stBytes(header, data), "w.st");
    expect([...tensors.keys()]).toEqual(NAMES);
    NAMES.forEach((n, i) => expect(Array.from(tensors.get(n)?.data ?? [])).toEqual([i]));
  });

  it("round trips the names through serializeSafetensors when given a Map", () => {
    const map = new Map(NAMES.map((n, i) => [n, f32(i, -i)]));
    const back = parseSafetensors(serializeSafetensors(map), "w.st");
    expect([...back.keys()]).toEqual(NAMES);
    expect(Array.from(back.get("__proto__")?.data ?? [])).toEqual([0, -0]);
  });

  it("keeps __proto__ as an own key when readWeights returns a record", () => {
    const dir = mkdtempSync(join(tmpdir(), "cellc-names-"));
    const path = join(dir, "w.safetensors");
    writeSafetensors(
      path,
      new Map([
        ["__proto__", f32(7)],
        ["W", f32(1, 2)],
      ]),
    );
    const weights = readWeights(path);
    expect(Object.keys(weights)).toEqual(["__proto__", "W"]);
    expect(Object.hasOwn(weights, "__proto__")).toBe(true);
    expect(Array.from(weights["__proto__"]?.data ?? [])).toEqual([7]);
    // Nothing is inherited: a name the file lacks is absent, not Object.prototype's member.
    expect(weights["constructor"]).toBeUndefined();
    expect(weights["toString"]).toBeUndefined();
    expect(new Map(Object.entries(weights)).size).toBe(2);
  });

  it("does not take a tensor's fields from Object.prototype when an entry lacks them", () => {
    const bytes = stBytes({ constructor: {} });
    expect(() => parseSafetensors(bytes, "w.st")).toThrow(
      "w.st: tensor 'constructor': expected dtype to be a string, found nothing",
    );
  });

  it("reads metadata keyed __proto__ and constructor as plain strings", () => {
    const text = '{"__metadata__":{"__proto__":"x","constructor":"y"}}';
    expect(parseSafetensors(stBytes(text), "w.st").size).toBe(0);
  });
});

describe("case.json keys from Object.prototype", () => {
  // Written as text: in a JavaScript literal, `__proto__: ...` would set the prototype instead.
  const CASE_JSON = `{
    "cell": "lstm", "module": {}, "tolerance": {"atol": 1e-5, "rtol": 0},
    "weights": "weights.safetensors", "input": "input.npy",
    "states": {"constructor": "c0.npy", "__proto__": "p0.npy"},
    "expected": {"output": "output.npy", "constructor": "c_n.npy", "__proto__": "p_n.npy"},
    "activations": {"constructor": "tanh", "__proto__": "relu"}
  }`;
  const bytes = new TextEncoder().encode(CASE_JSON);
  const plain = JSON.parse(CASE_JSON) as Record<string, unknown>;

  it("keeps every key as an own entry when states, expected and activations use them", () => {
    const parsed = parseCaseJson(bytes, "case.json");
    expect(Object.keys(parsed.files.states)).toEqual(["constructor", "__proto__"]);
    expect(parsed.files.states["__proto__"]).toBe("p0.npy");
    expect(Object.keys(parsed.files.expected)).toEqual(["output", "constructor", "__proto__"]);
    expect(parsed.activations["constructor"]).toBe("tanh");
    expect(parsed.activations["__proto__"]).toBe("relu");
  });

  it("reads a missing name as absent when the records are looked up by a user's name", () => {
    const parsed = parseCaseJson(json({ ...plain, states: {}, activations: undefined }), "c.json");
    expect(parsed.files.states["constructor"]).toBeUndefined();
    expect(parsed.activations["toString"]).toBeUndefined();
  });

  it("refuses a field only inherited from Object.prototype when case.json lacks it", () => {
    const lacking = json({ module: {}, tolerance: { atol: 0, rtol: 0 }, expected: {} });
    expect(() => parseCaseJson(lacking, "case.json")).toThrow("field 'cell' must be a cell name");
  });

  it("loads a state named constructor and an expected __proto__ when the folder has them", () => {
    const dir = mkdtempSync(join(tmpdir(), "cellc-case-"));
    writeFileSync(join(dir, "case.json"), bytes);
    writeSafetensors(join(dir, "weights.safetensors"), { W: f32(1) });
    for (const f of ["input", "c0", "p0", "output", "c_n", "p_n"]) {
      writeFileSync(join(dir, `${f}.npy`), serializeNpy(f32(f.length)));
    }
    const c = loadReferenceCase(dir);
    expect(Object.keys(c.states)).toEqual(["constructor", "__proto__"]);
    expect(Array.from(c.states["constructor"]?.data ?? [])).toEqual([2]);
    expect(Object.hasOwn(c.expected, "__proto__")).toBe(true);
    expect(Array.from(c.expected["__proto__"]?.data ?? [])).toEqual([3]);
    expect(c.stateFiles["__proto__"]).toBe(join(dir, "p0.npy"));
  });
});
