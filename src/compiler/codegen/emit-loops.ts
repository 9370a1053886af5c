// Emits the per-sample kernels of the sequence and step stages: fused element-wise loops, GEMMs
// (W @ v for every sample), concats, and copies of state updates and the output.
import type { Node, ValueId } from "../ir.js";
import { type EmitContext, indexExpr, read, sourceComments } from "./emit-context.js";
import type { Home } from "./layout.js";
import { type Rendered, atom, renderNode } from "./render-expr.js";
import { type LoopStage, RowBases, sampleLoopHeader } from "./rows.js";
import type { Kernel } from "./schedule.js";
import { sizeFactor, sizeJs } from "./size-js.js";
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

function emitGemm(
  ctx: EmitContext,
  w: CodeWriter,
  stage: LoopStage,
  node: Extract<Node, { op: "matvec" }>,
): void {
  const rows = new RowBases(ctx, stage);
  const [mat, vec] = node.args;
  const matrix = ctx.layout.home(mat);
  if (matrix.kind !== "array" || matrix.row !== "none")
    throw new Error("internal: a matrix not computed at load time");
  const [m, n] = [
    sizeJs(node.shape[0]!, ctx.layout.sizes),
    sizeFactor(ctx.ir.nodes[mat]!.shape[1]!, ctx.layout.sizes),
  ];
  const cols = sizeJs(ctx.ir.nodes[mat]!.shape[1]!, ctx.layout.sizes);
  const x = element(ctx, rows, ctx.layout.home(vec), "k");
  const out = store(ctx, rows, ctx.layout.home(node.id), "i");
  sourceComments(ctx, w, [node]);
  emitSampleLoop(w, stage, rows, [
    `for (let i = 0; i < ${m}; i++) {`,
    `  const wRow = i * ${n};`,
    "  let acc = 0;",
    `  for (let k = 0; k < ${cols}; k++) acc += ${read(ctx, matrix.array, "wRow + k")} * ${x};`,
    `  ${out} = acc;`,
    "}",
  ]);
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
