// The WebAssembly kernels of a layer (see emit-layer.ts for the schedule they fill in): every
// GEMM, fused element-wise loop and copy is a call into a WebAssembly SIMD function, its
// arguments labelled. Inputs and initial states are copied into WebAssembly memory, outputs and
// final states out of it, once per call (wasm-arrays.ts says where everything lives).
import type { NodeOf, ValueId } from "../ir/ir.js";
import type { PointwiseSpec, WasmSource } from "../wasm/pointwise.js";
import { pointwiseFunction } from "../wasm/pointwise.js";
import type { WasmFunction } from "../wasm/module.js";
import { type EmitContext, sourceComments } from "./emit-context.js";
import type { CallArray, CopyTarget, LayerBackend } from "./emit-layer.js";
import type { Home } from "./layout.js";
import { rowsNote } from "./rows.js";
import type { GemmNode, Kernel, KernelStage } from "./schedule.js";
import { addSizes, sizeConst } from "../../shared/size.js";
import { sizeFactor, sizeJs } from "./size-js.js";
import { type Operand, WasmArrays, rootOf } from "./wasm-arrays.js";
import type { CodeWriter } from "./writer.js";

/** The WebAssembly functions a module's kernels use, collected while emitting. */
export class WasmKernels {
  readonly functions: WasmFunction[] = [];

  add(spec: Omit<PointwiseSpec, "name">): string {
    const name = `loop${this.functions.length}`;
    this.functions.push(pointwiseFunction({ ...spec, name }));
    return name;
  }
}

type Args = [string, string][];

/** An operand's two arguments, noted: `what` is the value, then its row stride. */
function noted([address, stride]: Operand, what: string): Args {
  return [
    [address, `${what} (byte address)`],
    [stride, stride === "0" ? "bytes per row: the same row for all" : "bytes per row"],
  ];
}

export class WasmBackend implements LayerBackend {
  readonly functionName = "createLayerWasm";
  readonly doc = "One direction of one layer, bound to its weights, computing in WebAssembly SIMD.";
  readonly stateType = "number";
  readonly ownsStates = true;
  readonly ioArrays: readonly CallArray[] = [
    { name: "xs", rows: "sequence", floats: "inSize" },
    { name: "ys", rows: "sequence", floats: "outSize" },
  ];
  readonly allocateParams = ["T", "B", "inSize"];
  readonly extraParams: readonly string[];
  private readonly arrays: WasmArrays;

  constructor(
    private readonly ctx: EmitContext,
    private readonly w: CodeWriter,
    private readonly kernels: WasmKernels,
  ) {
    this.extraParams = [ctx.ts.param("module", "WasmModule")];
    this.arrays = new WasmArrays(ctx, w);
  }

  emitSetup(arrays: readonly CallArray[]): void {
    this.arrays.emitSetup(arrays);
  }

  emitAllocatePrelude(): void {
    this.w.comment("Per-call buffers go after the weights; a new size starts over.");
    this.w.line("heap.top = fixed;");
  }

  /** Three spare rows: a GEMM computes a last partial block of four rows whole. */
  allocation(a: CallArray): string {
    return `heap.alloc((${a.rows === "sequence" ? "T * B" : "B"} + 3) * ${this.arrays.strideOf(a.name)})`;
  }

  emitBind(): void {
    this.w.line("const { f32, kernels } = heap;");
    this.w.line("const { xs, ys } = scratch;");
    this.w.line("f32.set(job.xs.subarray(0, T * B * inSize), xs);");
  }

  stateStart(_index: number, current: string): string {
    return `scratch.${current}`;
  }

  emitStateIn(index: number, current: string): void {
    const size = this.stateSize(index);
    const stride = this.arrays.strideOf(current);
    const from = `states[${index}]${this.ctx.ts.bang}.subarray(b * ${size}, (b + 1) * ${size})`;
    this.w.line(`for (let b = 0; b < B; b++) f32.set(${from}, ${current} + b * ${stride});`);
  }

