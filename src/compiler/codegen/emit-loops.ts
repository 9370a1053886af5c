// Emits the per-sample kernels of the sequence and step stages: fused element-wise loops, GEMMs
// (W @ v for every sample), concats, and copies of state updates and the output.
import type { Node, ValueId } from "../ir/ir.js";
import { type EmitContext, indexExpr, read, sourceComments } from "./emit-context.js";
import type { Home } from "./layout.js";
import { type Rendered, atom, renderNode } from "./render-expr.js";
import { type LoopStage, RowBases, sampleLoopHeader } from "./rows.js";
import type { GemmNode, Kernel } from "./schedule.js";
import { isZero, sizeFactor, sizeJs } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

/** Element `index` of a value, read from where it lives. */
function element(ctx: EmitContext, rows: RowBases, home: Home, index: string): string {
  if (home.kind === "scalar") return home.expr;
  return read(ctx, home.array, indexExpr(ctx, rows.base(home), home, index));
}

function store(ctx: EmitContext, rows: RowBases, home: Home, index: string): string {
  if (home.kind === "scalar") throw new Error("internal: storing into a scalar");
  return `${home.array}[${indexExpr(ctx, rows.base(home), home, index)}]`;
}

function emitSampleLoop(w: CodeWriter, stage: LoopStage, rows: RowBases, inner: string[]): void {
  w.block(sampleLoopHeader(stage), () => {
    w.lines(rows.declarations());
    w.lines(inner);
  });
}

function emitElementwise(
  ctx: EmitContext,
  w: CodeWriter,
  stage: LoopStage,
  kernel: Extract<Kernel, { kind: "loop" }>,
  outputId: ValueId | null,
): void {
  const rows = new RowBases(ctx, stage);
  const locals = new Set<ValueId>();
  const render = (id: ValueId): Rendered => {
    if (locals.has(id)) return atom(ctx.layout.nameOf(id));
    if (ctx.sched.inlined.has(id)) return renderNode(ctx.ir.nodes[id]!, render, ctx.helpers);
    return atom(element(ctx, rows, ctx.layout.home(id), "j"));
  };
  const body: string[] = [];
  for (const n of kernel.nodes) {
    if (ctx.sched.inlined.has(n.id)) continue;
    const name = ctx.layout.nameOf(n.id);
    body.push(`const ${name} = ${renderNode(n, render, ctx.helpers).text};`);
    locals.add(n.id);
    if (ctx.sched.materialized.has(n.id))
      body.push(`${store(ctx, rows, ctx.layout.home(n.id), "j")} = ${name};`);
    if (n.id === outputId) body.push(`ys[${rows.outputBase()} + j] = ${name};`);
  }
  const length = sizeJs(kernel.length, ctx.layout.sizes);
  sourceComments(ctx, w, kernel.nodes);
  const inner = [`for (let j = 0; j < ${length}; j++) {`, ...body.map((l) => `  ${l}`), "}"];
  emitSampleLoop(w, stage, rows, inner);
}

/**
 * Where row r of a per-sample array starts, as `[array, offset, stride]` arguments for `gemm`:
 * in the time loop, row r is sample r of step t; before it, row r is the r-th (step, sample) pair.
 */
function rowArgs(ctx: EmitContext, stage: LoopStage, home: Home): [string, string, string] {
  if (home.kind !== "array") throw new Error("internal: a scalar as a GEMM operand");
  const offset = isZero(home.offset) ? null : sizeJs(home.offset, ctx.layout.sizes);
  if (home.row === "none") return [home.array, offset ?? "0", "0"];
  const stride = home.stride === "inSize" ? "inSize" : sizeFactor(home.stride!, ctx.layout.sizes);
  const first = home.row === "sequence" && stage === "step" ? `t * B * ${stride}` : null;
  const start = [first, offset].filter((p) => p !== null).join(" + ") || "0";
  return [home.array, start, stride];
}

function emitGemm(ctx: EmitContext, w: CodeWriter, stage: LoopStage, node: GemmNode): void {
  const [mat, vec] = node.args;
  const matrix = ctx.layout.home(mat);
  if (matrix.kind !== "array" || matrix.row !== "none" || !isZero(matrix.offset)) {
    throw new Error("internal: a matrix not computed at load time");
  }
  const sizes = ctx.layout.sizes;
  const m = sizeJs(node.shape[0]!, sizes);
  const k = sizeJs(ctx.ir.nodes[mat]!.shape[1]!, sizes);
  const rows = stage === "sequence" ? "T * B" : "B";
  const x = rowArgs(ctx, stage, ctx.layout.home(vec));
  const out = rowArgs(ctx, stage, ctx.layout.home(node.id));
  const bias =
    node.op === "affine"
      ? rowArgs(ctx, stage, ctx.layout.home(node.args[2]))
      : ["gemmZeros", "0", "0"];
  sourceComments(ctx, w, [node]);
  const gemm = ctx.helpers.use("gemm");
  w.line(`${gemm}(${[rows, m, k, matrix.array, ...x, ...out, ...bias].join(", ")});`);
}

function emitConcat(
  ctx: EmitContext,
  w: CodeWriter,
  stage: LoopStage,
  node: Extract<Node, { op: "concat" }>,
): void {
  const rows = new RowBases(ctx, stage);
  const out = ctx.layout.home(node.id);
  const inner: string[] = [];
  let position = "0";
  for (const part of node.args) {
    const len = ctx.ir.nodes[part]!.shape[0]!;
    const target = store(ctx, rows, out, `${position === "0" ? "" : `${position} + `}j`);
    inner.push(
      `for (let j = 0; j < ${sizeJs(len, ctx.layout.sizes)}; j++) ${target} = ${element(ctx, rows, ctx.layout.home(part), "j")};`,
    );
    position =
      position === "0"
        ? sizeFactor(len, ctx.layout.sizes)
        : `${position} + ${sizeFactor(len, ctx.layout.sizes)}`;
  }
  sourceComments(ctx, w, [node]);
  emitSampleLoop(w, stage, rows, inner);
}

export function emitKernels(
  ctx: EmitContext,
  w: CodeWriter,
  stage: LoopStage,
  kernels: readonly Kernel[],
  outputId: ValueId | null,
): void {
  for (const k of kernels) {
    if (k.kind === "loop") emitElementwise(ctx, w, stage, k, outputId);
    else if (k.kind === "gemm") emitGemm(ctx, w, stage, k.node);
    else emitConcat(ctx, w, stage, k.node);
  }
}

/** Copies a value into a state's next buffer, or into the output rows, at the end of a step. */
export function emitCopy(
  ctx: EmitContext,
  w: CodeWriter,
  id: ValueId,
  into: { state: string } | "output",
): void {
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
