// What `cellc import` prints: what it found, the files it wrote, and the `cellc run` line that runs
// them, with each placeholder file said to be which input or output of the model. Names from the
// model are shown with their control characters escaped; paths are quoted for a shell.
import { join } from "node:path";
import type { RecurrentStack } from "../interop/stack/index.js";
import { printable } from "../shared/printable.js";

export interface IoLine {
  readonly what: string;
  readonly role: string;
  readonly note: string | null;
}

/** `path` as one shell word. */
export function shellWord(path: string): string {
  return /^[\w./:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

const KINDS = { lstm: "LSTM", gru: "GRU", rnn: "RNN" } as const;

export function describeImport(stack: RecurrentStack): string {
  const L = stack.layers.length;
  const directions = stack.directions === "forward" ? "" : ` ${stack.directions}`;
  return `${L}-layer${directions} ${KINDS[stack.cell.kind]}, input size ${stack.inputSize}, hidden size ${stack.hiddenSize}`;
}

const PLACEHOLDER: Readonly<Record<string, string>> = {
  "--input": "INPUT.npy",
  "--lengths": "LENGTHS.npy",
  "--state h": "H0.npy",
  "--state c": "C0.npy",
};

/** The lines after "wrote ...": the run command, then what each file is. */
export function runLines(dir: string, stack: RecurrentStack, io: readonly IoLine[]): string[] {
  const has = (role: string) => io.some((l) => l.role === role);
  const words = [
    "cellc run",
    shellWord(join(dir, "model.cell")),
    `--weights ${shellWord(join(dir, "weights.safetensors"))}`,
    "--input INPUT.npy",
    ...(stack.batchFirst ? ["--batch-first"] : []),
    ...(has("--lengths") ? ["--lengths LENGTHS.npy"] : []),
    ...(has("--state h") ? ["--state h=H0.npy"] : []),
    ...(has("--state c") ? ["--state c=C0.npy"] : []),
    "--out OUT",
  ];
  const rows = io.map((l) => {
    const file = PLACEHOLDER[l.role] ?? `OUT/${l.role}`;
    return `  ${file.padEnd(16)}${l.what}${l.note ? `, ${l.note}` : ""}`;
  });
  return [`run it with:`, `  ${words.join(" ")}`, "where", ...rows].map(printable);
}
