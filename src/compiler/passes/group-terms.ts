// Regroups sums by stage, so that what depends on the weights alone is summed once at load time
// and what depends on the input alone joins the input projection before the time loop:
//   W_ih @ x + b_ih + W_hh @ h + b_hh  ->  W_hh @ h + (W_ih @ x + (b_ih + b_hh))
// A sum is a tree of `add`s whose inner nodes have no other use. Terms keep their order within
// a stage. This reassociates float additions (as any BLAS-backed LSTM does), so results may
// differ in the last bits. Requires: verified IR. Guarantees: in every sum, the terms of each
// stage are added together before terms of a later stage. Idempotent.
import type { IRBuilder } from "../ir/builder.js";
import type { CellIR, Stage, ValueId } from "../ir/ir.js";
import { shapeEquals } from "../../shared/size.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";
import { computeStages } from "./stages.js";

const ORDER: readonly Stage[] = ["step", "sequence", "weight"];

/** The add nodes that are inner parts of a larger sum (used once, by an add of the same shape). */
function innerAdds(ir: CellIR): Set<ValueId> {
  const users = ir.nodes.map(() => [] as ValueId[]);
  for (const n of ir.nodes) for (const a of n.args) users[a]!.push(n.id);
  const roots = new Set([...ir.next.values(), ir.output]);
  const inner = new Set<ValueId>();
  for (const n of ir.nodes) {
    const [user] = users[n.id]!;
    const single = users[n.id]!.length === 1 && user !== undefined && !roots.has(n.id);
    const parent = single ? ir.nodes[user]! : null;
    if (n.op === "add" && parent?.op === "add" && shapeEquals(parent.shape, n.shape))
      inner.add(n.id);
  }
  return inner;
}

/** The terms of the sum rooted at `id`, left to right (a stack, not recursion: sums can be long). */
function terms(ir: CellIR, id: ValueId, inner: ReadonlySet<ValueId>): ValueId[] {
  const out: ValueId[] = [];
  const stack = [id];
  for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
    const n = ir.nodes[t]!;
    if (n.op === "add" && (t === id || inner.has(t))) stack.push(n.args[1], n.args[0]);
    else out.push(t);
  }
  return out;
}

function sum(
  b: IRBuilder,
  ids: readonly ValueId[],
  span: CellIR["nodes"][number]["span"],
): ValueId | null {
  return ids.reduce<ValueId | null>(
    (acc, t) => (acc === null ? t : b.emit("add", [acc, t], {}, span)),
    null,
  );
}

export const groupTerms: Pass = {
  name: "group-terms",
  run(ir) {
    const stages = computeStages(ir.nodes);
    const inner = innerAdds(ir);
    const out = rebuild(ir, (n, _args, b, moved) => {
      if (n.op !== "add" || inner.has(n.id)) return null;
      const all = terms(ir, n.id, inner);
      const byStage = ORDER.map((s) => all.filter((t) => stages[t] === s).map(moved));
      if (byStage.filter((g) => g.length > 0).length < 2) return null;
      // The latest stage's terms first, then the sum of everything earlier, innermost earliest.
      const plus = (x: ValueId | null, y: ValueId | null): ValueId | null =>
        x === null ? y : y === null ? x : b.emit("add", [x, y], {}, n.span);
      const [step, sequence, weight] = byStage.map((g) => sum(b, g, n.span));
      const result = plus(step ?? null, plus(sequence ?? null, weight ?? null))!;
      return shapeEquals(b.node(result).shape, n.shape) ? result : null;
    });
    return sameIR(ir, out) ? ir : out;
  },
};
