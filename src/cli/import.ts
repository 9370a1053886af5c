// `cellc import MODEL -o DIR`: reads an ONNX model (.onnx) or a tfjs-layers model (model.json with
// its .bin weight files beside it) and writes DIR/model.cell and DIR/weights.safetensors that
// compute it, then prints the `cellc run` line for them. DIR and its files are checked before any
// work; both files are written, or neither (write-files.ts).
import { dirname, join } from "node:path";
import { importOnnx } from "../interop/onnx-import/index.js";
import { importTfjs } from "../interop/tfjs-import/index.js";
import { type IoNote, type RecurrentStack, importedFiles } from "../interop/stack/index.js";
import { serializeSafetensors } from "../runtime/safetensors.js";
import { readDataFile } from "../runtime/node-files.js";
import { printable } from "../shared/printable.js";
import { describeImport, runLines } from "./import-report.js";
import { checkOutputDir, checkOutputFile } from "./output-paths.js";
import { UsageError, type Verb } from "./usage.js";
import { writeFiles } from "./write-files.js";

export const importVerb: Verb = {
  name: "import",
  summary: "turn an ONNX or tfjs model's LSTM, GRU or RNN stack into a .cell file and weights",
  help: `usage: cellc import MODEL.onnx -o DIR
       cellc import model.json -o DIR

Writes DIR/model.cell (the cell, readable, with the model's activations as its slots' defaults)
and DIR/weights.safetensors (the weights under cellc's names: weight_ih_l0, ..., _reverse), then
prints the 'cellc run' line that gives the model's outputs.

MODEL.onnx holds LSTM, GRU or RNN nodes (opsets 7 to 22, every attribute), alone or stacked as
torch.onnx.export writes nn.LSTM, nn.GRU and nn.RNN (layers, bidirectional, batch_first), with
the weights as initializers.

model.json is a tfjs-layers model (tfjs' model.save, tensorflowjs_converter) whose weight files
lie beside it: a Sequential stack of LSTM, GRU (reset_after true or false) or SimpleRNN layers,
each possibly Bidirectional (merge_mode concat), with Keras' activations.

  -o DIR            the folder to write model.cell and weights.safetensors into`,
  options: { out: { type: "string", short: "o" } },
  run(values, files) {
    if (files.length !== 1)
      throw new UsageError("import takes exactly one MODEL (see 'cellc import --help')");
    const model = files[0]!;
    const dir = values["out"];
    if (typeof dir !== "string") throw new UsageError("missing -o DIR (see 'cellc import --help')");
    const read = modelReader(model);
    checkOutputDir(dir, `-o ${dir}`);
    const paths = [join(dir, "model.cell"), join(dir, "weights.safetensors")] as const;
    for (const p of paths) checkOutputFile(p, `-o ${dir}`);
    const { stack, io } = read();
    const { cellText, weights } = importedFiles(stack);
    writeFiles([
      { path: paths[0], content: cellText },
      { path: paths[1], content: serializeSafetensors(weights) },
    ]);
    const lines = [
      `imported ${model}: ${describeImport(stack)}`,
      `wrote ${paths[0]} and ${paths[1]}`,
    ].map(printable);
    process.stdout.write(`${[...lines, ...runLines(dir, stack, io)].join("\n")}\n`);
    return 0;
  },
};

/** How to read MODEL, chosen by its name before anything is read or written. */
function modelReader(model: string): () => { stack: RecurrentStack; io: readonly IoNote[] } {
  if (/\.onnx$/i.test(model)) return () => importOnnx(readDataFile(model), model);
  if (/\.json$/i.test(model)) {
    // Weight files are plain names (weights-manifest.ts checks), read from model.json's folder.
    const weightFile = (name: string) => readDataFile(join(dirname(model), name));
    return () => importTfjs(readDataFile(model), model, weightFile);
  }
  throw new UsageError(
    `'${model}': cellc imports .onnx files and tfjs model.json files (see 'cellc import --help')`,
  );
}
