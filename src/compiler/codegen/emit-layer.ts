// Emits one layer function, `createLayerJs(sizes, weights)` or `createLayerWasm(...)`: it binds
// one direction of one layer to its weights, computes load-time values, and returns `run(job)`,
// which computes the sequence stage for all steps at once and then steps through time. This file
// is the schedule, written once for both targets; a LayerBackend (backend-js.ts, backend-wasm.ts)
// says where arrays live and writes the kernels. Buffers are reused across calls, nothing is
// allocated in the time loop, and states are double-buffered (read this step's, write the next).
// With sequence lengths, every row is still computed at every step; a sample with no valid step
// at t then gets its current states back as its next ones, so both buffers hold them.
import type { ValueId } from "../ir/ir.js";
import type { EmitContext } from "./emit-context.js";
import { sourceComments } from "./emit-context.js";
import { emitParams, emitWeightStage } from "./emit-weights.js";
import { stateCopies } from "./layout.js";
import { stringLiteral } from "./literals.js";
import type { Kernel, KernelStage } from "./schedule.js";
import { sizeFactor } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

/** Where a value is copied at the end of a step when no kernel computed it in place. */
export type CopyTarget = { readonly state: string } | "output";

/** An array of `allocate`'s: one row per (step, sample) pair or per sample, `floats` per row. */
export interface CallArray {
  readonly name: string;
  readonly rows: KernelStage;
  readonly floats: string;
}

/** What differs between the JavaScript and the WebAssembly kernels of one layer. */
export interface LayerBackend {
  readonly functionName: string;
  readonly doc: string;
  /** Parameters after `sizes, weights`, annotated. */
  readonly extraParams: readonly string[];
  /** The type of a state's current and next buffer variables (swapped every step). */
  readonly stateType: string;
  /** Whether the kernels keep states in buffers of their own, copied in and out per call. */
  readonly ownsStates: boolean;
  /** Arrays of `allocate` before the layout's buffers (the input and output, if kept apart). */
  readonly ioArrays: readonly CallArray[];
  readonly allocateParams: readonly string[];
  /** After the load-time values: weights and constants where the kernels read them. */
  emitSetup(arrays: readonly CallArray[]): void;
  emitAllocatePrelude(): void;
  allocation(array: CallArray): string;
  /** At the top of `run`: the input and output arrays the kernels use. */
  emitBind(): void;
  /** The value a state's current buffer starts as, and any copy into it. */
  stateStart(index: number, current: string): string;
  emitStateIn(index: number, current: string): void;
  emitKernel(stage: KernelStage, kernel: Kernel): void;
  emitCopy(id: ValueId, into: CopyTarget): void;
  /** Copies row `b` of a state's current buffer into its next one: the sample keeps its state. */
  emitKeepState(index: number, current: string, next: string): void;
  /** After the time loop: outputs and final states back where the caller reads them. */
  emitFinish(): void;
}

/** `allocate(T, B)` with the backend's arrays and the layout's, then states' buffers. */
function callArrays(ctx: EmitContext, backend: LayerBackend): CallArray[] {
  const floats = (s: Parameters<typeof sizeFactor>[0]) => sizeFactor(s, ctx.layout.sizes);
  const arrays: CallArray[] = [...backend.ioArrays];
  for (const b of ctx.layout.buffers) {
    arrays.push({
      name: b.name,
      rows: b.rows === "sequence" ? "sequence" : "step",
      floats: floats(b.length),
    });
  }
  for (const s of ctx.ir.states) {
    const { current, next } = ctx.layout.states.get(s.name)!;
    const names = backend.ownsStates ? [current, next] : [next];
    for (const name of names) arrays.push({ name, rows: "step", floats: floats(s.shape[0]!) });
  }
  return arrays;
}

function emitAllocate(
  ctx: EmitContext,
  w: CodeWriter,
  backend: LayerBackend,
  arrays: readonly CallArray[],
): void {
  const params = backend.allocateParams.map((p) => ctx.ts.param(p, "number"));
  w.block(`function allocate(${params.join(", ")})`, () => {
    backend.emitAllocatePrelude();
    w.block(
      "return",
      () => {
        w.line("T,");
        w.line("B,");
        for (const a of arrays) w.line(`${a.name}: ${backend.allocation(a)},`);
      },
      "};",
    );
  });
  w.line(`let scratch${ctx.ts.type("ReturnType<typeof allocate> | null")} = null;`);
}

/** Whether a loop of the step stage stores the output (else it is copied at the end of a step). */
function outputInLoop(ctx: EmitContext): boolean {
  const output = ctx.ir.output;
  const inLoop = ctx.sched.step.some(
    (k) => k.kind === "loop" && k.nodes.some((n) => n.id === output),
  );
  return inLoop && ctx.sched.materialized.has(output);
}

