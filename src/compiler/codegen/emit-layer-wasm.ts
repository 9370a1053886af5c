// Emits `createLayerWasm(sizes, weights)`: the same schedule as the JavaScript kernel, with every
// GEMM, fused element-wise loop and copy running as a WebAssembly SIMD function. Everything the
// kernels touch lives in WebAssembly memory (`heap.f32`); variables named after buffers hold float
// indices into it. Inputs and initial states are copied in, outputs and final states copied out,
// once per call; rows are padded (`rowFloats`) so whole vectors fit.
import type { Node, ValueId } from "../ir/ir.js";
import type { PointwiseSpec, WasmSource } from "../wasm/pointwise.js";
import { pointwiseFunction } from "../wasm/pointwise.js";
import type { WasmFunction } from "../wasm/module.js";
import { type EmitContext, sourceComments } from "./emit-context.js";
import { emitParams, emitWeightStage } from "./emit-weights.js";
import { type Home, stateCopies } from "./layout.js";
import { stringLiteral } from "./literals.js";
import type { Kernel } from "./schedule.js";
import { isZero, sizeFactor, sizeJs } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

type Stage = "sequence" | "step";

/** The WebAssembly functions a module's kernels use, collected while emitting. */
export class WasmKernels {
  readonly functions: WasmFunction[] = [];

  add(spec: Omit<PointwiseSpec, "name">): string {
    const name = `loop${this.functions.length}`;
    this.functions.push(pointwiseFunction({ ...spec, name }));
    return name;
  }
}

class WasmLayer {
  /** Heap copies of load-time arrays (matrices packed for GEMM, vectors padded), by JS name. */
  private readonly heapNames = new Map<string, string>();
  private readonly strides = new Map<string, string>();

  constructor(
    private readonly ctx: EmitContext,
    private readonly w: CodeWriter,
    private readonly kernels: WasmKernels,
  ) {}

  private size(s: Parameters<typeof sizeJs>[0]): string {
    return sizeJs(s, this.ctx.layout.sizes);
  }

  /** The variable holding floats per row of a per-sample array. */
  private strideOf(array: string): string {
    if (array === "xs") return "inSize";
    const name = this.strides.get(array);
    if (!name) throw new Error(`internal: no row stride for '${array}'`);
    return name;
  }

  /** `[address of row 0, bytes per row]` of an array operand, for a call in this stage. */
  operand(home: Home, stage: Stage): [string, string] {
    if (home.kind !== "array") throw new Error("internal: a scalar as an array operand");
    const offset = isZero(home.offset) ? "" : ` + ${this.size(home.offset)}`;
    if (home.row === "none") {
      const at = this.heapNames.get(home.array);
      if (!at) throw new Error(`internal: '${home.array}' is not in WebAssembly memory`);
      return [`(${at}${offset}) * 4`, "0"];
    }
    const stride = this.strideOf(home.array);
    const first = home.row === "sequence" && stage === "step" ? ` + t * B * ${stride}` : "";
    return [`(${home.array}${first}${offset}) * 4`, `${stride} * 4`];
  }

  /** Load-time arrays the kernels read, copied into WebAssembly memory once. */
  emitHeapCopies(): void {
    const { ctx, w } = this;
    const all = [...ctx.sched.sequence, ...ctx.sched.step];
    const matrices = new Set<ValueId>();
    const vectors = new Set<ValueId>();
    const needVector = (id: ValueId) => {
      const h = ctx.layout.home(id);
      if (h.kind === "array" && h.row === "none") vectors.add(rootOf(ctx, id));
    };
    for (const k of all) {
      const nodes = k.kind === "loop" ? k.nodes : [k.node];
      if (k.kind === "gemm") matrices.add(k.node.args[0]);
      for (const n of nodes)
        n.args.forEach((a, i) => (k.kind === "gemm" && i === 0 ? null : needVector(a)));
    }
    // State updates and the output may be load-time values too, copied in at every step.
    for (const c of stateCopies(ctx.ir, ctx.layout)) needVector(c.id);
    needVector(ctx.ir.output);
    w.line();
    w.comment("WebAssembly memory: GEMM weights in panels, vectors the kernels read, padded.");
    w.line(`const heap = new Heap${ctx.typed ? "<Kernels>" : ""}(module);`);
    for (const id of matrices) {
      const name = ctx.layout.nameOf(id);
      const [m, k] = ctx.ir.nodes[id]!.shape;
      const packed = ctx.names.claim(`${name}Packed`);
      w.line(`const ${packed} = heap.packed(${name}, ${this.size(m!)}, ${this.size(k!)});`);
      this.heapNames.set(name, packed);
    }
    for (const id of vectors) {
      const name = ctx.layout.nameOf(id);
      const at = ctx.names.claim(`${name}At`);
      const length = this.size(ctx.ir.nodes[id]!.shape[0]!);
      w.line(`const ${at} = heap.vector(${name}, rowFloats(${length}));`);
      this.heapNames.set(name, at);
    }
    const plain = all.flatMap((k) =>
      k.kind === "gemm" && k.node.op === "matvec" ? [k.node.shape[0]!] : [],
    );
    if (plain.length > 0) {
      const longest = plain.map((m) => sizeFactor(m, ctx.layout.sizes)).join(", ");
      w.line(
        `const gemmZeros = heap.alloc(rowFloats(${plain.length > 1 ? `Math.max(${longest})` : longest}));`,
      );
      this.heapNames.set("gemmZeros", "gemmZeros");
    }
  }

