// The JavaScript kernels of the sequence and step stages: fused element-wise loops, GEMMs
// (W @ v for every sample), concats, and copies of state updates and the output. Every statement
// of a fused loop is preceded by the `.cell` lines it computes.
import { addSizes, sizeConst } from "../../shared/size.js";
import type { Node, ValueId } from "../ir/ir.js";
import { type EmitContext, indexExpr, read, sourceComments } from "./emit-context.js";
import type { CopyTarget } from "./emit-layer.js";
import type { Home } from "./layout.js";
import { type Rendered, atom, renderNode } from "./render-expr.js";
import { RowBases, sampleLoopHeader } from "./rows.js";
import type { GemmNode, Kernel, KernelStage } from "./schedule.js";
import { isZero, sizeFactor, sizeJs } from "./size-js.js";
import { CodeWriter } from "./writer.js";

/** Element `index` of a value, read from where it lives. */
function element(ctx: EmitContext, rows: RowBases, home: Home, index: string): string {
  if (home.kind === "scalar") return home.expr;
  return read(ctx, home.array, indexExpr(ctx, rows.base(home), home, index));
}

function store(ctx: EmitContext, rows: RowBases, home: Home, index: string): string {
  if (home.kind === "scalar") throw new Error("internal: storing into a scalar");
  return `${home.array}[${indexExpr(ctx, rows.base(home), home, index)}]`;
}

function emitSampleLoop(w: CodeWriter, stage: KernelStage, rows: RowBases, inner: string[]): void {
  w.block(sampleLoopHeader(stage), () => {
    w.lines(rows.declarations());
    w.lines(inner);
  });
}

/** The nodes a statement computes: its own, and those inlined into it, recursively. */
function statementNodes(ctx: EmitContext, n: Node): Node[] {
  const out: Node[] = [];
  const stack = [n];
  for (let m = stack.pop(); m !== undefined; m = stack.pop()) {
    out.push(m);
    const inlined = m.args.filter((a) => ctx.sched.inlined.has(a)).map((a) => ctx.ir.nodes[a]!);
    stack.push(...inlined.reverse());
  }
  return out;
}

/**
 * A fused loop: for every row, the element-wise nodes unit by unit (each statement preceded by the
 * `.cell` lines it computes), with each reduction accumulated in the same pass and stored once the
 * row is done. A loop of per-row numbers (`scalar`) has no unit loop.
 */
export function emitElementwise(
  ctx: EmitContext,
  w: CodeWriter,
  stage: KernelStage,
  kernel: Extract<Kernel, { kind: "loop" }>,
): void {
  const rows = new RowBases(ctx, stage);
  const outputId = stage === "step" ? ctx.ir.output : null;
  const locals = new Set<ValueId>();
  const render = (id: ValueId): Rendered => {
    if (locals.has(id)) return atom(ctx.layout.nameOf(id));
    if (ctx.sched.inlined.has(id)) return renderNode(ctx.ir.nodes[id]!, render, ctx.helpers);
    return atom(element(ctx, rows, ctx.layout.home(id), "j"));
  };
  const before = new CodeWriter();
  const body = new CodeWriter();
  const after = new CodeWriter();
  for (const n of kernel.nodes) {
    if (ctx.sched.inlined.has(n.id)) continue;
    const name = ctx.layout.nameOf(n.id);
    sourceComments(ctx, body, statementNodes(ctx, n));
    if (n.op === "sum") {
      // In float64, in unit order, as the interpreter sums.
      before.line(`let ${name} = 0;`);
      body.line(`${name} += ${render(n.args[0]).text};`);
      after.line(`${store(ctx, rows, ctx.layout.home(n.id), "0")} = ${name};`);
      continue;
    }
    body.line(`const ${name} = ${renderNode(n, render, ctx.helpers).text};`);
    locals.add(n.id);
    if (ctx.sched.materialized.has(n.id))
      body.line(`${store(ctx, rows, ctx.layout.home(n.id), "j")} = ${name};`);
    if (n.id === outputId) body.line(`ys[${rows.outputBase()} + j] = ${name};`);
  }
  const inner = new CodeWriter();
  inner.lines(before.toLines());
  if (kernel.scalar) inner.lines(body.toLines());
  else {
    const length = sizeJs(kernel.length, ctx.layout.sizes);
    inner.block(`for (let j = 0; j < ${length}; j++)`, () => inner.lines(body.toLines()));
  }
  inner.lines(after.toLines());
  emitSampleLoop(w, stage, rows, inner.toLines());
}

