// Emits what a layer computes once, when it is created: its weights (absent optional ones filled)
// and every value that depends on the weights alone, such as a folded bias.
import { addSizes, sizeConst } from "../../shared/size.js";
import type { Node, ValueId } from "../ir/ir.js";
import { isLeaf } from "../ir/ir.js";
import { type EmitContext, indexExpr, read, sourceComments } from "./emit-context.js";
import { numberLiteral, stringLiteral } from "./literals.js";
import { type Rendered, atom, renderNode } from "./render-expr.js";
import { type GemmNode, isElementwise } from "./schedule.js";
import { isZero, sizeFactor, sizeJs } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

function lengthJs(ctx: EmitContext, n: Node): string {
  const dims = n.shape.map((d) => sizeFactor(d, ctx.layout.sizes));
  return dims.length === 0 ? "1" : dims.join(" * ");
}

export function emitParams(ctx: EmitContext, w: CodeWriter): void {
  const { ts } = ctx;
  const decls = new Map(ctx.ir.params.map((p) => [p.name, p]));
  for (const n of ctx.ir.nodes) {
    if (!isLeaf(n) || n.op !== "param") continue;
    const decl = decls.get(n.name)!;
    const name = ctx.layout.nameOf(n.id);
    const get = `weights.get(${stringLiteral(n.name)})`;
    if (n.shape.length === 0) {
      const value =
        decl.fill === null
          ? `${get}${ts.bang}.data[0]${ts.bang}`
          : `${get}?.data[0] ?? ${numberLiteral(decl.fill)}`;
      w.line(`const ${name} = ${value};`);
    } else if (decl.fill === null) {
      w.line(`const ${name} = ${get}${ts.bang}.data${ts.as("Float32Array")};`);
    } else {
      const filled = `new Float32Array(${lengthJs(ctx, n)}).fill(${numberLiteral(decl.fill)})`;
      const data = ts.pick(`(${get}?.data as Float32Array | undefined)`, `${get}?.data`);
      w.line(`const ${name} = ${data} ?? ${filled};`);
    }
  }
}

function emitElementwise(ctx: EmitContext, w: CodeWriter, n: Node): void {
  const name = ctx.layout.nameOf(n.id);
  const arg = (id: ValueId): Rendered => {
    const home = ctx.layout.home(id);
    return atom(
      home.kind === "scalar" ? home.expr : read(ctx, home.array, indexExpr(ctx, null, home, "k")),
    );
  };
  const expr = renderNode(n, arg, ctx.helpers).text;
  if (n.shape.length === 0) {
    w.line(`const ${name} = ${expr};`);
    return;
  }
  w.line(`const ${name} = new Float32Array(${lengthJs(ctx, n)});`);
  w.line(`for (let k = 0; k < ${name}.length; k++) ${name}[k] = ${expr};`);
}

function emitProduct(ctx: EmitContext, w: CodeWriter, n: GemmNode): void {
  const name = ctx.layout.nameOf(n.id);
  const [mat, vec] = [ctx.layout.home(n.args[0]), ctx.layout.home(n.args[1])];
  if (mat.kind !== "array" || vec.kind !== "array") throw new Error("internal: matvec of scalars");
  const bias = n.op === "affine" ? ctx.layout.home(n.args[2]) : null;
  const cols = ctx.ir.nodes[n.args[0]]!.shape[1]!;
  w.line(`const ${name} = new Float32Array(${sizeJs(n.shape[0]!, ctx.layout.sizes)});`);
  w.block(`for (let i = 0; i < ${name}.length; i++)`, () => {
    const start =
      bias === null
        ? "0"
        : bias.kind === "scalar"
          ? bias.expr
          : read(ctx, bias.array, indexExpr(ctx, null, bias, "i"));
    w.line(`let acc = ${start};`);
    const wIndex = `i * ${sizeFactor(cols, ctx.layout.sizes)} + k`;
    const x = read(ctx, vec.array, indexExpr(ctx, null, vec, "k"));
    w.line(
      `for (let k = 0; k < ${sizeJs(cols, ctx.layout.sizes)}; k++) acc += ${read(ctx, mat.array, wIndex)} * ${x};`,
    );
    w.line(`${name}[i] = acc;`);
  });
}