  /** Row strides and `allocate(T, B)`, which lays out the per-call buffers. */
  emitAllocate(outLength: string): void {
    const { ctx, w } = this;
    const arrays: { name: string; rows: string; length: string }[] = [
      { name: "xs", rows: "T * B", length: "" },
      { name: "ys", rows: "T * B", length: outLength },
    ];
    for (const b of ctx.layout.buffers) {
      arrays.push({
        name: b.name,
        rows: b.rows === "sequence" ? "T * B" : "B",
        length: this.size(b.length),
      });
    }
    for (const s of ctx.ir.states) {
      const { current, next } = ctx.layout.states.get(s.name)!;
      for (const name of [current, next])
        arrays.push({ name, rows: "B", length: this.size(s.shape[0]!) });
    }
    for (const a of arrays.slice(1)) {
      const stride = ctx.names.claim(`${a.name}Floats`);
      w.line(`const ${stride} = rowFloats(${a.length});`);
      this.strides.set(a.name, stride);
    }
    w.line("const fixed = heap.top;");
    const typed = ctx.typed ? ": number" : "";
    w.block(`function allocate(T${typed}, B${typed}, inSize${typed})`, () => {
      w.comment("Per-call buffers go after the weights; a new size starts over.");
      w.line("heap.top = fixed;");
      w.block(
        "return",
        () => {
          w.line("T,");
          w.line("B,");
          // Three spare rows: a GEMM computes a last partial block of four rows whole.
          w.line("xs: heap.alloc((T * B + 3) * inSize),");
          for (const a of arrays.slice(1))
            w.line(`${a.name}: heap.alloc((${a.rows} + 3) * ${this.strides.get(a.name)}),`);
        },
        "};",
      );
    });
  }

  emitKernels(stage: Stage, kernels: readonly Kernel[]): void {
    for (const k of kernels) {
      sourceComments(this.ctx, this.w, k.kind === "loop" ? k.nodes : [k.node]);
      if (k.kind === "gemm") this.emitGemm(stage, k.node);
      else if (k.kind === "concat") this.emitConcat(stage, k.node);
      else this.emitLoop(stage, k);
    }
  }

  private rows(stage: Stage): string {
    return stage === "sequence" ? "T * B" : "B";
  }

  private emitGemm(stage: Stage, node: Extract<Kernel, { kind: "gemm" }>["node"]): void {
    const { ctx } = this;
    const [mat, vec] = node.args;
    const packed = this.heapNames.get(ctx.layout.nameOf(rootOf(ctx, mat)))!;
    const [m, k] = ctx.ir.nodes[mat]!.shape;
    const x = this.operand(ctx.layout.home(vec), stage);
    const out = this.operand(ctx.layout.home(node.id), stage);
    const bias =
      node.op === "affine"
        ? this.operand(ctx.layout.home(node.args[2]), stage)
        : ["gemmZeros * 4", "0"];
    const args = [
      this.rows(stage),
      this.size(m!),
      this.size(k!),
      `${packed} * 4`,
      ...x,
      ...out,
      ...bias,
    ];
    this.w.line(`kernels.gemm(${args.join(", ")});`);
  }

