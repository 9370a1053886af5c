// Decides how the generated kernel computes each IR node: at load time (weight stage), before the
// time loop for all steps (sequence stage), or at every step; grouped into kernels (a GEMM, a
// concat, or one fused loop over batch rows and units for a run of element-wise nodes). Inside a
// fused loop a value used once is inlined into its consumer (up to MAX_INLINE_DEPTH levels); a
// value needed elsewhere gets a buffer ("materialized"). Slices are views and cost nothing.
import { type Size, sizeKey } from "../../shared/size.js";
import type { CellIR, Node, NodeOf, Stage, ValueId } from "../ir/ir.js";
import { isBinary, isUnary, rootsOf } from "../ir/ir.js";

/** The stages that run per call, as kernels: before the time loop, and at every step. */
export type KernelStage = "sequence" | "step";

/** A matrix product, plain or starting from a bias. */
export type GemmNode = NodeOf<"matvec"> | NodeOf<"affine">;

export type Kernel =
  | { readonly kind: "gemm"; readonly node: GemmNode }
  | { readonly kind: "concat"; readonly node: NodeOf<"concat"> }
  | { readonly kind: "loop"; readonly length: Size; readonly nodes: readonly Node[] };

export interface Schedule {
  readonly stage: readonly Stage[];
  /** Non-leaf weight-stage nodes, computed once per layer when the kernel is created. */
  readonly weight: readonly Node[];
  readonly sequence: readonly Kernel[];
  readonly step: readonly Kernel[];
  /** Sequence- and step-stage values that live in a buffer (read outside their own loop). */
  readonly materialized: ReadonlySet<ValueId>;
  /** Element-wise values written straight into their single consumer's expression. */
  readonly inlined: ReadonlySet<ValueId>;
  /** The loop kernel each element-wise value is computed in. */
  readonly loopOf: ReadonlyMap<ValueId, Kernel>;
}

/**
 * The deepest expression a statement inlines: a long chain of single-use values (a chain of lets)
 * is cut into statements this deep, so that neither prettier nor a JavaScript parser meets an
 * expression nested thousands of levels.
 */
const MAX_INLINE_DEPTH = 16;

export function isElementwise(n: Node): boolean {
  return isUnary(n) || isBinary(n) || n.op === "select";
}

function leafStage(n: Node): Stage {
  if (n.op === "param" || n.op === "const") return "weight";
  return n.op === "input" ? "sequence" : "step";
}

/**
 * Stages as the `hoist` pass left them; without it, every computed vector runs every step. A
 * computed scalar or matrix can only come from weights and constants (no op reduces a vector),
 * so it is computed at load time either way.
 */
function stagesOf(ir: CellIR): Stage[] {
  return ir.nodes.map((n) => {
    if (n.stage) return n.stage;
    if (n.args.length === 0) return leafStage(n);
    return n.shape.length === 1 ? "step" : "weight";
  });
}

function usersOf(ir: CellIR): ValueId[][] {
  const users: ValueId[][] = ir.nodes.map(() => []);
  for (const n of ir.nodes) for (const a of n.args) users[a]!.push(n.id);
  return users;
}

export function schedule(ir: CellIR): Schedule {
  const stage = stagesOf(ir);
  const users = usersOf(ir);
  const roots = new Set(rootsOf(ir));
  const weight: Node[] = [];
  const kernels: Record<"sequence" | "step", Kernel[]> = { sequence: [], step: [] };
  const loopOf = new Map<ValueId, Kernel>();

  for (const n of ir.nodes) {
    const s = stage[n.id]!;
    if (n.args.length === 0 || n.op === "slice") continue;
    if (s === "weight") {
      weight.push(n);
      continue;
    }
    const list = kernels[s];
    if (n.op === "matvec" || n.op === "affine") list.push({ kind: "gemm", node: n });
    else if (n.op === "concat") list.push({ kind: "concat", node: n });
    else {
      // Join the last kernel if it is a loop of the same length: every argument computed in this
      // stage is then already available (nodes come in topological order).
      const length = n.shape[0]!;
      const last = list[list.length - 1];
      if (last?.kind === "loop" && sizeKey(last.length) === sizeKey(length)) {
        (last.nodes as Node[]).push(n);
        loopOf.set(n.id, last);
      } else {
        const loop: Kernel = { kind: "loop", length, nodes: [n] };
        list.push(loop);
        loopOf.set(n.id, loop);
      }
    }
  }

  const materialized = new Set<ValueId>();
  const inlined = new Set<ValueId>();
  // How deep each inlined value's expression is; past MAX_INLINE_DEPTH it becomes a local.
  const depth = new Map<ValueId, number>();
  for (const n of ir.nodes) {
    const s = stage[n.id]!;
    if (s === "weight" || n.args.length === 0) continue;
    if (n.op === "matvec" || n.op === "affine" || n.op === "concat") {
      materialized.add(n.id);
      continue;
    }
    if (n.op === "slice") continue;
    const loop = loopOf.get(n.id);
    const outside = users[n.id]!.some((u) => loopOf.get(u) !== loop);
    const d = 1 + Math.max(0, ...n.args.map((a) => depth.get(a) ?? 0));
    if (outside || roots.has(n.id)) materialized.add(n.id);
    else if (users[n.id]!.length === 1 && d <= MAX_INLINE_DEPTH) {
      inlined.add(n.id);
      depth.set(n.id, d);
    }
  }
  return {
    stage,
    weight,
    sequence: kernels.sequence,
    step: kernels.step,
    materialized,
    inlined,
    loopOf,
  };
}

export function usesOf(ir: CellIR): readonly number[] {
  return usersOf(ir).map((u) => u.length);
}
