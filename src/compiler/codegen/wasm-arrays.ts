// Where a WebAssembly layer's arrays live: everything the kernels touch is in WebAssembly memory
// (`heap.f32`), and variables named after buffers hold float indices into it. Load-time matrices
// are copied in once, packed into the GEMM's panels; load-time vectors once, padded; per-call
// arrays get rows of `rowFloats` floats, so a whole vector never runs past a row's end.
import type { ValueId } from "../ir/ir.js";
import type { EmitContext } from "./emit-context.js";
import { type CallArray, plainProductRows } from "./emit-layer.js";
import { type Home, stateCopies } from "./layout.js";
import type { Kernel, KernelStage } from "./schedule.js";
import { isZero, sizeJs } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

/** `[address of row 0, bytes per row]` of an array operand, as kernel arguments. */
export type Operand = readonly [address: string, stride: string];

export class WasmArrays {
  /** Heap copies of load-time arrays (matrices packed for GEMM, vectors padded), by JS name. */
  private readonly heapNames = new Map<string, string>();
  /** Floats per row of each per-call array. */
  private readonly strides = new Map<string, string>([["xs", "inSize"]]);

  constructor(
    private readonly ctx: EmitContext,
    private readonly w: CodeWriter,
  ) {}

  /** The variable holding floats per row of a per-call array. */
  strideOf(array: string): string {
    const name = this.strides.get(array);
    if (!name) throw new Error(`internal: no row stride for '${array}'`);
    return name;
  }

  /** The heap copy of a packed load-time matrix. */
  packed(array: string): string {
    const at = this.heapNames.get(array);
    if (!at) throw new Error(`internal: '${array}' is not packed in WebAssembly memory`);
    return at;
  }

  operand(home: Home, stage: KernelStage): Operand {
    if (home.kind !== "array") throw new Error("internal: a scalar as an array operand");
    const offset = isZero(home.offset) ? "" : ` + ${sizeJs(home.offset, this.ctx.layout.sizes)}`;
    if (home.row === "none") {
      const at = this.heapNames.get(home.array);
      if (!at) throw new Error(`internal: '${home.array}' is not in WebAssembly memory`);
      return [`(${at}${offset}) * 4`, "0"];
    }
    const stride = this.strideOf(home.array);
    const first = home.row === "sequence" && stage === "step" ? ` + t * B * ${stride}` : "";
    return [`(${home.array}${first}${offset}) * 4`, `${stride} * 4`];
  }

  /** Load-time arrays the kernels read, copied into WebAssembly memory once, then row strides. */
  emitSetup(arrays: readonly CallArray[]): void {
    const { ctx, w } = this;
    const { matrices, vectors } = this.loadTimeOperands();
    const size = (s: Parameters<typeof sizeJs>[0]) => sizeJs(s, ctx.layout.sizes);
    w.line();
    w.comment("WebAssembly memory: GEMM weights in panels, vectors the kernels read, padded.");
    w.line(`const heap = new Heap${ctx.ts.args("Kernels")}(module);`);
    for (const id of matrices) {
      const name = ctx.layout.nameOf(id);
      const [m, k] = ctx.ir.nodes[id]!.shape;
      const packed = ctx.names.claim(`${name}Packed`);
      w.line(`const ${packed} = heap.packed(${name}, ${size(m!)}, ${size(k!)});`);
      this.heapNames.set(name, packed);
    }
    for (const id of vectors) {
      const name = ctx.layout.nameOf(id);
      const at = ctx.names.claim(`${name}At`);
      w.line(
        `const ${at} = heap.vector(${name}, rowFloats(${size(ctx.ir.nodes[id]!.shape[0]!)}));`,
      );
      this.heapNames.set(name, at);
    }
    const zeros = plainProductRows(ctx);
    if (zeros !== null) {
      w.line(`const gemmZeros = heap.alloc(rowFloats(${zeros}));`);
      this.heapNames.set("gemmZeros", "gemmZeros");
    }
    w.line(`const outSize = ${size(ctx.ir.nodes[ctx.ir.output]!.shape[0]!)};`);
    for (const a of arrays) {
      if (this.strides.has(a.name)) continue;
      const stride = ctx.names.claim(`${a.name}Floats`);
      w.line(`const ${stride} = rowFloats(${a.floats});`);
      this.strides.set(a.name, stride);
    }
    w.line("const fixed = heap.top;");
  }

  /** Matrices the GEMMs read, and load-time vectors any kernel or end-of-step copy reads. */
  private loadTimeOperands(): { matrices: Set<ValueId>; vectors: Set<ValueId> } {
    const { ctx } = this;
    const matrices = new Set<ValueId>();
    const vectors = new Set<ValueId>();
    const needVector = (id: ValueId) => {
      const h = ctx.layout.home(id);
      if (h.kind === "array" && h.row === "none") vectors.add(rootOf(ctx, id));
    };
    const kernels: Kernel[] = [...ctx.sched.sequence, ...ctx.sched.step];
    for (const k of kernels) {
      if (k.kind === "gemm") matrices.add(k.node.args[0]);
      const nodes = k.kind === "loop" ? k.nodes : [k.node];
      for (const n of nodes)
        n.args.forEach((a, i) => (k.kind === "gemm" && i === 0 ? null : needVector(a)));
    }
    // State updates and the output may be load-time values too, copied in at every step.
    for (const c of stateCopies(ctx.ir, ctx.layout)) needVector(c.id);
    needVector(ctx.ir.output);
    return { matrices, vectors };
  }
}

/** The node whose array a load-time value lives in (a slice lives in its source). */
export function rootOf(ctx: EmitContext, id: ValueId): ValueId {
  let n = ctx.ir.nodes[id]!;
  while (n.op === "slice") n = ctx.ir.nodes[n.args[0]]!;
  return n.id;
}
