// The browser entry `cellc/runtime` (the built dist/runtime/index.js) loads and works in a context
// without Node's modules and globals; the Node entry, which imports node:fs, must not load there.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const LOADER = here("browser-context.mjs");

type Outcome =
  | { readonly ok: true; readonly result: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

/** Evaluates `file` through browser-context.mjs in a child Node (vm modules need a flag). */
function inBrowserContext(file: string): Outcome {
  const r = spawnSync(process.execPath, ["--experimental-vm-modules", LOADER, file], {
    encoding: "utf8",
    timeout: 10_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Outcome;
}

describe("cellc/runtime in a browser-like context", () => {
  let outcome: Outcome;
  beforeAll(() => {
    const built = existsSync(here("../../dist/runtime/index.js"));
    expect(built, "dist/runtime is missing: run `npm run build` (npm test does)").toBe(true);
    outcome = inBrowserContext(here("browser-entry-check.mjs"));
  });

  it("loads and round trips .npy and .safetensors bytes when Node is out of reach", () => {
    if (!outcome.ok) expect.fail(outcome.error);
    const r = outcome.result;
    expect(r["globals"]).toEqual([]);
    expect(r["npy"]).toEqual({ shape: [2, 3], data: [1, -2.5, 3, 0.125, 5, 6], f32: true });
    expect(r).toMatchObject({ npyEqual: true, safetensorsEqual: true, f64: true, differ: false });
    expect(r["names"]).toEqual(["b", "a"]);
    expect(r["badNpy"]).toMatchObject({ isDataError: true, message: /^bad\.npy: not an npy file/ });
    expect(r["caseSpec"]).toMatchObject({ cell: "lstm", batchFirst: true, files: { states: {} } });
  });

  it("reads a .pt (zip, CRC-32, pickle, float16) when Node is out of reach", () => {
    if (!outcome.ok) expect.fail(outcome.error);
    const r = outcome.result;
    expect(r["pt"]).toEqual({ shape: [2], data: [1.5, -2], f32: true });
    expect(r["ptNames"]).toEqual(["w"]);
    expect(r["badPt"]).toMatchObject({ isDataError: true, message: /^bad\.pt: not a zip archive/ });
  });

  it("exports the byte functions and no file functions", () => {
    const exports = outcome.ok ? (outcome.result["exports"] as string[]) : [];
    expect(exports).toEqual(
      expect.arrayContaining(["parseNpy", "serializeSafetensors", "runStack"]),
    );
    expect(exports.filter((name) => /^(read|write|load)/.test(name))).toEqual([]);
  });

  it("refuses the Node entry when it imports node:fs", () => {
    const node = inBrowserContext(here("../../dist/runtime/node.js"));
    expect(node).toEqual({ ok: false, error: expect.stringMatching(/^refused import 'node:/) });
  });
});
