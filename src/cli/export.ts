// `cellc export CELL --weights W -o model.onnx`: the cell over a stack of weights as an ONNX model
// (src/interop/onnx-export). The destination is checked before any work and written whole or not
// at all; the summary goes to stderr, as `run`'s does.
import { exportOnnx, OPSET } from "../interop/onnx-export/export-model.js";
import { readSafetensors } from "../runtime/node-files.js";
import { printable } from "../shared/printable.js";
import { loadCell } from "./load-cell.js";
import { checkOutputFile } from "./output-paths.js";
import {
  ACT_OPTION,
  activationOverrides,
  UsageError,
  type ParsedValues,
  type Verb,
} from "./usage.js";
import { writeFiles } from "./write-files.js";

function required(values: ParsedValues, name: string, flag = `--${name}`): string {
  const v = values[name];
  if (typeof v !== "string") throw new UsageError(`missing ${flag} (see 'cellc export --help')`);
  return v;
}

function inputSizeFrom(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < 1 || !Number.isSafeInteger(n)) {
    const got = printable(String(value));
    throw new UsageError(`--input-size expects a whole number of 1 or more; got '${got}'`);
  }
  return n;
}

export const exportVerb: Verb = {
  name: "export",
  summary: "write a cell and its weights as an ONNX model (opset 17)",
  help: `usage: cellc export CELL --weights W.safetensors -o MODEL.onnx [--lengths]
                    [--initial-states] [--act SLOT=SPEC]... [--input-size N] [--scan]

Writes an ONNX model (opset ${OPSET}) that computes what 'cellc run' computes with these weights:
input X (T, B, I), outputs 'output' (T, B, D*H) and <state>_n (layers*directions, B, size).
Layers and directions come from the weight names. A cell that is exactly ONNX's LSTM, GRU or RNN
(the shipped lstm, peephole_lstm, cifg_lstm, gru, gru_reset_before and rnn cells with ONNX
activations) becomes that operator; any other cell becomes a Scan over its step per layer and
direction. The model is sequence-first: transpose a batch-first input before feeding it.

  --weights FILE    a PyTorch state_dict saved as .safetensors (weight_ih_l0, ...)
  -o FILE           the .onnx file to write
  --lengths         add an input sequence_lens, (B,) int32, each 1 to T, as ONNX's LSTM
                    takes it: outputs past a length are zeros, final states those of each
                    sample's last valid step (pack_padded_sequence)
  --initial-states  add an input initial_<state>, (layers*directions, B, size), per state;
                    without it, states start at zero
  --act SLOT=SPEC   bind an activation slot, e.g. --act 'gate=hard_sigmoid(0.25, 0.5)'
  --input-size N    the input's features, for a cell whose weights do not tell it
  --scan            write Scans even for a cell ONNX has an operator for`,
  options: {
    ...ACT_OPTION,
    weights: { type: "string" },
    out: { type: "string", short: "o" },
    lengths: { type: "boolean" },
    "initial-states": { type: "boolean" },
    "input-size": { type: "string" },
    scan: { type: "boolean" },
  },
  run(values, files) {
    if (files.length !== 1)
      throw new UsageError("export takes exactly one CELL (see 'cellc export --help')");
    const weightsFile = required(values, "weights");
    const out = required(values, "out", "-o FILE");
    const inputSize = inputSizeFrom(values["input-size"]);
    checkOutputFile(out, `-o ${out}`);
    const { result } = loadCell(files[0]!, activationOverrides(values));
    if (!result.optIR) return 1;
    const exported = exportOnnx(result.optIR, readSafetensors(weightsFile), {
      lengths: values["lengths"] === true,
      initialStates: values["initial-states"] === true,
      inputSize,
      fused: values["scan"] !== true,
      sources: { cell: files[0]!, weights: weightsFile },
    });
    writeFiles([{ path: out, content: exported.bytes }]);
    const { layers, directions, fused } = exported;
    const stack = `${layers} layer${layers > 1 ? "s" : ""}, ${directions === 2 ? "bidirectional" : "forward"}`;
    const how = fused ? `ONNX ${fused}` : "Scan";
    process.stderr.write(`${printable(`wrote ${out} (opset ${OPSET}; ${stack}; ${how})`)}\n`);
    return 0;
  },
};
