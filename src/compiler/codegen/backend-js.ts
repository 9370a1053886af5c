// The JavaScript kernels of a layer (see emit-layer.ts for the schedule they fill in): arrays are
// Float32Arrays of their own, the input and output are the caller's arrays, read and written in
// place, and a state's buffers start as the caller's (L*D, B, size) view.
import type { ValueId } from "../ir/ir.js";
import type { EmitContext } from "./emit-context.js";
import {
  type CallArray,
  type CopyTarget,
  type LayerBackend,
  plainProductRows,
} from "./emit-layer.js";
import { emitConcat, emitCopy, emitElementwise, emitGemm } from "./emit-loops.js";
import type { Kernel, KernelStage } from "./schedule.js";
import { sizeFactor, sizeJs } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

export class JsBackend implements LayerBackend {
  readonly doc = "One direction of one layer, bound to its weights.";
  readonly extraParams: readonly string[] = [];
  readonly stateType = "FloatArray";
  readonly ownsStates = false;
  readonly ioArrays: readonly CallArray[] = [];
  readonly allocateParams = ["T", "B"];

  constructor(
    private readonly ctx: EmitContext,
    private readonly w: CodeWriter,
    readonly functionName: string,
  ) {}

  emitSetup(): void {
    const rows = plainProductRows(this.ctx);
    if (rows !== null) this.w.line(`const gemmZeros = new Float32Array(${rows});`);
  }

  emitAllocatePrelude(): void {}

  allocation(a: CallArray): string {
    return `new Float32Array(${a.rows === "sequence" ? "T * B" : "B"} * ${a.floats})`;
  }

  emitBind(): void {
    this.w.line("const { xs, ys } = job;");
  }

  stateStart(index: number): string {
    return `states[${index}]${this.ctx.ts.bang}`;
  }

  emitStateIn(): void {}

  emitKernel(stage: KernelStage, k: Kernel): void {
    if (k.kind === "loop") emitElementwise(this.ctx, this.w, stage, k);
    else if (k.kind === "gemm") emitGemm(this.ctx, this.w, stage, k.node);
    else emitConcat(this.ctx, this.w, stage, k.node);
  }

  emitCopy(id: ValueId, into: CopyTarget): void {
    emitCopy(this.ctx, this.w, id, into);
  }

  /** An element at a time: a subarray would allocate in the time loop. */
  emitKeepState(index: number, current: string, next: string): void {
    const { ctx } = this;
    const size = ctx.ir.states[index]!.shape[0]!;
    const row = `b * ${sizeFactor(size, ctx.layout.sizes)} + j`;
    this.w.line(
      `for (let j = 0; j < ${sizeJs(size, ctx.layout.sizes)}; j++) ${next}[${row}] = ${current}[${row}]${ctx.ts.bang};`,
    );
  }

  /** The final states are in the caller's arrays unless an odd number of swaps left them here. */
  emitFinish(): void {
    this.ctx.ir.states.forEach((s, i) => {
      const { current } = this.ctx.layout.states.get(s.name)!;
      this.w.line(
        `if (${current} !== states[${i}]) states[${i}]${this.ctx.ts.bang}.set(${current});`,
      );
    });
  }
}
