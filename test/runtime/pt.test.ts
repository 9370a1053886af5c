// The .pt reader on files saved by real PyTorch (test/fixtures-pt, tools/gen_pt_fixtures.py): each
// loads to exactly the values torch.load gives, in the state_dict's order; the real files that are
// not state_dicts, and the hostile ones, are refused with one line and nothing run.
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readPt, readWeights } from "../../src/runtime/node-files.js";
import { parsePt } from "../../src/runtime/pt.js";
import { parseSafetensors } from "../../src/runtime/safetensors.js";
import { parseWeights } from "../../src/runtime/weights-file.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { expectRefusal, stBytes, stEntry } from "./data-file-bytes.js";

const DIR = "test/fixtures-pt";
const MARKER = "/tmp/cellc-pwned"; // what the hostile pickles would create
const REAL = readdirSync(DIR)
  .filter((f) => f.endsWith(".pt"))
  .sort();

function expectSameTensors(got: Map<string, Tensor>, want: Map<string, Tensor>): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [name, w] of want) {
    const g = got.get(name)!;
    expect(g.shape, name).toEqual(w.shape);
    expect(g.data.constructor, name).toBe(w.data.constructor);
    for (let i = 0; i < w.data.length; i++) {
      if (!Object.is(g.data[i], w.data[i])) expect(g.data[i], `${name}[${i}]`).toBe(w.data[i]);
    }
  }
}

describe("parsePt on state_dicts saved by PyTorch", () => {
  it("finds every module in every dtype, and the special files", () => {
    for (const m of ["lstm_2layer_bidir", "lstmp", "gru", "rnn"]) {
      for (const dtype of ["float32", "float64", "float16", "bfloat16"]) {
        expect(REAL).toContain(`${m}.${dtype}.pt`);
      }
    }
    expect(REAL.length).toBe(22);
  });

  it.each(REAL)("reads %s with exactly torch.load's values, in order", (file) => {
    const want = parseSafetensors(
      readFileSync(join(DIR, file.replace(/\.pt$/, ".safetensors"))),
      "w",
    );
    expectSameTensors(readPt(join(DIR, file)), want);
  });

  it("keeps float64 as float64 and widens float16 and bfloat16 to float32, as safetensors does", () => {
    const kinds = ["float64", "float16", "bfloat16"].map((dtype) => {
      const w = readPt(join(DIR, `gru.${dtype}.pt`)).get("weight_hh_l0")!;
      return w.data.constructor;
    });
    expect(kinds).toEqual([Float64Array, Float32Array, Float32Array]);
  });

  it("reads views of one storage: transposed, sliced, offset, broadcast, scalar and empty", () => {
    const t = readPt(join(DIR, "views.float32.pt"));
    const m = t.get("matrix")!;
    const at = (r: number, c: number) => m.data[r * 4 + c];
    expect(t.get("transposed")!.shape).toEqual([4, 3]);
    expect(t.get("transposed")!.data[1 * 3 + 2]).toBe(at(2, 1));
    expect([...t.get("column")!.data]).toEqual([at(0, 2), at(1, 2), at(2, 2)]);
    expect([...t.get("every_other")!.data]).toEqual([
      at(0, 0),
      at(0, 2),
      at(1, 0),
      at(1, 2),
      at(2, 0),
      at(2, 2),
    ]);
    expect([...t.get("offset_rows")!.data]).toEqual([...m.data.subarray(4)]);
    const b = t.get("broadcast")!;
    expect([...b.data.subarray(0, 4)]).toEqual([...b.data.subarray(8, 12)]);
    expect(t.get("scalar")).toEqual({ data: Float32Array.of(3.5), shape: [] });
    expect(t.get("empty")!.shape).toEqual([0, 3]);
  });

  it("gives the same weights for the record of readWeights and the map of readPt", () => {
    const path = join(DIR, "lstmp.float32.pt");
    const record = readWeights(path);
    expect(Object.getPrototypeOf(record)).toBe(null);
    expect(Object.keys(record)).toEqual([...readPt(path).keys()]);
  });
});

describe("parsePt on real files that are not state_dicts", () => {
  it.each([
    ["checkpoint.pt", ["holds a checkpoint", "key 'model'", "checkpoint['model']"]],
    ["int64.pt", ["tensor 'num_batches_tracked'", "unsupported dtype int64", "float32"]],
    ["legacy.pt", ["legacy torch.save file", "torch.save(model.state_dict(), path)"]],
    ["whole_model.pt", ["refuses to load 'torch.nn.modules.rnn.LSTM'", "model.state_dict()"]],
    ["torchscript.pt", ["TorchScript archive", "torch.save(model.state_dict(), path)"]],
  ])("refuses %s with one line saying why", (file, words) => {
    const path = join(DIR, "refused", file);
    expectRefusal(() => readWeights(path), path, words);
  });
});

const HOSTILE: readonly (readonly [string, readonly string[]])[] = [
  ["os_system_reduce.pt", ["refuses to load 'posix.system': a state_dict holds only tensors"]],
  ["os_system.pt", ["refuses to load 'os.system': a state_dict holds only tensors"]],
  ["builtins_eval.pt", ["refuses to load '__builtin__.eval'"]],
  ["unknown_global.pt", ["refuses to load 'mypackage.layers.Custom'"]],
  ["storage_global.pt", ["refuses to load 'posix.system'"]],
  ["storage_string.pt", ["_rebuild_tensor_v2 expects a storage, found a str"]],
  ["storage_overrun.pt", ["tensor 'weight'", "reads item 999999 of storage '0', which has 4"]],
  ["storage_missing.pt", ["tensor 'weight'", "no record 'archive/data/7'"]],
  ["deep_marks.pt", ["nested more than 64 levels deep"]],
  ["deep_tuples.pt", ["nested more than 64 levels deep"]],
  ["truncated.pt", ["truncated", "no end-of-central-directory record"]],
  ["no_data_pkl.pt", ["not a torch.save file", "data.pkl"]],
];

describe("parsePt on hostile files", () => {
  beforeAll(() => rmSync(MARKER, { force: true }));

  it("covers every file of test/fixtures-pt/hostile", () => {
    expect(readdirSync(join(DIR, "hostile")).sort()).toEqual(HOSTILE.map(([f]) => f).sort());
  });

  it.each(HOSTILE)("refuses %s with one line and runs nothing", (file, words) => {
    const path = join(DIR, "hostile", file);
    expectRefusal(() => readWeights(path), path, words);
    expect(existsSync(MARKER)).toBe(false);
  });
});

describe("parseWeights", () => {
  const st = stBytes({ w: stEntry("F32", [1], 0, 4) }, new Uint8Array(4));

  it("reads safetensors bytes as safetensors, whatever the name", () => {
    expect([...parseWeights(st, "w.safetensors").keys()]).toEqual(["w"]);
    expect([...parseWeights(st, "w.pt").keys()]).toEqual(["w"]);
  });

  it("reads a zip archive as .pt, whatever the name", () => {
    const bytes = readFileSync(join(DIR, "rnn.float32.pt"));
    expect(parseWeights(bytes, "weights.bin").size).toBe(4);
  });

  it("speaks of torch.save when a .pt file is neither a zip nor safetensors", () => {
    const words = ["not a zip archive"];
    expectRefusal(() => parseWeights(new Uint8Array(40), "x.pt"), "x.pt", words);
    expectRefusal(() => parsePt(st, "x.pt"), "x.pt", words);
  });
});
