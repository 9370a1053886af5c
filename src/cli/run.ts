// `cellc run CELL --weights W --input X --out DIR`: runs a cell over a sequence and writes the
// output and the final states as float32 .npy files. DIR and the files in it are checked before
// any work; the files are written whole or not at all (write-files.ts).
import { join } from "node:path";
import { referenceForward } from "../compiler/reference.js";
import { encodeNpy } from "../runtime/npy.js";
import { readLengths, readNpy, readWeightsMap } from "../runtime/node-files.js";
import type { ForwardOptions, StackResult } from "../embedded/stack-types.js";
import { formatShape, type FloatArray, type Tensor } from "../shared/tensor.js";
import type { CellIR } from "../compiler/ir/ir.js";
import type { Model } from "../kernel.js";
import { printable } from "../shared/printable.js";
import { compileCell } from "./kernels.js";
import { checkOutputDir, checkOutputFile } from "./output-paths.js";
import {
  TARGET_HELP,
  TARGET_OPTION,
  THREADS_OPTION,
  targetFrom,
  threadsFrom,
} from "./target-option.js";
import {
  ACT_OPTION,
  activationOverrides,
  keyValueOption,
  UsageError,
  type ParsedValues,
  type Verb,
} from "./usage.js";
import { writeFiles } from "./write-files.js";

function required(values: ParsedValues, name: string): string {
  const v = values[name];
  if (typeof v !== "string") throw new UsageError(`missing --${name} (see 'cellc run --help')`);
  return v;
}

/** Refuses a `--state NAME=...` whose NAME is not one of the cell's states. */
function checkStateNames(ir: CellIR, statePaths: ReadonlyMap<string, string>): void {
  const known = ir.states.map((s) => s.name);
  for (const [name, path] of statePaths) {
    if (!known.includes(name)) {
      const states = known.join(", ") || "none";
      const detail = `cell '${ir.name}' has no state '${name}' (its states: ${states})`;
      throw new UsageError(`--state ${name}=${path}: ${detail} (see 'cellc run --help')`);
    }
  }
}

const asFloat32 = (t: Tensor<FloatArray>): Tensor<Float32Array> =>
  t.data instanceof Float32Array
    ? (t as Tensor<Float32Array>)
    : { data: Float32Array.from(t.data), shape: t.shape };

/** The files `run` writes, in order: output.npy, then <state>_n.npy for each of the cell's states. */
const outputNames = (ir: CellIR): string[] => [
  "output.npy",
  ...ir.states.map((s) => `${s.name}_n.npy`),
];

/** Refuses, before any work, an output file that is a directory, a FIFO or a device. */
function checkOutputFiles(ir: CellIR, outDir: string): void {
  for (const name of outputNames(ir)) checkOutputFile(join(outDir, name), join(outDir, name));
}

/** The result's tensors in the order of outputNames; states by own key only (`constructor`). */
function resultTensors(ir: CellIR, result: StackResult<FloatArray>): Tensor<FloatArray>[] {
  const states = ir.states.map((s) => {
    const t = Object.hasOwn(result.states, s.name) ? result.states[s.name] : undefined;
    if (!t) throw new Error(`internal: the forward returned no state '${s.name}'`);
    return t;
  });
  return [result.output, ...states];
}

/** Writes DIR/output.npy and DIR/<state>_n.npy as float32; returns "name [shape]" for each. */
function writeResult(ir: CellIR, result: StackResult<FloatArray>, outDir: string): string[] {
  const names = outputNames(ir);
  const tensors = resultTensors(ir, result);
  const files = names.map((name, i) => {
    const path = join(outDir, name);
    return { path, content: encodeNpy(asFloat32(tensors[i]!), path) };
  });
  writeFiles(files);
  return names.map((name, i) => `${name} ${formatShape(tensors[i]!.shape)}`);
}

function runKernel(
  model: Model,
  input: Tensor,
  states: Readonly<Record<string, Tensor>>,
  forwardOptions: ForwardOptions,
): StackResult<FloatArray> {
  try {
    return model.forward(input, states, forwardOptions);
  } finally {
    model.close();
  }
}

export const runVerb: Verb = {
  name: "run",
  summary: "run a cell over a sequence and write the output and final states as .npy",
  help: `usage: cellc run CELL --weights W.safetensors|W.pt --input X.npy --out DIR
                 [--state NAME=FILE.npy]... [--lengths FILE.npy] [--batch-first]
                 [--act SLOT=SPEC]... [--target T] [--threads N] [--reference]

Runs the compiled kernel (float32) with PyTorch's semantics and writes DIR/output.npy and
DIR/<state>_n.npy for every state (h_n.npy, c_n.npy), as float32.

  --weights FILE    a PyTorch state_dict (weight_ih_l0, ...) saved as .safetensors, or by
                    torch.save as .pt (read without running any of its pickle's code)
  --input FILE      (T, B, I), or (B, T, I) with --batch-first, as .npy (<f4 or <f8)
  --state NAME=FILE an initial state, (layers*directions, B, size); absent states are zeros
  --lengths FILE    per-sample sequence lengths, (B,) as .npy (<i4 or <i8), each 1 to T, as
                    pack_padded_sequence: outputs past a length are zeros, final states are
                    those of each sample's last valid step
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
    lengths: { type: "string" },
    "batch-first": { type: "boolean" },
    reference: { type: "boolean" },
  },
  async run(values, files) {
    if (files.length !== 1)
      throw new UsageError("run takes exactly one CELL (see 'cellc run --help')");
    const [weightsFile, inputFile, outDir] = ["weights", "input", "out"].map((n) =>
      required(values, n),
    );
    const statePaths = keyValueOption(values, "state", "NAME=FILE.npy, such as h=h0.npy");
    const threads = threadsFrom(values["threads"]);
    const target = targetFrom(values["target"]);
    checkOutputDir(outDir!, `--out ${outDir!}`);
    const compiled = await compileCell(files[0]!, activationOverrides(values), target);
    if (!compiled) return 1;
    checkStateNames(compiled.ir, statePaths);
    checkOutputFiles(compiled.ir, outDir!);
    const weights = readWeightsMap(weightsFile!);
    const input = readNpy(inputFile!);
    // Records built by Object.fromEntries: a state named `__proto__` is an own key like any other.
    const states = Object.fromEntries([...statePaths].map(([k, f]) => [k, readNpy(f)]));
    const lengthsFile = values["lengths"] as string | undefined;
    const lengths: ForwardOptions = lengthsFile ? { lengths: readLengths(lengthsFile) } : {};
    const sources = {
      weights: weightsFile!,
      input: inputFile!,
      states: Object.fromEntries(statePaths),
    };
    const options = {
      batchFirst: values["batch-first"] === true,
      sources: lengthsFile ? { ...sources, lengths: lengthsFile } : sources,
    };
    const result: StackResult<FloatArray> = values["reference"]
      ? referenceForward(compiled.ir, weights, input, states, { ...options, ...lengths })
      : runKernel(compiled.kernel.create(weights, { ...options, threads }), input, states, lengths);
    const written = writeResult(compiled.ir, result, outDir!).join(", ");
    process.stderr.write(`${printable(`wrote ${written} to ${outDir!}`)}\n`);
    return 0;
  },
};
