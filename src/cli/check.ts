// `cellc check FILE...`: compiles each cell, prints its diagnostics and a one-line summary (with
// control characters in file names escaped).
import type { CellIR } from "../compiler/ir/ir.js";
import { printable } from "../shared/printable.js";
import { formatSymbolicShape } from "../shared/size.js";
import { loadCell } from "./load-cell.js";
import { ACT_OPTION, activationOverrides, UsageError, type Verb } from "./usage.js";

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

export function summarize(ir: CellIR): string {
  const shape = (d: { name: string; shape: CellIR["inputs"][number]["shape"] }) =>
    `${d.name}${formatSymbolicShape(d.shape)}`;
  const slots = ir.slots.map(
    (s) => `${s.slot}=${s.activation}${s.args.length ? `(${s.args.join(", ")})` : ""}`,
  );
  return [
    `cell ${ir.name}`,
    `input ${ir.inputs.map(shape).join(", ")}`,
    ir.states.length ? `states ${ir.states.map(shape).join(", ")}` : "no states",
    count(ir.params.length, "param"),
    slots.length ? `slots ${slots.join(", ")}` : "no slots",
    count(ir.nodes.length, "IR node"),
  ].join("; ");
}

export const checkVerb: Verb = {
  name: "check",
  summary: "check .cell files and print a summary of each",
  help: `usage: cellc check FILE... [--act SLOT=SPEC]...

Parses, resolves and lowers each .cell file, printing every diagnostic (errors and warnings)
with its file:line:column, then one summary line per file. Exits 1 if any file has errors.

  --act SLOT=SPEC   bind an activation slot, e.g. --act gate=hard_sigmoid(0.25, 0.5)`,
  options: ACT_OPTION,
  run(values, files) {
    if (files.length === 0) throw new UsageError("missing FILE (see 'cellc check --help')");
    const activations = activationOverrides(values);
    let failed = 0;
    for (const file of files) {
      const { result, errors, warnings } = loadCell(file, activations);
      if (result.ir && errors === 0) {
        const note = warnings > 0 ? ` (${count(warnings, "warning")})` : "";
        process.stdout.write(`${printable(`${file}: ok${note}: ${summarize(result.ir)}`)}\n`);
      } else {
        failed++;
        const more = warnings ? `, ${count(warnings, "warning")}` : "";
        process.stdout.write(`${printable(`${file}: ${count(errors, "error")}${more}`)}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
};