  emitKernel(stage: KernelStage, k: Kernel): void {
    if (k.kind === "gemm") this.emitGemm(stage, k.node);
    else if (k.kind === "concat") this.emitConcat(stage, k.node);
    else this.emitLoop(stage, k);
  }

  emitCopy(id: ValueId, into: CopyTarget): void {
    const target: Home = into === "output" ? OUTPUT : this.stateHome(into.state);
    const what = into === "output" ? "output" : `${into.state}'`;
    this.copy("step", id, target, `${this.ctx.layout.label(id)} into ${what}`);
  }

  emitFinish(): void {
    const { ctx, w } = this;
    w.comment("Outputs and final states back to the caller.");
    const ys = this.arrays.strideOf("ys");
    const row = `f32.subarray(ys + r * ${ys}, ys + r * ${ys} + outSize)`;
    w.line(`for (let r = 0; r < T * B; r++) job.ys.set(${row}, r * outStride + outOffset);`);
    ctx.ir.states.forEach((s, i) => {
      const { current } = ctx.layout.states.get(s.name)!;
      const [size, stride] = [this.stateSize(i), this.arrays.strideOf(current)];
      const from = `f32.subarray(${current} + b * ${stride}, ${current} + b * ${stride} + ${size})`;
      w.line(`for (let b = 0; b < B; b++) states[${i}]${ctx.ts.bang}.set(${from}, b * ${size});`);
    });
  }

  private stateSize(index: number): string {
    return sizeFactor(this.ctx.ir.states[index]!.shape[0]!, this.ctx.layout.sizes);
  }

  private stateHome(state: string): Home {
    const array = this.ctx.layout.states.get(state)!.next;
    return { kind: "array", array, row: "batch", stride: null, offset: sizeConst(0) };
  }

  private rows(stage: KernelStage): string {
    return stage === "sequence" ? "T * B" : "B";
  }

  private emitGemm(stage: KernelStage, node: GemmNode): void {
    const { ctx } = this;
    const [mat, vec] = node.args;
    const [m, k] = ctx.ir.nodes[mat]!.shape;
    const home = (id: ValueId) => this.arrays.operand(ctx.layout.home(id), stage);
    const bias: Operand = node.op === "affine" ? home(node.args[2]) : ["gemmZeros * 4", "0"];
    const biasName = node.op === "affine" ? ctx.layout.label(node.args[2]) : "zeros";
    const packed = this.arrays.packed(ctx.layout.nameOf(rootOf(ctx, mat)));
    this.w.call("kernels.gemm", [
      [this.rows(stage), rowsNote(stage)],
      [this.size(m!), "outputs per row"],
      [this.size(k!), "inputs per row"],
      [`${packed} * 4`, `weights: ${ctx.layout.label(mat)}, packed in panels`],
      ...noted(home(vec), `vectors: ${ctx.layout.label(vec)}`),
      ...noted(home(node.id), `results: ${ctx.layout.label(node.id)}`),
      ...noted(bias, `bias: ${biasName}`),
    ]);
  }

  private emitConcat(stage: KernelStage, node: NodeOf<"concat">): void {
    const out = this.ctx.layout.home(node.id);
    let position: Home = out;
    for (const part of node.args) {
      this.copy(
        stage,
        part,
        position,
        `${this.ctx.layout.label(part)} into ${this.ctx.layout.label(node.id)}`,
      );
      if (position.kind === "array") {
        const length = this.ctx.ir.nodes[part]!.shape[0]!;
        position = { ...position, offset: addSizes(position.offset, length) };
      }
    }
  }

