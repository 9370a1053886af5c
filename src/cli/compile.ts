// `cellc compile CELL...`: writes each cell's standalone kernel module (and its .d.ts).
import { basename, extname, join } from "node:path";
import { generateModule } from "../compiler/codegen/index.js";
import type { FileContent } from "../runtime/node-io.js";
import { printable } from "../shared/printable.js";
import { loadCell } from "./load-cell.js";
import { checkOutputDir, checkOutputFile } from "./output-paths.js";
import { PASSES_OPTION, passesFrom } from "./passes-option.js";
import { TARGET_HELP, TARGET_OPTION, targetFrom } from "./target-option.js";
import { ACT_OPTION, activationOverrides, UsageError, type Verb } from "./usage.js";
import { writeFiles } from "./write-files.js";

/** The declarations next to a JavaScript module: `lstm.js` -> `lstm.d.ts`. */
const declarationsPath = (path: string): string => path.replace(/(\.m?js)?$/, ".d.ts");

/** Checks -o or --out-dir before any cell is compiled, so a bad destination fails at once. */
function checkDestination(
  out: string | undefined,
  outDir: string | undefined,
  typed: boolean,
): void {
  if (outDir !== undefined) checkOutputDir(outDir, `--out-dir ${outDir}`);
  if (out === undefined) return;
  checkOutputFile(out, `-o ${out}`);
  if (!typed) checkOutputFile(declarationsPath(out), `-o ${out}`);
}

export const compileVerb: Verb = {
  name: "compile",
  summary: "compile .cell files to standalone JS (or TS) kernel modules",
  help: `usage: cellc compile CELL... [-o OUT | --out-dir DIR] [--ts] [--target T]
                      [--act SLOT=SPEC]... [--passes LIST]

Writes a standalone ES module that imports nothing: it exports \`meta\` and
\`create(weights, { batchFirst, threads })\`, whose \`forward(input, initialStates)\` has the
semantics of PyTorch's nn.LSTM for whole stacks (layers and directions come from the weight names).

  -o OUT            write one module to OUT (and its declarations to OUT's .d.ts)
  --out-dir DIR     write DIR/<cell>.js and DIR/<cell>.d.ts for each CELL
                    (without -o or --out-dir, one module is printed to standard output)
  --ts              write a TypeScript module instead (.ts, no .d.ts needed)
${TARGET_HELP}
  --act SLOT=SPEC   bind an activation slot, e.g. --act 'gate=hard_sigmoid(0.25, 0.5)'
  --passes LIST     optimization passes, comma-separated, or none (default: all)`,
  options: {
    ...ACT_OPTION,
    ...PASSES_OPTION,
    ...TARGET_OPTION,
    out: { type: "string", short: "o" },
    "out-dir": { type: "string" },
    ts: { type: "boolean" },
  },
  async run(values, files) {
    if (files.length === 0) throw new UsageError("missing CELL file (see 'cellc compile --help')");
    const out = values["out"] as string | undefined;
    const outDir = values["out-dir"] as string | undefined;
    if (out !== undefined && outDir !== undefined)
      throw new UsageError("give -o or --out-dir, not both");
    if (files.length > 1 && outDir === undefined)
      throw new UsageError("several CELL files need --out-dir DIR");
    const typed = values["ts"] === true;
    const passes = passesFrom(values["passes"]);
    const target = targetFrom(values["target"]);
    const activations = activationOverrides(values);
    checkDestination(out, outDir, typed);
    let failed = 0;
    for (const file of files) {
      const { result } = loadCell(file, activations, { passes });
      if (!result.optIR) {
        failed++;
        continue;
      }
      const passNames = passes.map((p) => p.name);
      const module = await generateModule(result.optIR, {
        source: result.source,
        typed,
        passes: passNames,
        target,
      });
      const path =
        outDir !== undefined
          ? join(outDir, `${basename(file, extname(file))}.${typed ? "ts" : "js"}`)
          : out;
      if (path === undefined) {
        process.stdout.write(module.code);
        continue;
      }
      const outputs: FileContent[] = [{ path, content: module.code }];
      if (!typed) outputs.push({ path: declarationsPath(path), content: module.dts });
      writeFiles(outputs);
      const written = outputs.map((f) => f.path).join(" and ");
      process.stderr.write(`${printable(`${file}: wrote ${written}`)}\n`);
    }
    return failed > 0 ? 1 : 0;
  },
};