function emitKernels(
  ctx: EmitContext,
  w: CodeWriter,
  backend: LayerBackend,
  stage: KernelStage,
  kernels: readonly Kernel[],
): void {
  for (const k of kernels) {
    // A fused loop names its lines statement by statement (or call by call) itself.
    if (k.kind !== "loop") sourceComments(ctx, w, [k.node]);
    backend.emitKernel(stage, k);
  }
}

function emitTimeLoop(ctx: EmitContext, w: CodeWriter, backend: LayerBackend): void {
  w.block("for (let s = 0; s < T; s++)", () => {
    w.line("const t = reverse ? T - 1 - s : s;");
    emitKernels(ctx, w, backend, "step", ctx.sched.step);
    for (const c of stateCopies(ctx.ir, ctx.layout)) backend.emitCopy(c.id, { state: c.state });
    if (!outputInLoop(ctx)) backend.emitCopy(ctx.ir.output, "output");
    emitKeptStates(ctx, w, backend);
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
}

/**
 * Samples without a valid step at t (t >= their length: finished, or in reverse not yet started)
 * keep their states: what the step computed for them is overwritten with the current values.
 */
function emitKeptStates(ctx: EmitContext, w: CodeWriter, backend: LayerBackend): void {
  if (ctx.ir.states.length === 0) return;
  w.comment("A sample past its length keeps its states (in reverse: until its last step).");
  w.block("if (lengths !== null)", () =>
    w.block("for (let b = 0; b < B; b++)", () => {
      w.line(`if (t < lengths[b]${ctx.ts.bang}) continue;`);
      ctx.ir.states.forEach((s, i) => {
        const { current, next } = ctx.layout.states.get(s.name)!;
        backend.emitKeepState(i, current, next);
      });
    }),
  );
}

function emitRun(ctx: EmitContext, w: CodeWriter, backend: LayerBackend): void {
  const allocateArgs = backend.allocateParams.join(", ");
  w.line("const { states, inSize, outStride, outOffset, reverse, lengths } = job;");
  w.line("const T = job.steps;");
  w.line("const B = job.batch;");
  w.line(
    `if (scratch === null || scratch.B !== B || scratch.T < T) scratch = allocate(${allocateArgs});`,
  );
  backend.emitBind();
  for (const b of ctx.layout.buffers) w.line(`const ${b.name} = scratch.${b.name};`);
  const stateType = ctx.ts.type(backend.stateType);
  ctx.ir.states.forEach((s, i) => {
    const { current, next } = ctx.layout.states.get(s.name)!;
    w.line(`let ${current}${stateType} = ${backend.stateStart(i, current)};`);
    w.line(`let ${next}${stateType} = scratch.${next};`);
    backend.emitStateIn(i, current);
  });
  if (ctx.sched.sequence.length > 0) {
    w.line();
    w.comment("Before the time loop: what depends on the input alone, for all steps at once.");
    emitKernels(ctx, w, backend, "sequence", ctx.sched.sequence);
  }
  w.line();
  emitTimeLoop(ctx, w, backend);
  backend.emitFinish();
}

export function emitLayer(ctx: EmitContext, w: CodeWriter, backend: LayerBackend): void {
  const params = [
    ctx.ts.param("sizes", "Sizes"),
    ctx.ts.param("weights", "ReadonlyMap<string, Tensor>"),
    ...backend.extraParams,
  ];
  w.line(`/** ${backend.doc} */`);
  w.block(
    `function ${backend.functionName}(${params.join(", ")})${ctx.ts.type("LayerKernel")}`,
    () => {
      for (const [size, name] of ctx.layout.sizes)
        w.line(`const ${name} = sizes.get(${stringLiteral(size)})${ctx.ts.bang};`);
      emitParams(ctx, w);
      emitWeightStage(ctx, w);
      const arrays = callArrays(ctx, backend);
      backend.emitSetup(arrays);
      w.line();
      emitAllocate(ctx, w, backend, arrays);
      w.line();
      w.block(
        `return function run(${ctx.ts.param("job", "LayerRun")})`,
        () => emitRun(ctx, w, backend),
        "};",
      );
    },
  );
}

/** The longest plain (bias-free) product's rows, for the zero bias `gemm` starts them from. */
export function plainProductRows(ctx: EmitContext): string | null {
  const plain = [...ctx.sched.sequence, ...ctx.sched.step].flatMap((k) =>
    k.kind === "gemm" && k.node.op === "matvec"
      ? [sizeFactor(k.node.shape[0]!, ctx.layout.sizes)]
      : [],
  );
  if (plain.length === 0) return null;
  return plain.length > 1 ? `Math.max(${plain.join(", ")})` : plain[0]!;
}
