// Row bases for per-sample arrays inside a loop over samples: `const zRow = b * (4 * H);` is
// declared once per array at the top of the sample loop, and elements are `z[zRow + j]`.
import type { EmitContext } from "./emit-context.js";
import type { Home } from "./layout.js";
import type { KernelStage } from "./schedule.js";
import { sizeFactor } from "./size-js.js";

const baseNames = new WeakMap<EmitContext, Map<string, string>>();

function baseName(ctx: EmitContext, array: string): string {
  let names = baseNames.get(ctx);
  if (!names) baseNames.set(ctx, (names = new Map()));
  let name = names.get(array);
  if (!name) names.set(array, (name = ctx.names.claim(`${array}Row`, "row")));
  return name;
}

export class RowBases {
  private readonly declared = new Map<string, string>();
  private usesStepRow = false;

  constructor(
    private readonly ctx: EmitContext,
    private readonly stage: KernelStage,
  ) {}

  /** The row-base variable to index `home` with, or null for load-time arrays. */
  base(home: Home): string | null {
    if (home.kind !== "array" || home.row === "none") return null;
    const name = baseName(this.ctx, home.array);
    if (!this.declared.has(name)) {
      const stride =
        home.stride === "inSize" ? "inSize" : sizeFactor(home.stride!, this.ctx.layout.sizes);
      this.declared.set(name, `${this.rowIndex(home.row)} * ${stride}`);
    }
    return name;
  }

  /** The output row: `ys[ysRow + j]`. */
  outputBase(): string {
    const name = baseName(this.ctx, "ys");
    this.declared.set(name, `${this.rowIndex("sequence")} * outStride + outOffset`);
    return name;
  }

  /** Declarations to put at the top of the sample loop, before the element loop. */
  declarations(): string[] {
    const lines = this.usesStepRow ? ["const tb = t * B + b;"] : [];
    for (const [name, value] of this.declared) lines.push(`const ${name} = ${value};`);
    return lines;
  }

  private rowIndex(row: "sequence" | "batch"): string {
    if (this.stage === "sequence") return "r";
    if (row === "batch") return "b";
    this.usesStepRow = true;
    return "tb";
  }
}

/** `for (let b = 0; b < B; b++)` or, before the time loop, over all T * B rows. */
export function sampleLoopHeader(stage: KernelStage): string {
  return stage === "sequence" ? "for (let r = 0; r < T * B; r++)" : "for (let b = 0; b < B; b++)";
}

/** What the rows of a kernel call are. */
export function rowsNote(stage: KernelStage): string {
  return stage === "sequence" ? "rows: every (step, sample) pair" : "rows: every sample";
}
