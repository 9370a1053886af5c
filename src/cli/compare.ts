// `cellc compare CASE_DIR...`: runs reference cases (the fixtures format) through the compiled
// kernel and the float64 interpreter and reports each tensor's worst error against the expected
// arrays, within the case's own tolerance.
import { basename } from "node:path";
import { referenceForward } from "../compiler/reference.js";
import { type Comparison, compareTensors } from "../runtime/compare.js";
import { isDataError } from "../shared/data-error.js";
import { loadReferenceCase } from "../runtime/node-reference-case.js";
import type { ReferenceCase } from "../runtime/reference-case.js";
import type { StackResult } from "../embedded/stack-types.js";
import { printable } from "../shared/printable.js";
import { type FloatArray, formatShape } from "../shared/tensor.js";
import { compileCell, shippedCell } from "./kernels.js";
import { FileError } from "./file-error.js";
import { sci, table } from "./table.js";
import { UsageError, type Verb } from "./usage.js";

interface TensorReport {
  readonly name: string;
  readonly shape: string;
  readonly kernel: Comparison;
  readonly interpreter: Comparison;
}

type CaseReport = { readonly tensors: readonly TensorReport[] } | { readonly error: string };

const passed = (r: CaseReport): boolean =>
  "tensors" in r && r.tensors.every((t) => t.kernel.pass && t.interpreter.pass);

async function runCase(c: ReferenceCase, cellPath: string): Promise<CaseReport> {
  const compiled = await compileCell(cellPath, c.activations);
  if (!compiled) return { error: `${cellPath} does not compile` };
  const sources = { weights: c.weightsFile, input: c.inputFile, states: c.stateFiles };
  const options = {
    batchFirst: c.batchFirst,
    sources: c.lengthsFile === null ? sources : { ...sources, lengths: c.lengthsFile },
  };
  const lengths = c.lengths === null ? {} : { lengths: c.lengths };
  const kernel = compiled.kernel.create(c.weights, options).forward(c.input, c.states, lengths);
  const interpreter = referenceForward(compiled.ir, c.weights, c.input, c.states, {
    ...options,
    ...lengths,
  });
  // Own keys only: an expected tensor named `constructor` is not Object's constructor.
  const pick = (r: StackResult<FloatArray>, name: string) =>
    name === "output" ? r.output : Object.hasOwn(r.states, name) ? r.states[name] : undefined;
  const tensors = Object.entries(c.expected).map(([name, want]) => {
    const missing: Comparison = {
      pass: false,
      maxAbs: Infinity,
      maxRel: Infinity,
      mismatch: "not computed",
    };
    const check = (r: StackResult<FloatArray>) => {
      const got = pick(r, name);
      return got ? compareTensors(got, want, c.tolerance) : missing;
    };
    return {
      name,
      shape: formatShape(want.shape),
      kernel: check(kernel),
      interpreter: check(interpreter),
    };
  });
  return { tensors };
}

function verdict(c: Comparison): string {
  if (c.mismatch !== null) return `FAIL (${c.mismatch})`;
  return c.pass ? "PASS" : "FAIL";
}

function printDetail(dir: string, c: ReferenceCase, cellPath: string, report: CaseReport): void {
  const out: string[] = [`${basename(dir)}: ${c.description}`];
  out.push(
    `  cell ${cellPath}; reference ${c.reference}; atol ${c.tolerance.atol}, rtol ${c.tolerance.rtol}`,
  );
  if ("error" in report) out.push(`  ERROR ${report.error}`);
  else {
    const header = ["tensor", "shape", "kernel abs", "rel", "", "interpreter abs", "rel", ""];
    const rows = report.tensors.map((t) => [
      ...[t.name, t.shape, sci(t.kernel.maxAbs), sci(t.kernel.maxRel), verdict(t.kernel)],
      ...[sci(t.interpreter.maxAbs), sci(t.interpreter.maxRel), verdict(t.interpreter)],
    ]);
    out.push(...table([header, ...rows], new Set([2, 3, 5, 6])).map((l) => `  ${l}`));
  }
  out.push(passed(report) ? "PASS" : "FAIL");
  process.stdout.write(`${out.map(printable).join("\n")}\n`);
}

function summaryRow(dir: string, report: CaseReport): string[] {
  if ("error" in report) return [basename(dir), "ERROR", "", "", report.error];
  const worst = (pick: (t: TensorReport) => Comparison) =>
    Math.max(...report.tensors.map((t) => pick(t).maxAbs));
  const names = report.tensors.map((t) => t.name).join(", ");
  return [
    basename(dir),
    passed(report) ? "PASS" : "FAIL",
    sci(worst((t) => t.kernel)),
    sci(worst((t) => t.interpreter)),
    names,
  ];
}

export const compareVerb: Verb = {
  name: "compare",
  summary: "run reference cases through the kernel and the interpreter and report the errors",
  help: `usage: cellc compare CASE_DIR... [--cell CELL]

Each CASE_DIR holds case.json, the weights (.safetensors, or a torch.save .pt), input.npy,
initial states, optional sequence lengths and the expected output.npy and <state>_n.npy (the
format of test/fixtures/README.md and EXTENSIONS.md). The case runs through the compiled float32 kernel and through the float64
interpreter; a tensor passes when |got - want| <= atol + rtol * |want| everywhere, with the
case's own tolerance. With one case, every tensor is shown; with several, one line per case and
a summary. Exits 1 on any failure.

  --cell CELL       the .cell file to run (default: the shipped cell the case names)`,
  options: { cell: { type: "string" } },
  async run(values, dirs) {
    if (dirs.length === 0) throw new UsageError("missing CASE_DIR (see 'cellc compare --help')");
    const reports: [string, CaseReport][] = [];
    for (const dir of dirs) {
      let report: CaseReport;
      let loaded: { c: ReferenceCase; cellPath: string } | null = null;
      try {
        const c = loadReferenceCase(dir);
        const cellPath = (values["cell"] as string | undefined) ?? shippedCell(c.cell);
        loaded = { c, cellPath };
        report = await runCase(c, cellPath);
      } catch (e) {
        if (!isDataError(e) && !(e instanceof FileError)) throw e;
        report = { error: (e as Error).message };
      }
      if (dirs.length === 1) {
        if (loaded) printDetail(dir, loaded.c, loaded.cellPath, report);
        else if ("error" in report)
          process.stdout.write(`${printable(`${dir}: ERROR ${report.error}`)}\nFAIL\n`);
      }
      reports.push([dir, report]);
    }
    if (dirs.length > 1) {
      const rows = reports.map(([dir, r]) => summaryRow(dir, r));
      const header = ["case", "result", "kernel max abs", "interpreter max abs", "tensors"];
      process.stdout.write(`${table([header, ...rows], new Set([2, 3])).join("\n")}\n`);
      const failures = reports.filter(([, r]) => !passed(r)).length;
      process.stdout.write(
        `${reports.length} cases: ${reports.length - failures} passed, ${failures} failed\n`,
      );
    }
    return reports.every(([, r]) => passed(r)) ? 0 : 1;
  },
};
