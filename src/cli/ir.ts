// `cellc ir FILE`: prints the cell's IR, one node per line with its source location.
import { printIR } from "../compiler/print-ir.js";
import { loadCell } from "./load-cell.js";
import { ACT_OPTION, activationOverrides, UsageError, type Verb } from "./usage.js";

export const irVerb: Verb = {
  name: "ir",
  summary: "print the IR of a .cell file",
  help: `usage: cellc ir FILE [--act SLOT=SPEC]...

Prints the cell's dataflow graph for one time step: one node per line, with its symbolic
shape, the source name it carries and where in FILE it came from.

  --act SLOT=SPEC   bind an activation slot, e.g. --act cand=hard_tanh`,
  options: ACT_OPTION,
  run(values, files) {
    if (files.length !== 1)
      throw new UsageError("cellc ir takes exactly one FILE (see 'cellc ir --help')");
    const { result } = loadCell(files[0]!, activationOverrides(values));
    if (!result.ir) return 1;
    process.stdout.write(printIR(result.ir, result.source));
    return 0;
  },
};
