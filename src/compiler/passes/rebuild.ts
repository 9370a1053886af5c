// Rebuilds IR through a fresh IRBuilder, node by node in order, letting a pass replace any node.
// Re-emitting hash-conses, so structurally equal nodes merge (CSE by construction), and nodes that
// a rewrite bypasses are dropped. Stages are not kept: `hoist` runs after rewriting passes.
import { IRBuilder } from "../ir/builder.js";
import type { CellIR, Node, ValueId } from "../ir/ir.js";
import { dce } from "./dce.js";

/**
 * Returns the new id for `n` (built from `args`, its arguments' new ids), or null to keep it.
 * `moved(id)` gives the new id of any earlier node of the old IR.
 */
export type Rewrite = (
  n: Node,
  args: readonly ValueId[],
  b: IRBuilder,
  moved: (old: ValueId) => ValueId,
) => ValueId | null;

export function reemit(n: Node, args: readonly ValueId[], b: IRBuilder): ValueId {
  switch (n.op) {
    case "input":
    case "state":
    case "param":
      return b.leaf(n.op, n.name, n.shape, n.span);
    case "const":
      return b.constant(n.value, n.span);
    case "slice":
    case "columns":
      return b.emit(n.op, args, { start: n.start, len: n.len }, n.span, n.hint);
    default:
      return b.emit(n.op, args, {}, n.span, n.hint);
  }
}

export function rebuild(ir: CellIR, rewrite?: Rewrite): CellIR {
  const b = new IRBuilder();
  const map: (ValueId | undefined)[] = [];
  // Emits an old node (arguments first) if it has no new id yet: lets a rewrite use a node that
  // comes later in the old order, such as a weight that a merged product needs early.
  const moved = (old: ValueId): ValueId => {
    const known = map[old];
    if (known !== undefined) return known;
    const n = ir.nodes[old]!;
    const args = n.args.map(moved);
    const id = rewrite?.(n, args, b, moved) ?? reemit(n, args, b);
    if (n.hint !== undefined) b.nameValue(id, n.hint);
    map[old] = id;
    return id;
  };
  for (const n of ir.nodes) moved(n.id);
  const next = new Map([...ir.next].map(([name, id]) => [name, moved(id)]));
  // Bypassed nodes are dropped right away, so the next pass counts only real uses.
  return dce.run({ ...ir, nodes: b.finish(), next, output: moved(ir.output) }, { verify: false });
}

/** Whether two IRs print the same: lets a pass return its input unchanged when nothing happened. */
export function sameIR(a: CellIR, b: CellIR): boolean {
  if (a.nodes.length !== b.nodes.length || a.output !== b.output) return false;
  const key = (n: Node) => JSON.stringify({ ...n, span: null, hint: null, stage: null });
  return (
    a.nodes.every((n, i) => key(n) === key(b.nodes[i]!)) &&
    [...a.next].every(([s, id]) => b.next.get(s) === id)
  );
}