  private emitConcat(stage: Stage, node: Extract<Node, { op: "concat" }>): void {
    const out = this.ctx.layout.home(node.id);
    let position: Home = out;
    for (const part of node.args) {
      const length = this.ctx.ir.nodes[part]!.shape[0]!;
      const [src, srcStride] = this.operand(this.ctx.layout.home(part), stage);
      const [dst, dstStride] = this.operand(position, stage);
      this.w.line(
        `kernels.copy(${this.rows(stage)}, ${this.size(length)}, ${src}, ${srcStride}, ${dst}, ${dstStride});`,
      );
      if (position.kind === "array")
        position = { ...position, offset: addOffset(position.offset, length) };
    }
  }

  private emitLoop(stage: Stage, kernel: Extract<Kernel, { kind: "loop" }>): void {
    const { ctx } = this;
    const inLoop = new Set(kernel.nodes.map((n) => n.id));
    const operands: string[][] = [];
    const keys = new Map<string, number>();
    const scalars: string[] = [];
    const operandFor = (home: Home): number => {
      const args = this.operand(home, stage);
      const key = args.join("|");
      if (!keys.has(key)) {
        keys.set(key, operands.length);
        operands.push(args);
      }
      return keys.get(key)!;
    };
    const source = (id: ValueId): WasmSource => {
      const n = ctx.ir.nodes[id]!;
      if (n.op === "const") return { kind: "const", value: n.value };
      const home = ctx.layout.home(id);
      if (home.kind === "scalar") {
        scalars.push(home.expr);
        return { kind: "scalar", index: scalars.length - 1 };
      }
      return { kind: "array", operand: operandFor(home) };
    };
    // Resolve every operand now, so the function's parameters are known before it is compiled.
    const sources = new Map<ValueId, WasmSource>();
    for (const n of kernel.nodes)
      for (const a of n.args) if (!inLoop.has(a) && !sources.has(a)) sources.set(a, source(a));
    const stores = new Map<ValueId, number[]>();
    for (const n of kernel.nodes) {
      const targets: number[] = [];
      if (ctx.sched.materialized.has(n.id)) targets.push(operandFor(ctx.layout.home(n.id)));
      if (n.id === ctx.ir.output && stage === "step") targets.push(operandFor(this.outputHome()));
      stores.set(n.id, targets);
    }
    const name = this.kernels.add({
      nodes: kernel.nodes,
      inlined: ctx.sched.inlined,
      source: (id) => sources.get(id)!,
      stores: (id) => stores.get(id) ?? [],
      operands: operands.length,
      scalars: scalars.length,
    });
    const args = [this.rows(stage), this.size(kernel.length), ...operands.flat(), ...scalars];
    this.w.line(`kernels.${name}(${args.join(", ")});`);
  }

  outputHome(): Home {
    return {
      kind: "array",
      array: "ys",
      row: "sequence",
      stride: null,
      offset: { constant: 0, terms: [] },
    };
  }

  /** State updates computed elsewhere, and the output when no loop wrote it, at the end of a step. */
  emitStepCopies(outputInLoop: boolean): void {
    const { ctx } = this;
    const copy = (id: ValueId, into: Home) => {
      const [src, srcStride] = this.operand(ctx.layout.home(id), "step");
      const [dst, dstStride] = this.operand(into, "step");
      const length = this.size(ctx.ir.nodes[id]!.shape[0]!);
      this.w.line(`kernels.copy(B, ${length}, ${src}, ${srcStride}, ${dst}, ${dstStride});`);
    };
    for (const c of stateCopies(ctx.ir, ctx.layout)) {
      const next = ctx.layout.states.get(c.state)!.next;
      copy(c.id, {
        kind: "array",
        array: next,
        row: "batch",
        stride: null,
        offset: { constant: 0, terms: [] },
      });
    }
    if (!outputInLoop) copy(ctx.ir.output, this.outputHome());
  }

  strideName(array: string): string {
    return this.strideOf(array);
  }
}

function addOffset(offset: Parameters<typeof sizeJs>[0], length: Parameters<typeof sizeJs>[0]) {
  const terms = new Map(offset.terms.map((t) => [t.name, t.coeff]));
  for (const t of length.terms) terms.set(t.name, (terms.get(t.name) ?? 0) + t.coeff);
  return {
    constant: offset.constant + length.constant,
    terms: [...terms]
      .filter(([, c]) => c !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, coeff]) => ({ name, coeff })),
  };
}

/** The node whose array a load-time value lives in (a slice lives in its source). */
function rootOf(ctx: EmitContext, id: ValueId): ValueId {
  const n = ctx.ir.nodes[id]!;
  return n.op === "slice" ? rootOf(ctx, n.args[0]) : id;
}

