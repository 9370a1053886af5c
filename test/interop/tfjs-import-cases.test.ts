// The tfjs importer beyond random models: what it refuses (one line naming the layer, the weight
// or the file), names from model.json kept out of the .cell text, quantized weights as tfjs reads
// them, and `cellc import model.json` with the run line it prints, end to end.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importTfjs } from "../../src/interop/tfjs-import/index.js";
import { importedFiles } from "../../src/interop/stack/index.js";
import { compile } from "../../src/index.js";
import { readNpy } from "../../src/runtime/node-files.js";
import { serializeNpy } from "../../src/runtime/npy.js";
import { cellc, STACK_FRAME } from "../helpers/cli.js";
import { loadTfjs, tf, writeTfjsCase } from "./tfjs-models.js";

const root = mkdtempSync(join(tmpdir(), "cellc-tfjs-cases-"));
// model.json as parsed, edited freely by the tests.
type Json = any;

/** A deep copy of `json` changed by `change`. */
function edit(json: Json, change: (j: Json) => void): Json {
  const copy: Json = structuredClone(json);
  change(copy);
  return copy;
}

/** A saved random model (seed 7004: 2 Bidirectional GRU layers with dropout between). */
async function base(name: string, seed = 7004): Promise<{ dir: string; json: Json }> {
  const dir = join(root, name);
  const c = await writeTfjsCase(seed, dir);
  c.model.dispose();
  return { dir, json: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Json };
}

function importDir(dir: string, json?: Json) {
  if (json) writeFileSync(join(dir, "model.json"), JSON.stringify(json));
  return importTfjs(readFileSync(join(dir, "model.json")), "model.json", (n) =>
    readFileSync(join(dir, n)),
  );
}

function refused(dir: string, json: Json): string {
  try {
    importDir(dir, json);
  } catch (e) {
    expect((e as Error).name).toBe("DataError");
    expect((e as Error).message.split("\n")).toHaveLength(1);
    return (e as Error).message;
  }
  throw new Error("imported");
}