  private copy(stage: KernelStage, id: ValueId, into: Home, what: string): void {
    const length = this.size(this.ctx.ir.nodes[id]!.shape[0]!);
    this.w.call("kernels.copy", [
      [this.rows(stage), rowsNote(stage)],
      [length, "floats per row"],
      ...noted(this.arrays.operand(this.ctx.layout.home(id), stage), `from: ${what}`),
      ...noted(this.arrays.operand(into, stage), "to"),
    ]);
  }

  private emitLoop(stage: KernelStage, kernel: Extract<Kernel, { kind: "loop" }>): void {
    const { ctx } = this;
    const call = new LoopCall(ctx, stage, (home) => this.arrays.operand(home, stage));
    const spec = call.spec(kernel);
    const name = this.kernels.add(spec);
    sourceComments(ctx, this.w, kernel.nodes);
    this.w.call(`kernels.${name}`, [
      [this.rows(stage), rowsNote(stage)],
      [this.size(kernel.length), "units per row"],
      ...call.operands.flatMap((o) => noted(o.operand, o.what)),
      ...call.scalars.map((s): [string, string] => [s.expr, `${s.what}: a load-time number`]),
    ]);
  }

  private size(s: Parameters<typeof sizeJs>[0]): string {
    return sizeJs(s, this.ctx.layout.sizes);
  }
}

const OUTPUT: Home = {
  kind: "array",
  array: "ys",
  row: "sequence",
  stride: null,
  offset: sizeConst(0),
};

/**
 * The arguments of one fused loop's call: each array operand once (however many nodes read or
 * write it), noted with the values it holds, and the load-time numbers it reads.
 */
class LoopCall {
  readonly operands: { operand: Operand; what: string }[] = [];
  readonly scalars: { expr: string; what: string }[] = [];
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly ctx: EmitContext,
    private readonly stage: KernelStage,
    private readonly address: (home: Home) => Operand,
  ) {}

  spec(kernel: Extract<Kernel, { kind: "loop" }>): Omit<PointwiseSpec, "name"> {
    const { ctx } = this;
    const inLoop = new Set(kernel.nodes.map((n) => n.id));
    // Resolve every operand now, so the function's parameters are known before it is compiled.
    const sources = new Map<ValueId, WasmSource>();
    for (const n of kernel.nodes)
      for (const a of n.args) if (!inLoop.has(a) && !sources.has(a)) sources.set(a, this.source(a));
    const stores = new Map<ValueId, number[]>();
    for (const n of kernel.nodes) {
      const targets: number[] = [];
      const label = ctx.layout.label(n.id);
      if (ctx.sched.materialized.has(n.id))
        targets.push(this.operandFor(ctx.layout.home(n.id), label));
      if (n.id === ctx.ir.output && this.stage === "step")
        targets.push(this.operandFor(OUTPUT, "output"));
      stores.set(n.id, targets);
    }
    return {
      nodes: kernel.nodes,
      inlined: ctx.sched.inlined,
      source: (id) => sources.get(id)!,
      stores: (id) => stores.get(id) ?? [],
      operands: this.operands.length,
      scalars: this.scalars.length,
    };
  }

  private operandFor(home: Home, label: string): number {
    const operand = this.address(home);
    const key = operand.join("|");
    let index = this.keys.get(key);
    if (index === undefined) {
      index = this.operands.length;
      this.keys.set(key, index);
      this.operands.push({ operand, what: label });
    } else this.operands[index]!.what += `, ${label}`;
    return index;
  }

  private source(id: ValueId): WasmSource {
    const n = this.ctx.ir.nodes[id]!;
    if (n.op === "const") return { kind: "const", value: n.value };
    const home = this.ctx.layout.home(id);
    if (home.kind === "scalar") {
      this.scalars.push({ expr: home.expr, what: this.ctx.layout.label(id) });
      return { kind: "scalar", index: this.scalars.length - 1 };
    }
    const operand = this.operandFor(home, this.ctx.layout.label(id));
    return home.rowScalar ? { kind: "rowScalar", operand } : { kind: "array", operand };
  }
}
