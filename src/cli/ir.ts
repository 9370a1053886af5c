// `cellc ir FILE`: prints the cell's IR, one node per line with its source location; with
// --after, the IR after a given optimization pass (or after each one). File names in locations
// are shown with control characters escaped.
import { printIR } from "../compiler/ir/print-ir.js";
import type { CellIR } from "../compiler/ir/ir.js";
import { loadCell, printableLines } from "./load-cell.js";
import { PASSES_OPTION, passesFrom } from "./passes-option.js";
import { ACT_OPTION, activationOverrides, UsageError, type Verb } from "./usage.js";

export const irVerb: Verb = {
  name: "ir",
  summary: "print the IR of a .cell file, as lowered or after optimization passes",
  help: `usage: cellc ir FILE [--after PASS|all] [--passes LIST] [--act SLOT=SPEC]...

Prints the cell's dataflow graph for one time step: one node per line, with its symbolic
shape, its stage when hoisted (@weight: once per weights, @sequence: once per input sequence),
the source name it carries and where in FILE it came from.

  --after PASS      print the IR after that pass instead of as lowered; 'all' prints it after each
  --passes LIST     the passes to run, comma-separated, or none (default: all)
  --act SLOT=SPEC   bind an activation slot, e.g. --act cand=hard_tanh`,
  options: { ...ACT_OPTION, ...PASSES_OPTION, after: { type: "string" } },
  run(values, files) {
    if (files.length !== 1)
      throw new UsageError("ir takes exactly one FILE (see 'cellc ir --help')");
    const passes = passesFrom(values["passes"]);
    const after = values["after"] as string | undefined;
    if (after !== undefined && after !== "all" && !passes.some((p) => p.name === after)) {
      throw new UsageError(
        `--after: '${after}' is not among the passes run (${passes.map((p) => p.name).join(", ") || "none"})`,
      );
    }
    const dumps: { pass: string; ir: CellIR }[] = [];
    const { result } = loadCell(files[0]!, activationOverrides(values), {
      passes,
      dump: (pass, ir) => dumps.push({ pass, ir }),
    });
    if (!result.ir) return 1;
    const print = (ir: CellIR) => process.stdout.write(printableLines(printIR(ir, result.source)));
    if (after === undefined) print(result.ir);
    for (const d of dumps) {
      if (after !== "all" && d.pass !== after) continue;
      if (after === "all") process.stdout.write(`# after ${d.pass}\n`);
      print(d.ir);
    }
    return 0;
  },
};
