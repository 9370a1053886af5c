// `cellc run` on wrong inputs, as a user meets them: each mistake ends in one line on stderr that
// starts with `cellc:`, names the file (and the tensor, where there is one) and says what was
// expected and what was found; no stack trace, a non-zero exit, and no output files.
// The bad files are copies of the lstm_nobias case with one thing broken; every size in the
// expected messages is read from that case's own files.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNpy, readSafetensors, writeNpy } from "../../src/runtime/node-files.js";
import { serializeSafetensors } from "../../src/runtime/safetensors.js";
import { tensor, type Tensor } from "../../src/shared/tensor.js";
import { FIXTURE_DIR } from "../helpers/cells.js";
import { STACK_FRAME, cellc, type CliResult } from "../helpers/cli.js";

const CASE = join(FIXTURE_DIR, "lstm_nobias");
const WEIGHTS = join(CASE, "weights.safetensors");
const INPUT = join(CASE, "input.npy");
const H0 = join(CASE, "h0.npy");
const C0 = join(CASE, "c0.npy");

const dir = mkdtempSync(join(tmpdir(), "cellc-errors-"));
const file = (name: string, content: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

// The case's sizes, from its files: weight_hh_l0 is (4*H, H), weight_ih_l0 is (4*H, I).
const weights = readSafetensors(WEIGHTS);
const input = readNpy(INPUT);
const [, H] = weights.get("weight_hh_l0")!.shape as [number, number];
const [, I] = weights.get("weight_ih_l0")!.shape as [number, number];
const [T, B] = input.shape as [number, number, number];
const hh = `[4*H, H] = [${4 * H}, ${H}]`;

const zeros = (shape: readonly number[]): Tensor =>
  tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);

function withWeights(change: (w: Map<string, Tensor>) => void): Uint8Array {
  const copy = new Map(weights);
  change(copy);
  return serializeSafetensors(copy);
}

/** A version 1.0 .npy of any dtype, written by hand (our writer only writes floats). */
function npyBytes(descr: string, shape: readonly number[], payload: Uint8Array): Uint8Array {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = Buffer.from(`${dict}${" ".repeat(pad)}\n`, "latin1");
  const preamble = Buffer.alloc(10);
  Buffer.from("\x93NUMPY\x01\x00", "latin1").copy(preamble);
  preamble.writeUInt16LE(header.length, 8);
  return Buffer.concat([preamble, header, payload]);
}

/** A safetensors file's parts, read by hand so that they can be broken on purpose. */
function splitSafetensors(bytes: Buffer): {
  header: Record<string, { data_offsets: [number, number] }>;
  data: Buffer;
} {
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8")) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  return { header, data: bytes.subarray(8 + length) };
}

function joinSafetensors(headerText: string, data: Uint8Array): Uint8Array {
  const json = Buffer.from(headerText, "utf8");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

/** The tensor whose bytes come last in a safetensors file, and where they lie. */
function lastTensor(bytes: Buffer): { name: string; begin: number; end: number } {
  const { header } = splitSafetensors(bytes);
  const [name, entry] = Object.entries(header)
    .filter(([n]) => n !== "__metadata__")
    .sort(([, a], [, b]) => b.data_offsets[1] - a.data_offsets[1])[0]!;
  return { name, begin: entry.data_offsets[0], end: entry.data_offsets[1] };
}

let runs = 0;

interface RunOptions {
  readonly cell?: string;
  readonly weights?: string | null;
  readonly input?: string;
  readonly states?: readonly string[];
  readonly act?: readonly string[];
  readonly lengths?: string;
}

/** Runs `cellc run` on the lstm_nobias case with some of its parts replaced. */
function run(options: RunOptions = {}): { r: CliResult; out: string } {
  const out = join(dir, `out-${++runs}`);
  const w = options.weights === undefined ? WEIGHTS : options.weights;
  const args = [
    "run",
    options.cell ?? "cells/lstm.cell",
    ...(w === null ? [] : ["--weights", w]),
    "--input",
    options.input ?? INPUT,
    ...(options.states ?? [`h=${H0}`, `c=${C0}`]).flatMap((s) => ["--state", s]),
    ...(options.act ?? []).flatMap((a) => ["--act", a]),
    ...(options.lengths === undefined ? [] : ["--lengths", options.lengths]),
    "--out",
    out,
  ];
  return { r: cellc(args), out };
}

/** Exactly one line on stderr, no stack trace, the given exit code, and nothing written. */
function expectOneLineError(
  { r, out }: { r: CliResult; out: string },
  line: string | RegExp,
  code = 1,
): void {
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr.split("\n"), r.stderr).toHaveLength(2);
  if (typeof line === "string") expect(r.stderr).toBe(`${line}\n`);
  else expect(r.stderr).toMatch(line);
  expect(r.stderr).toMatch(/^cellc: /);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe("");
  expect(existsSync(out), "a failed run must not create its output folder").toBe(false);
}