export function emitLayerWasm(ctx: EmitContext, w: CodeWriter, kernels: WasmKernels): void {
  const typed = ctx.typed;
  const signature = typed
    ? "function createLayerWasm(sizes: Sizes, weights: ReadonlyMap<string, Tensor>, module: WasmModule): LayerKernel"
    : "function createLayerWasm(sizes, weights, module)";
  const layer = new WasmLayer(ctx, w, kernels);
  const outLength = sizeJs(ctx.ir.nodes[ctx.ir.output]!.shape[0]!, ctx.layout.sizes);
  w.line("/** One direction of one layer, bound to its weights, computing in WebAssembly SIMD. */");
  w.block(signature, () => {
    for (const [size, name] of ctx.layout.sizes)
      w.line(`const ${name} = sizes.get(${stringLiteral(size)})${typed ? "!" : ""};`);
    emitParams(ctx, w);
    emitWeightStage(ctx, w);
    layer.emitHeapCopies();
    w.line(`const outSize = ${outLength};`);
    layer.emitAllocate("outSize");
    w.line(`let scratch${typed ? ": ReturnType<typeof allocate> | null" : ""} = null;`);
    w.line();
    w.block(
      `return function run(job${typed ? ": LayerRun" : ""})`,
      () => {
        w.line("const { states, inSize, outStride, outOffset, reverse } = job;");
        w.line("const T = job.steps;");
        w.line("const B = job.batch;");
        w.line(
          "if (scratch === null || scratch.B !== B || scratch.T < T) scratch = allocate(T, B, inSize);",
        );
        w.line("const { f32, kernels } = heap;");
        w.line("const { xs, ys } = scratch;");
        for (const b of ctx.layout.buffers) w.line(`const ${b.name} = scratch.${b.name};`);
        w.line("f32.set(job.xs.subarray(0, T * B * inSize), xs);");
        ctx.ir.states.forEach((s, i) => {
          const { current, next } = ctx.layout.states.get(s.name)!;
          const size = sizeFactor(s.shape[0]!, ctx.layout.sizes);
          w.line(`let ${current} = scratch.${current};`);
          w.line(`let ${next} = scratch.${next};`);
          w.line(
            `for (let b = 0; b < B; b++) f32.set(states[${i}]${typed ? "!" : ""}.subarray(b * ${size}, (b + 1) * ${size}), ${current} + b * ${layer.strideName(current)});`,
          );
        });
        if (ctx.sched.sequence.length > 0) {
          w.line();
          w.comment(
            "Before the time loop: what depends on the input alone, for all steps at once.",
          );
          layer.emitKernels("sequence", ctx.sched.sequence);
        }
        w.line();
        const outputInLoop =
          ctx.sched.step.some(
            (k) => k.kind === "loop" && k.nodes.some((n) => n.id === ctx.ir.output),
          ) && ctx.sched.materialized.has(ctx.ir.output);
        w.block("for (let s = 0; s < T; s++)", () => {
          w.line("const t = reverse ? T - 1 - s : s;");
          layer.emitKernels("step", ctx.sched.step);
          layer.emitStepCopies(outputInLoop);
          w.comment("This step's next values become the current ones.");
          for (const s of ctx.ir.states) {
            const { current, next } = ctx.layout.states.get(s.name)!;
            w.block("", () => {
              w.line(`const swap = ${current};`);
              w.line(`${current} = ${next};`);
              w.line(`${next} = swap;`);
            });
          }
        });
        w.comment("Outputs and final states back to the caller.");
        const ysFloats = layer.strideName("ys");
        w.line(
          `for (let r = 0; r < T * B; r++) job.ys.set(f32.subarray(ys + r * ${ysFloats}, ys + r * ${ysFloats} + outSize), r * outStride + outOffset);`,
        );
        ctx.ir.states.forEach((s, i) => {
          const { current } = ctx.layout.states.get(s.name)!;
          const size = sizeFactor(s.shape[0]!, ctx.layout.sizes);
          const stride = layer.strideName(current);
          w.line(
            `for (let b = 0; b < B; b++) states[${i}]${typed ? "!" : ""}.set(f32.subarray(${current} + b * ${stride}, ${current} + b * ${stride} + ${size}), b * ${size});`,
          );
        });
      },
      "};",
    );
  });
}
