// `cellc run CELL --weights W --input X --out DIR`: runs a cell over a sequence and writes the
// output and the final states as float32 .npy files.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { referenceForward } from "../compiler/reference.js";
import { readNpy, readSafetensors, writeNpy } from "../runtime/node-files.js";
import type { StackResult } from "../embedded/stack-types.js";
import { formatShape, type FloatArray, type Tensor } from "../shared/tensor.js";
import type { Model } from "../kernel.js";
import { compileCell } from "./kernels.js";
import {
  TARGET_HELP,
  TARGET_OPTION,
  THREADS_OPTION,
  targetFrom,
  threadsFrom,
} from "./target-option.js";
import { ACT_OPTION, activationOverrides, UsageError, type Verb } from "./usage.js";

function stateFiles(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const raw = values["state"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const files: Record<string, string> = {};
  for (const item of list.map(String)) {
    const eq = item.indexOf("=");
    if (eq <= 0)
      throw new UsageError(`--state expects NAME=FILE.npy, such as h=h0.npy; got '${item}'`);
    files[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return files;
}

function required(values: Readonly<Record<string, unknown>>, name: string): string {
  const v = values[name];
  if (typeof v !== "string") throw new UsageError(`missing --${name} (see 'cellc run --help')`);
  return v;
}

const asFloat32 = (t: Tensor<FloatArray>): Tensor<Float32Array> =>
  t.data instanceof Float32Array
    ? (t as Tensor<Float32Array>)
    : { data: Float32Array.from(t.data), shape: t.shape };

function runKernel(
  model: Model,
  input: Tensor,
  states: Readonly<Record<string, Tensor>>,
): StackResult<FloatArray> {
  try {
    return model.forward(input, states);
  } finally {
    model.close();
  }
}

export const runVerb: Verb = {
  name: "run",
  summary: "run a cell over a sequence and write the output and final states as .npy",
  help: `usage: cellc run CELL --weights W.safetensors --input X.npy --out DIR
                 [--state NAME=FILE.npy]... [--batch-first] [--act SLOT=SPEC]...
                 [--target T] [--threads N] [--reference]

Runs the compiled kernel (float32) with PyTorch's semantics and writes DIR/output.npy and
DIR/<state>_n.npy for every state (h_n.npy, c_n.npy), as float32.

  --weights FILE    a PyTorch state_dict saved as .safetensors (weight_ih_l0, ...)
  --input FILE      (T, B, I), or (B, T, I) with --batch-first, as .npy (<f4 or <f8)
  --state NAME=FILE an initial state, (layers*directions, B, size); absent states are zeros
${TARGET_HELP}
  --threads N       split the batch over N threads (results are the same as with one)
  --reference       use the float64 reference interpreter instead of the compiled kernel
  --act SLOT=SPEC   bind an activation slot, e.g. --act 'gate=hard_sigmoid(0.25, 0.5)'`,
  options: {
    ...ACT_OPTION,
    ...TARGET_OPTION,
    ...THREADS_OPTION,
    weights: { type: "string" },
    input: { type: "string" },
    out: { type: "string" },
    state: { type: "string", multiple: true },
    "batch-first": { type: "boolean" },
    reference: { type: "boolean" },
  },
  async run(values, files) {
    if (files.length !== 1)
      throw new UsageError("run takes exactly one CELL (see 'cellc run --help')");
    const [weightsFile, inputFile, outDir] = ["weights", "input", "out"].map((n) =>
      required(values, n),
    );
    const statePaths = stateFiles(values);
    const threads = threadsFrom(values["threads"]);
    const target = targetFrom(values["target"]);
    const compiled = await compileCell(files[0]!, activationOverrides(values), target);
    if (!compiled) return 1;
    const known = compiled.ir.states.map((s) => s.name);
    for (const [name, path] of Object.entries(statePaths)) {
      if (!known.includes(name)) {
        const states = known.join(", ") || "none";
        const detail = `cell '${compiled.ir.name}' has no state '${name}' (its states: ${states})`;
        throw new UsageError(`--state ${name}=${path}: ${detail} (see 'cellc run --help')`);
      }
    }
    const weights = readSafetensors(weightsFile!);
    const input = readNpy(inputFile!);
    const states = Object.fromEntries(Object.entries(statePaths).map(([k, f]) => [k, readNpy(f)]));
    const options = {
      batchFirst: values["batch-first"] === true,
      sources: { weights: weightsFile!, input: inputFile!, states: statePaths },
    };
    const result: StackResult<FloatArray> = values["reference"]
      ? referenceForward(compiled.ir, weights, input, states, options)
      : runKernel(compiled.kernel.create(weights, { ...options, threads }), input, states);
    mkdirSync(outDir!, { recursive: true });
    const written: string[] = [];
    const write = (name: string, t: Tensor<FloatArray>) => {
      writeNpy(join(outDir!, name), asFloat32(t));
      written.push(`${name} ${formatShape(t.shape)}`);
    };
    write("output.npy", result.output);
    for (const [name, t] of Object.entries(result.states)) write(`${name}_n.npy`, t);
    process.stderr.write(`wrote ${written.join(", ")} to ${outDir}\n`);
    return 0;
  },
};