describe("cellc run errors", () => {
  it("runs the unbroken case, so that each failure below comes from its one broken part", () => {
    const { r, out } = run();
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "output.npy"))).toBe(true);
  });

  describe("weights", () => {
    it("names the file, the tensor and its expected shape when weight_hh_l0 is missing", () => {
      const path = file(
        "missing.safetensors",
        withWeights((w) => w.delete("weight_hh_l0")),
      );
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: tensor 'weight_hh_l0': missing (expected shape ${hh})`,
      );
    });

    it("gives the expected shape with sizes filled in and the shape found when a weight has a wrong dimension", () => {
      const path = file(
        "wrong-shape.safetensors",
        withWeights((w) => w.set("weight_hh_l0", zeros([4 * H, H - 1]))),
      );
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: tensor 'weight_hh_l0': expected shape ${hh}, found [${4 * H}, ${H - 1}]`,
      );
    });

    it("gives the expected and found shapes when a bias is one row short", () => {
      const path = file(
        "short-bias.safetensors",
        withWeights((w) => w.set("bias_ih_l0", zeros([4 * H - 1]))),
      );
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: tensor 'bias_ih_l0': expected shape [4*H] = [${4 * H}], found [${4 * H - 1}]`,
      );
    });

    it("names the tensor when the file holds a tensor the cell does not have", () => {
      const path = file(
        "stray.safetensors",
        withWeights((w) => w.set("weight_xx_l0", zeros([2]))),
      );
      expectOneLineError(
        run({ weights: path }),
        new RegExp(
          `^cellc: ${literal(path)}: tensor 'weight_xx_l0': not a parameter of cell 'lstm' \\(expected 'weight_ih', 'weight_hh', .*\\)\n$`,
        ),
      );
    });

    it("says the file does not exist when the weights file is missing", () => {
      const path = join(dir, "no-such-weights.safetensors");
      expectOneLineError(run({ weights: path }), `cellc: ${path}: cannot read: no such file`);
    });

    it("prints a usage error and exits 2 when --weights is not given", () => {
      const result = run({ weights: null });
      expectOneLineError(result, /^cellc: .*--weights.*\(see 'cellc run --help'\)\n$/, 2);
    });
  });

  describe("input and states", () => {
    it("names the input file, its size and the weight it contradicts when the input size does not match the weights", () => {
      const path = join(dir, "wide-input.npy");
      writeNpy(path, zeros([T, B, I + 2]));
      expectOneLineError(
        run({ input: path }),
        `cellc: ${path}: has ${I + 2} features per step, but the weights (weight_ih_l0) expect ${I}`,
      );
    });

    it("asks for (time, batch, features) and gives the shape found when the input is 2-D", () => {
      const path = join(dir, "flat-input.npy");
      writeNpy(path, tensor(input.data, [T * B, I]));
      expectOneLineError(
        run({ input: path }),
        `cellc: ${path}: expected a 3-dimensional input (time, batch, features), found shape [${T * B}, ${I}]`,
      );
    });

    it("names the state file and the cell's states when --state names a state the cell does not have", () => {
      expectOneLineError(
        run({ states: [`h=${H0}`, `z=${C0}`] }),
        `cellc: --state z=${C0}: cell 'lstm' has no state 'z' (its states: h, c) (see 'cellc run --help')`,
        2,
      );
    });

    it("gives the expected and found shapes when a state file has the wrong shape", () => {
      expectOneLineError(
        run({ states: [`h=${H0}`, `c=${INPUT}`] }),
        `cellc: ${INPUT}: tensor 'c': expected shape (layers*directions, batch, size) = [1, ${B}, ${H}], found [${T}, ${B}, ${I}]`,
      );
    });
  });

  describe("file formats", () => {
    const npy = readFileSync(INPUT);
    const safetensors = readFileSync(WEIGHTS);

    it("says how many bytes the shape needs and how many were found when a .npy is truncated", () => {
      const path = file("truncated.npy", npy.subarray(0, npy.length - 10));
      const need = T * B * I * 4;
      expectOneLineError(
        run({ input: path }),
        `cellc: ${path}: truncated data: shape (${T}, ${B}, ${I}) of <f4 needs ${need} bytes, found ${need - 10}`,
      );
    });

    it("says the header is truncated when a .npy ends inside its header", () => {
      const path = file("truncated-header.npy", npy.subarray(0, 40));
      expectOneLineError(
        run({ input: path }),
        `cellc: ${path}: truncated header: expected ${npy.readUInt16LE(8)} header bytes, found ${40 - 10}`,
      );
    });

    it("shows the magic expected and the bytes found when a .npy is corrupt", () => {
      const bad = Buffer.from(npy);
      bad.write("X", 5, "latin1");
      const path = file("bad-magic.npy", bad);
      expectOneLineError(
        run({ input: path }),
        `cellc: ${path}: not an npy file: expected magic "\\x93NUMPY", found "\\x93NUMPX"`,
      );
    });

    it("names the dtype found and the ones supported when a .npy holds <i4", () => {
      const payload = new Uint8Array(new Int32Array(T * B * I).buffer);
      const path = file("int32.npy", npyBytes("<i4", [T, B, I], payload));
      expectOneLineError(
        run({ input: path }),
        `cellc: ${path}: unsupported dtype '<i4': only <f4 and <f8 are supported`,
      );
    });

    it("names the tensor whose bytes run past the end when a .safetensors is truncated", () => {
      const path = file("truncated.safetensors", safetensors.subarray(0, safetensors.length - 10));
      const last = lastTensor(safetensors);
      const dataLength = splitSafetensors(safetensors).data.length - 10;
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: tensor '${last.name}': data_offsets [${last.begin}, ${last.end}] run past the end of the ${dataLength}-byte data section`,
      );
    });

    it("says the header length cannot be read when a .safetensors is cut to 5 bytes", () => {
      const path = file("five-bytes.safetensors", safetensors.subarray(0, 5));
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: truncated file: expected an 8-byte header length, found 5 bytes`,
      );
    });

    it("gives the header length and the file size when the header length runs past the end", () => {
      const bad = Buffer.from(safetensors);
      bad.writeBigUInt64LE(10n ** 12n, 0);
      const path = file("huge-length.safetensors", bad);
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: header length 1000000000000 runs past the end of the file (${bad.length} bytes)`,
      );
    });

    it("says the header is not valid JSON when a .safetensors header is corrupt", () => {
      const bad = Buffer.from(safetensors);
      bad.write("x", 8, "latin1"); // the header's opening brace
      const path = file("bad-json.safetensors", bad);
      expectOneLineError(
        run({ weights: path }),
        new RegExp(`^cellc: ${literal(path)}: header is not valid JSON: .+\n$`),
      );
    });

    it("names the tensor and its offsets when data_offsets lie outside the data", () => {
      const { header, data } = splitSafetensors(safetensors);
      const last = lastTensor(safetensors);
      const [begin, end] = [last.begin + data.length, last.end + data.length];
      header[last.name]!.data_offsets = [begin, end];
      const path = file("bad-offsets.safetensors", joinSafetensors(JSON.stringify(header), data));
      expectOneLineError(
        run({ weights: path }),
        `cellc: ${path}: tensor '${last.name}': data_offsets [${begin}, ${end}] run past the end of the ${data.length}-byte data section`,
      );
    });
  });

  describe("cells and activations", () => {
    it("says the cell file does not exist when it is missing", () => {
      const path = join(dir, "no-such.cell");
      expectOneLineError(run({ cell: path }), `cellc: ${path}: cannot read: no such file`);
    });

    it("renders the spec with a caret and suggests a name when --act names an unknown activation", () => {
      const { r, out } = run({ act: ["gate=hard_sigmoyd(0.25, 0.5)"] });
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd()).toBe(
        [
          "--act gate:1:1: error E206: unknown activation 'hard_sigmoyd'; did you mean 'hard_sigmoid'?",
          "> 1 | hard_sigmoyd(0.25, 0.5)",
          "    | ^~~~~~~~~~~~",
        ].join("\n"),
      );
      expect(existsSync(out)).toBe(false);
    });

    it("names the slot and lists the cell's slots when --act names an unknown slot", () => {
      const { r, out } = run({ act: ["gat=sigmoid"] });
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd()).toBe(
        "--act gat: error E207: unknown activation slot 'gat' (this cell has 'gate', 'cand', 'cell')",
      );
      expect(existsSync(out)).toBe(false);
    });
  });

  describe("sequence lengths", () => {
    const int64 = (values: readonly number[]) =>
      new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
    const lengthsFile = (name: string, values: readonly number[], shape = [values.length]) =>
      file(name, npyBytes("<i8", shape, int64(values)));
    const steps = `an integer from 1 to ${T}, the input's steps`;

    it("runs with lengths from 1 to T, one per sample", () => {
      const lengths = Array.from({ length: B }, (_, b) => 1 + (b % T));
      const { r, out } = run({ lengths: lengthsFile("good.npy", lengths) });
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code, r.stderr).toBe(0);
      expect(readNpy(join(out, "output.npy")).shape).toEqual([T, B, H]);
    });

    it.each([
      ["a length is 0", [0], `sample 0 has length 0: expected ${steps}`],
      ["a length is past T", [T + 1], `sample 0 has length ${T + 1}: expected ${steps}`],
      ["a length is negative", [-3], `sample 0 has length -3: expected ${steps}`],
    ])("names the file and the sample when %s", (_, first, detail) => {
      const values = [...first, ...Array.from({ length: B - 1 }, () => T)];
      const path = lengthsFile("bad-value.npy", values);
      expectOneLineError(run({ lengths: path }), `cellc: ${path}: ${detail}`);
    });

    it("names the file and the batch when there is one length too many", () => {
      const path = lengthsFile(
        "too-many.npy",
        Array.from({ length: B + 1 }, () => 1),
      );
      expectOneLineError(
        run({ lengths: path }),
        `cellc: ${path}: expected ${B} lengths, one per sample of the batch, found ${B + 1}`,
      );
    });

    it("names the file when the lengths are not (B,)", () => {
      const path = lengthsFile(
        "two-dims.npy",
        Array.from({ length: B }, () => 1),
        [B, 1],
      );
      expectOneLineError(
        run({ lengths: path }),
        `cellc: ${path}: expected lengths of shape (batch,), one per sample, found [${B}, 1]`,
      );
    });

    it("names the dtype when the lengths are floats", () => {
      const payload = new Uint8Array(new Float32Array(B).fill(1).buffer);
      const path = file("float-lengths.npy", npyBytes("<f4", [B], payload));
      expectOneLineError(
        run({ lengths: path }),
        `cellc: ${path}: unsupported dtype '<f4': only <i4 and <i8 are supported`,
      );
    });

    it("names the file when an int64 length does not fit in 32 bits", () => {
      const path = lengthsFile("huge.npy", [2 ** 40, ...Array.from({ length: B - 1 }, () => 1)]);
      expectOneLineError(
        run({ lengths: path }),
        `cellc: ${path}: value ${2 ** 40} at index 0 does not fit in 32 bits (-2147483648 to 2147483647)`,
      );
    });

    it("says the lengths file does not exist when it is missing", () => {
      const path = join(dir, "no-such-lengths.npy");
      expectOneLineError(run({ lengths: path }), `cellc: ${path}: cannot read: no such file`);
    });
  });
});

/** A literal string inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
