// Shared by the pass suites: lowering a source with no passes, running passes the way the
// pipeline does (verifier on after each one), and reading the IR back: op counts, stages, text.
import type { CellIR, Node, Op, Stage, ValueId } from "../../src/compiler/ir/ir.js";
import { type Pass, PIPELINE, runPipeline } from "../../src/compiler/passes/index.js";
import { hoist } from "../../src/compiler/passes/hoist.js";
import type { PassContext } from "../../src/compiler/passes/pass.js";
import { printIR } from "../../src/compiler/ir/print-ir.js";
import { compileOrThrow } from "../../src/index.js";
import { type Size, formatSize } from "../../src/shared/size.js";

/** What `compile()` hands the pipeline in tests: the verifier runs after every pass. */
export const CTX: PassContext = { verify: true };

/** The IR as lowered, before any pass. */
export function lower(source: string, activations: Readonly<Record<string, string>> = {}): CellIR {
  return compileOrThrow(source, { file: "test.cell", passes: [], activations }).ir;
}

/** A cell with sizes I and H, input x : [I], state h : [H]; `lines` declare params that use H. */
export function cell(...lines: string[]): string {
  return ["cell t", "size I, H", "input x : [I]", "state h : [H]", ...lines, ""].join("\n");
}

/** An element-wise cell: size N, input x : [N], state h : [N], then `lines`. */
export function pointwise(...lines: string[]): string {
  return ["cell p", "size N", "input x : [N]", "state h : [N]", ...lines, ""].join("\n");
}

/** Runs `passes` in order through runPipeline, so verifyIR checks the IR after each one. */
export function run(ir: CellIR, ...passes: Pass[]): CellIR {
  return runPipeline(ir, CTX, passes);
}

/** The passes that come before `pass` in PIPELINE: what it sees when compile() runs it. */
export function passesBefore(pass: Pass): readonly Pass[] {
  return PIPELINE.slice(0, PIPELINE.indexOf(pass));
}

/** The IR `pass` receives in the pipeline, for the lowered IR `ir`. */
export function inputOf(pass: Pass, ir: CellIR): CellIR {
  return runPipeline(ir, CTX, passesBefore(pass));
}

/** The IR printed without source positions, so texts from different sources compare. */
export const text = (ir: CellIR): string => printIR(ir);

/** Node `id` as one nested expression (`tanh(add(h, v))`), whatever the nodes' numbering. */
export function expressionOf(ir: CellIR, id: ValueId): string {
  const n = ir.nodes[id]!;
  const show = (a: ValueId): string => expressionOf(ir, a);
  switch (n.op) {
    case "input":
    case "state":
    case "param":
      return n.name;
    case "const":
      return Object.is(n.value, -0) ? "-0" : String(n.value);
    case "slice":
    case "columns":
    case "rows":
      return `${n.op}(${show(n.args[0])}, ${formatSize(n.start)}, ${formatSize(n.len)})`;
    default:
      return `${n.op}(${n.args.map(show).join(", ")})`;
  }
}

/** Each state update and the output as expressions: what the graph computes, one per line. */
export function expressions(ir: CellIR): string {
  const roots = [...ir.next].map(([s, id]) => `${s}' = ${expressionOf(ir, id)}`);
  return [...roots, `output = ${expressionOf(ir, ir.output)}`].join("\n");
}

export function count(ir: CellIR, op: Op, where: (n: Node) => boolean = () => true): number {
  return ir.nodes.filter((n) => n.op === op && where(n)).length;
}

/** Node ids by the name of the param, input or state leaf they are. */
export function leafId(ir: CellIR, name: string): ValueId {
  const n = ir.nodes.find((m) => "name" in m && m.name === name);
  if (!n) throw new Error(`test setup: no leaf '${name}'`);
  return n.id;
}

/** The stage of every node as the hoist pass records it (step when absent). */
export function stagesOf(ir: CellIR): Stage[] {
  const hoisted = hoist.run(ir, CTX);
  return hoisted.nodes.map((n) => n.stage ?? "step");
}

/** Products (matvec or affine) whose vector argument is `vector`. */
export function productsOf(ir: CellIR, vector: ValueId): Node[] {
  return ir.nodes.filter((n) => (n.op === "matvec" || n.op === "affine") && n.args[1] === vector);
}

/**
 * Multiply-adds per step and sample: the sum over products of rows x columns of the matrix, as
 * a polynomial in the sizes (`3*H*H + 3*H*I`), terms sorted.
 */
export function multiplyAdds(ir: CellIR): string {
  const coeffs = new Map<string, number>();
  const termsOf = (s: Size) => [...s.terms, { name: "", coeff: s.constant }];
  for (const n of ir.nodes) {
    if (n.op !== "matvec" && n.op !== "affine") continue;
    const [rows, cols] = ir.nodes[n.args[0]]!.shape;
    for (const a of termsOf(rows!))
      for (const b of termsOf(cols!)) {
        const key = [a.name, b.name]
          .filter((x) => x !== "")
          .sort()
          .join("*");
        coeffs.set(key, (coeffs.get(key) ?? 0) + a.coeff * b.coeff);
      }
  }
  const monomials = [...coeffs].filter(([, c]) => c !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const show = ([key, c]: [string, number]) =>
    key === "" ? `${c}` : c === 1 ? key : `${c}*${key}`;
  return monomials.map(show).join(" + ") || "0";
}