describe("tfjs import refuses", () => {
  it("models and layers it does not import", async () => {
    const { dir, json } = await base("refuse");
    const layer0 = (patch: object) =>
      edit(json, (j) => {
        const l = j.modelTopology.config.layers[0];
        Object.assign(l.class_name === "Bidirectional" ? l.config.layer.config : l.config, patch);
      });
    const model = edit(json, (j) => (j.modelTopology.class_name = "Model"));
    expect(refused(dir, model)).toMatch(
      /modelTopology: a Model model: cellc imports Sequential models/,
    );
    const dense = edit(json, (j) =>
      j.modelTopology.config.layers.push({ class_name: "Dense", config: { name: "dense_1" } }),
    );
    expect(refused(dir, dense)).toMatch(/layer 'dense_1' \(Dense\) is not supported/);
    expect(refused(dir, layer0({ activation: "softmax" }))).toMatch(
      /activation 'softmax' cannot be imported: it is not element-wise/,
    );
    expect(refused(dir, layer0({ go_backwards: true }))).toMatch(
      /go_backwards true: its outputs come in reversed time order/,
    );
    expect(refused(dir, layer0({ activation: "relu6" }))).toMatch(
      /differs from layer .*one cellc cell computes every layer/,
    );
  });

  it("weight files outside model.json's folder, missing bytes and misnamed weights", async () => {
    const { dir, json } = await base("files");
    const paths = (p: string[]) => edit(json, (j) => (j.weightsManifest[0].paths = p));
    expect(refused(dir, paths(["../secret.bin"]))).toMatch(
      /'\.\.\/secret\.bin' is not a file name beside model\.json/,
    );
    expect(refused(dir, paths(["/etc/passwd"]))).toMatch(/is not a file name beside model\.json/);
    expect(refused(dir, paths(["group1-shard1of2.bin"]))).toMatch(
      /runs past the end of the weight files/,
    );
    const renamed = edit(
      json,
      (j) => (j.weightsManifest[0].weights[0].name = "gru/recurrent_kernel"),
    );
    expect(refused(dir, renamed)).toMatch(
      /weight 'gru\/recurrent_kernel' \[\d+, \d+\] is not the kernel/,
    );
  });

  it("keeps hostile names out of the .cell text", async () => {
    const { dir, json } = await base("hostile");
    const evil = "g'\n# injected\ncell evil\u0000";
    const hostile = edit(json, (j) => {
      j.generatedBy = evil;
      j.modelTopology.keras_version = evil;
      for (const l of j.modelTopology.config.layers as Json[]) l.config.name = evil;
    });
    const { stack } = importDir(dir, hostile);
    const { cellText } = importedFiles(stack);
    expect(cellText).not.toMatch(/injected|evil|\u0000/);
    expect(compile(cellText).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe("tfjs import of time-major models", () => {
  it("takes (T, B, I) input when the layers are time_major", async () => {
    const { dir, json } = await base("time-major");
    const major = edit(json, (j) => {
      for (const l of j.modelTopology.config.layers as Json[])
        if (l.class_name === "Bidirectional") l.config.layer.config.time_major = true;
    });
    const { stack, io } = importDir(dir, major);
    expect(stack.batchFirst).toBe(false);
    expect(io[0]).toEqual({
      what: "the model's input",
      role: "--input",
      note: "(T, B, I) (time_major)",
    });
  });
});

describe("tfjs import of quantized weights", () => {
  it("dequantizes uint8 weights as tfjs does", async () => {
    const { dir, json } = await base("quantized", 7003);
    const manifest = json.weightsManifest as {
      paths: string[];
      weights: { name: string; shape: number[]; dtype: string }[];
    }[];
    const bytes = new Uint8Array(
      Buffer.concat(manifest[0]!.paths.map((p) => readFileSync(join(dir, p)))),
    );
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const quantized: number[] = [];
    let at = 0;
    const weights = manifest[0]!.weights.map((w) => {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const part = floats.subarray(at, (at += n));
      const min = Math.min(...part);
      const scale = (Math.max(...part) - min) / 255 || 1;
      for (const v of part) quantized.push(Math.round((v - min) / scale));
      return { ...w, quantization: { dtype: "uint8", scale, min } };
    });
    writeFileSync(join(dir, "q.bin"), Uint8Array.from(quantized));
    const q = { ...json, weightsManifest: [{ paths: ["q.bin"], weights }] };
    writeFileSync(join(dir, "model.json"), JSON.stringify(q));
    const model = await loadTfjs(dir);
    const [, T, I] = model.inputs[0]!.shape as [null, number, number];
    const input = tf.randomUniform([2, T, I], -1, 1, "float32", 5);
    const want = (model.predict(input) as tf.Tensor).dataSync();
    const { stack } = importDir(dir);
    const files = importedFiles(stack);
    const { kernelFor } = await import("./imported-kernel.js");
    const kernel = await kernelFor(files.cellText);
    const got = kernel
      .create(files.weights, { batchFirst: true })
      .forward({ data: input.dataSync() as Float32Array, shape: [2, T, I] });
    const data =
      got.output.shape.length === 3 && want.length === got.output.data.length
        ? got.output.data
        : null;
    expect(data).not.toBeNull();
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(data![i]! - want[i]!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe("cellc import model.json", () => {
  it("writes a cell whose run line gives tfjs' outputs", async () => {
    const dir = join(root, "cli");
    const c = await writeTfjsCase(7002, dir);
    const input = tf.randomUniform([c.B, c.T, c.I], -1, 1, "float32", 3);
    const want = (c.model.predict(input) as tf.Tensor).dataSync();
    writeFileSync(
      join(dir, "input.npy"),
      serializeNpy({ data: input.dataSync() as Float32Array, shape: [c.B, c.T, c.I] }),
    );
    c.model.dispose();
    const out = join(dir, "imported");
    const r = cellc(["import", join(dir, "model.json"), "-o", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "INPUT.npy       the model's input, (B, T, I): run with --batch-first",
    );
    const line = r.stdout.split("\n").find((l) => l.trim().startsWith("cellc run"))!;
    const args = line
      .trim()
      .split(/\s+/)
      .slice(2)
      .map((w) =>
        w.replace("INPUT.npy", join(dir, "input.npy")).replace(/^OUT$/, join(out, "run")),
      );
    const run = cellc(["run", ...args]);
    expect(run.code, run.stderr).toBe(0);
    const role = r.stdout.includes("OUT/output.npy") ? "output.npy" : "h_n.npy";
    const got = readNpy(join(out, "run", role)).data;
    expect(role).toBe("output.npy");
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5);
  });

  it("refuses a broken model.json in one line", () => {
    const dir = join(root, "broken");
    cpSync(join(root, "cli"), dir, { recursive: true });
    writeFileSync(join(dir, "model.json"), "{ not json");
    const r = cellc(["import", join(dir, "model.json"), "-o", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^cellc: .*model\.json: not valid JSON: .*\n$/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});
