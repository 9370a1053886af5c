// Emits `createLayer(sizes, weights)`: binds one direction of one layer to its weights, computes
// load-time values, and returns `run(job)`, which computes the sequence stage for all steps at
// once and then steps through time. Buffers are reused across calls; nothing is allocated in the
// time loop, and the states are double-buffered (read this step's values, write the next ones).
import { stringLiteral } from "./literals.js";
import { type EmitContext } from "./emit-context.js";
import { emitCopy, emitKernels } from "./emit-loops.js";
import { emitParams, emitWeightStage } from "./emit-weights.js";
import { stateCopies } from "./layout.js";
import { sizeFactor } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

/** The zero bias of plain products (`gemm` always adds a bias; a stride of 0 repeats it). */
function emitGemmZeros(ctx: EmitContext, w: CodeWriter): void {
  const plain = [...ctx.sched.sequence, ...ctx.sched.step].flatMap((k) =>
    k.kind === "gemm" && k.node.op === "matvec" ? [k.node.shape[0]!] : [],
  );
  if (plain.length === 0) return;
  const longest = plain.map((m) => sizeFactor(m, ctx.layout.sizes)).join(", ");
  w.line(
    `const gemmZeros = new Float32Array(${plain.length > 1 ? `Math.max(${longest})` : longest});`,
  );
}

function emitAllocate(ctx: EmitContext, w: CodeWriter): void {
  const typed = ctx.typed ? ": number" : "";
  w.block(`function allocate(T${typed}, B${typed})`, () => {
    w.block(
      "return",
      () => {
        w.line("T,");
        w.line("B,");
        for (const buf of ctx.layout.buffers) {
          const rows = buf.rows === "sequence" ? "T * B" : "B";
          w.line(
            `${buf.name}: new Float32Array(${rows} * ${sizeFactor(buf.length, ctx.layout.sizes)}),`,
          );
        }
        ctx.ir.states.forEach((s) => {
          const { next } = ctx.layout.states.get(s.name)!;
          w.line(`${next}: new Float32Array(B * ${sizeFactor(s.shape[0]!, ctx.layout.sizes)}),`);
        });
      },
      "};",
    );
  });
}

function emitStep(ctx: EmitContext, w: CodeWriter, outputId: number): void {
  const outputInLoop =
    ctx.sched.step.some((k) => k.kind === "loop" && k.nodes.some((n) => n.id === outputId)) &&
    ctx.sched.materialized.has(outputId);
  w.block("for (let s = 0; s < T; s++)", () => {
    w.line("const t = reverse ? T - 1 - s : s;");
    emitKernels(ctx, w, "step", ctx.sched.step, outputId);
    for (const c of stateCopies(ctx.ir, ctx.layout)) emitCopy(ctx, w, c.id, { state: c.state });
    if (!outputInLoop) emitCopy(ctx, w, outputId, "output");
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

export function emitLayer(ctx: EmitContext, w: CodeWriter, name = "createLayer"): void {
  const typed = ctx.typed;
  const signature = typed
    ? `function ${name}(sizes: Sizes, weights: ReadonlyMap<string, Tensor>): LayerKernel`
    : `function ${name}(sizes, weights)`;
  w.line("/** One direction of one layer, bound to its weights. */");
  w.block(signature, () => {
    for (const [size, name] of ctx.layout.sizes)
      w.line(`const ${name} = sizes.get(${stringLiteral(size)})${typed ? "!" : ""};`);
    emitParams(ctx, w);
    emitWeightStage(ctx, w);
    emitGemmZeros(ctx, w);
    w.line();
    emitAllocate(ctx, w);
    w.line(`let scratch${typed ? ": ReturnType<typeof allocate> | null" : ""} = null;`);
    w.line();
    w.block(
      `return function run(job${typed ? ": LayerRun" : ""})`,
      () => {
        w.line("const { xs, ys, states, inSize, outStride, outOffset, reverse } = job;");
        w.line("const T = job.steps;");
        w.line("const B = job.batch;");
        w.line(
          "if (scratch === null || scratch.B !== B || scratch.T < T) scratch = allocate(T, B);",
        );
        for (const buf of ctx.layout.buffers) w.line(`const ${buf.name} = scratch.${buf.name};`);
        ctx.ir.states.forEach((s, i) => {
          const { current, next } = ctx.layout.states.get(s.name)!;
          w.line(`let ${current} = states[${i}]${typed ? "!" : ""};`);
          w.line(`let ${next}${typed ? ": FloatArray" : ""} = scratch.${next};`);
        });
        if (ctx.sched.sequence.length > 0) {
          w.line();
          w.comment(
            "Before the time loop: what depends on the input alone, for all steps at once.",
          );
          emitKernels(ctx, w, "sequence", ctx.sched.sequence, null);
        }
        w.line();
        emitStep(ctx, w, ctx.ir.output);
        ctx.ir.states.forEach((s, i) => {
          const { current } = ctx.layout.states.get(s.name)!;
          w.line(
            `if (${current} !== states[${i}]) states[${i}]${typed ? "!" : ""}.set(${current});`,
          );
        });
      },
      "};",
    );
  });
}