/** Vectors end to end, or matrices stacked by rows: either way, the parts' data one after another. */
function emitConcat(ctx: EmitContext, w: CodeWriter, n: Extract<Node, { op: "concat" }>): void {
  const name = ctx.layout.nameOf(n.id);
  w.line(`const ${name} = new Float32Array(${lengthJs(ctx, n)});`);
  // The rows before each part, kept as one canonical size: a long concat stays linear in length.
  let rows = sizeConst(0);
  for (const part of n.args) {
    const home = ctx.layout.home(part);
    if (home.kind !== "array") throw new Error("internal: concat of a scalar");
    const shape = ctx.ir.nodes[part]!.shape;
    const len = lengthJs(ctx, ctx.ir.nodes[part]!);
    const columns = shape.length === 2 ? ` * ${sizeFactor(shape[1]!, ctx.layout.sizes)}` : "";
    const target = isZero(rows) ? "j" : `${sizeFactor(rows, ctx.layout.sizes)}${columns} + j`;
    w.line(
      `for (let j = 0; j < ${len}; j++) ${name}[${target}] = ${read(ctx, home.array, indexExpr(ctx, null, home, "j"))};`,
    );
    rows = addSizes(rows, shape[0]!);
  }
}

/** A block of columns of a matrix, copied into a matrix of its own. */
function emitColumns(ctx: EmitContext, w: CodeWriter, n: Extract<Node, { op: "columns" }>): void {
  const name = ctx.layout.nameOf(n.id);
  const source = ctx.layout.home(n.args[0]);
  if (source.kind !== "array") throw new Error("internal: columns of a scalar");
  const sizes = ctx.layout.sizes;
  const cols = sizeFactor(ctx.ir.nodes[n.args[0]]!.shape[1]!, sizes);
  const len = sizeFactor(n.len, sizes);
  const start = isZero(n.start) ? "" : `${sizeJs(n.start, sizes)} + `;
  w.line(`const ${name} = new Float32Array(${lengthJs(ctx, n)});`);
  w.block(`for (let r = 0; r < ${sizeJs(n.shape[0]!, sizes)}; r++)`, () => {
    const from = indexExpr(ctx, null, source, `r * ${cols} + ${start}j`);
    w.line(
      `for (let j = 0; j < ${len}; j++) ${name}[r * ${len} + j] = ${read(ctx, source.array, from)};`,
    );
  });
}

/** A load-time vector's sum, in float64 and in order, as the interpreter sums. */
function emitSum(ctx: EmitContext, w: CodeWriter, n: Extract<Node, { op: "sum" }>): void {
  const name = ctx.layout.nameOf(n.id);
  const home = ctx.layout.home(n.args[0]);
  if (home.kind !== "array") throw new Error("internal: sum of a scalar");
  const length = sizeJs(ctx.ir.nodes[n.args[0]]!.shape[0]!, ctx.layout.sizes);
  w.line(`let ${name} = 0;`);
  w.line(
    `for (let k = 0; k < ${length}; k++) ${name} += ${read(ctx, home.array, indexExpr(ctx, null, home, "k"))};`,
  );
}

/** Values that depend on the weights only, computed once per layer. */
export function emitWeightStage(ctx: EmitContext, w: CodeWriter): void {
  const nodes = ctx.sched.weight.filter((n) => n.op !== "slice");
  if (nodes.length === 0) return;
  w.line();
  w.comment("Load time: values that depend on the weights alone.");
  for (const n of nodes) {
    sourceComments(ctx, w, [n]);
    if (isElementwise(n)) emitElementwise(ctx, w, n);
    else if (n.op === "matvec" || n.op === "affine") emitProduct(ctx, w, n);
    else if (n.op === "concat") emitConcat(ctx, w, n);
    else if (n.op === "columns") emitColumns(ctx, w, n);
    else if (n.op === "sum") emitSum(ctx, w, n);
    else throw new Error(`internal: ${n.op} at load time`);
  }
}
