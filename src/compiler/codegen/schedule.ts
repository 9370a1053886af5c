// Decides how the generated kernel computes each IR node: at load time (weight stage), before the
// time loop for all steps (sequence stage), or at every step; grouped into kernels (a GEMM, a
// concat, or one fused loop over batch rows and units for a run of element-wise nodes). Inside a
// fused loop a value used once is inlined into its consumer (up to MAX_INLINE_DEPTH levels); a
// value needed elsewhere gets a buffer ("materialized"). Slices are views and cost nothing.
// A reduction (`sum`) accumulates in the loop that computes its operand, so it costs no pass of
// its own; what reads its result (one number per row) starts a later loop. Arithmetic on such
// per-row numbers runs in a loop of its own with one element per row (`scalar`).
import { type Size, sizeConst, sizeKey } from "../../shared/size.js";
import type { CellIR, Node, NodeOf, Stage, ValueId } from "../ir/ir.js";
import { isBinary, isUnary, rootsOf } from "../ir/ir.js";

/** The stages that run per call, as kernels: before the time loop, and at every step. */
export type KernelStage = "sequence" | "step";

/** A matrix product, plain or starting from a bias. */
export type GemmNode = NodeOf<"matvec"> | NodeOf<"affine">;

export type Kernel =
  | { readonly kind: "gemm"; readonly node: GemmNode }
  | { readonly kind: "concat"; readonly node: NodeOf<"concat"> }
  | {
      readonly kind: "loop";
      readonly length: Size;
      readonly nodes: readonly Node[];
      /** One element per row: arithmetic on per-row numbers such as a mean. */
      readonly scalar: boolean;
    };

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

/** Whether a node is computed in a loop over units, element by element. */
export function isElementwise(n: Node): boolean {
  return isUnary(n) || isBinary(n) || n.op === "select";
}

function leafStage(n: Node): Stage {
  if (n.op === "param" || n.op === "const" || n.op === "size") return "weight";
  return n.op === "input" ? "sequence" : "step";
}

/**
 * Stages as the `hoist` pass left them; without it, every computed vector runs every step. A
 * computed scalar or matrix runs at load time when it depends on weights and constants alone
 * (a matrix always does), and at every step when it reduces a vector.
 */
function stagesOf(ir: CellIR): Stage[] {
  const stages: Stage[] = [];
  for (const n of ir.nodes) {
    if (n.stage) stages.push(n.stage);
    else if (n.args.length === 0) stages.push(leafStage(n));
    else if (n.shape.length === 1) stages.push("step");
    else stages.push(n.args.some((a) => stages[a] !== "weight") ? "step" : "weight");
  }
  return stages;
}

/**
 * The loop of `list` that computes `n`, an element-wise node or a reduction: the last kernel if it
 * can take it, else a new one. A node joins a loop over as many units (a reduction: over its
 * operand's units) that computes no reduction it reads: that one is complete only after the loop.
 */
type LoopKernel = Extract<Kernel, { kind: "loop" }>;

function loopFor(
  ir: CellIR,
  list: Kernel[],
  n: Node,
  loopOf: ReadonlyMap<ValueId, Kernel>,
): LoopKernel {
  const scalar = n.op !== "sum" && n.shape.length === 0;
  const length = n.op === "sum" ? ir.nodes[n.args[0]]!.shape[0]! : (n.shape[0] ?? sizeConst(1));
  const last = list[list.length - 1];
  const readsOwnReduction = n.args.some((a) => ir.nodes[a]!.op === "sum" && loopOf.get(a) === last);
  if (
    last?.kind === "loop" &&
    last.scalar === scalar &&
    sizeKey(last.length) === sizeKey(length) &&
    !readsOwnReduction
  ) {
    return last;
  }
  const loop: LoopKernel = { kind: "loop", length, nodes: [], scalar };
  list.push(loop);
  return loop;
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
      // Nodes come in topological order: what a loop reads from another kernel is computed.
      const loop = loopFor(ir, list, n, loopOf);
      (loop.nodes as Node[]).push(n);
      loopOf.set(n.id, loop);
    }
  }

  const materialized = new Set<ValueId>();
  const inlined = new Set<ValueId>();
  // How deep each inlined value's expression is; past MAX_INLINE_DEPTH it becomes a local.
  const depth = new Map<ValueId, number>();
  for (const n of ir.nodes) {
    const s = stage[n.id]!;
    if (s === "weight" || n.args.length === 0) continue;
    // A reduction's result is read by later kernels only: it always has a buffer.
    if (n.op === "matvec" || n.op === "affine" || n.op === "concat" || n.op === "sum") {
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