/**
 * Where row r of a per-sample array starts, as `[array, offset, stride]` arguments for `gemm`:
 * in the time loop, row r is sample r of step t; before it, row r is the r-th (step, sample) pair.
 */
function rowArgs(
  ctx: EmitContext,
  stage: KernelStage,
  home: Home,
): readonly [string, string, string] {
  if (home.kind !== "array") throw new Error("internal: a scalar as a GEMM operand");
  const offset = isZero(home.offset) ? null : sizeJs(home.offset, ctx.layout.sizes);
  if (home.row === "none") return [home.array, offset ?? "0", "0"];
  const stride = home.stride === "inSize" ? "inSize" : sizeFactor(home.stride!, ctx.layout.sizes);
  const first = home.row === "sequence" && stage === "step" ? `t * B * ${stride}` : null;
  const start = [first, offset].filter((p) => p !== null).join(" + ") || "0";
  return [home.array, start, stride];
}

export function emitGemm(
  ctx: EmitContext,
  w: CodeWriter,
  stage: KernelStage,
  node: GemmNode,
): void {
  const [mat, vec] = node.args;
  const matrix = ctx.layout.home(mat);
  if (matrix.kind !== "array" || matrix.row !== "none" || !isZero(matrix.offset)) {
    throw new Error("internal: a matrix not computed at load time");
  }
  const sizes = ctx.layout.sizes;
  const x = rowArgs(ctx, stage, ctx.layout.home(vec));
  const out = rowArgs(ctx, stage, ctx.layout.home(node.id));
  const zeros = ["gemmZeros", "0", "0"] as const;
  const bias = node.op === "affine" ? rowArgs(ctx, stage, ctx.layout.home(node.args[2])) : zeros;
  const m = sizeJs(node.shape[0]!, sizes);
  const k = sizeJs(ctx.ir.nodes[mat]!.shape[1]!, sizes);
  const rows = stage === "sequence" ? "T * B" : "B";
  // The helper's own parameter names (rows, m, k, w, x, xOff, xStride, ...) say what these are.
  const args = [rows, m, k, matrix.array, ...x, ...out, ...bias];
  w.line(`${ctx.helpers.use("gemm")}(${args.join(", ")});`);
}

export function emitConcat(
  ctx: EmitContext,
  w: CodeWriter,
  stage: KernelStage,
  node: Extract<Node, { op: "concat" }>,
): void {
  const rows = new RowBases(ctx, stage);
  const out = ctx.layout.home(node.id);
  const inner: string[] = [];
  // Where each part starts, kept as one canonical size: a long concat stays linear in length.
  let position = sizeConst(0);
  for (const part of node.args) {
    const len = ctx.ir.nodes[part]!.shape[0]!;
    const start = isZero(position) ? "" : `${sizeFactor(position, ctx.layout.sizes)} + `;
    const target = store(ctx, rows, out, `${start}j`);
    inner.push(
      `for (let j = 0; j < ${sizeJs(len, ctx.layout.sizes)}; j++) ${target} = ${element(ctx, rows, ctx.layout.home(part), "j")};`,
    );
    position = addSizes(position, len);
  }
  emitSampleLoop(w, stage, rows, inner);
}

/** Copies a value into a state's next buffer, or into the output rows, at the end of a step. */
export function emitCopy(ctx: EmitContext, w: CodeWriter, id: ValueId, into: CopyTarget): void {
  const rows = new RowBases(ctx, "step");
  const length = sizeJs(ctx.ir.nodes[id]!.shape[0]!, ctx.layout.sizes);
  const source = element(ctx, rows, ctx.layout.home(id), "j");
  let target: string;
  if (into === "output") target = `ys[${rows.outputBase()} + j]`;
  else {
    const next = ctx.layout.states.get(into.state)!.next;
    const home: Home = {
      kind: "array",
      array: next,
      row: "batch",
      stride: ctx.ir.nodes[id]!.shape[0]!,
      offset: { constant: 0, terms: [] },
    };
    target = store(ctx, rows, home, "j");
  }
  emitSampleLoop(w, "step", rows, [`for (let j = 0; j < ${length}; j++) ${target} = ${source};`]);
}
