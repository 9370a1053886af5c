// Rebuilds IR through a fresh IRBuilder, node by node in order, letting a pass replace any node.
// Re-emitting hash-conses, so structurally equal nodes merge (CSE by construction), and nodes that
// a rewrite bypasses are dropped. Stages are not kept: `hoist` runs after rewriting passes.
import { IRBuilder, attrsOf, keyOf } from "../ir/builder.js";
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
    default:
      return b.emit(n.op, args, attrsOf(n), n.span, n.hint);
  }
}

export function rebuild(ir: CellIR, rewrite?: Rewrite): CellIR {
  const b = new IRBuilder();
  const map: (ValueId | undefined)[] = [];
  const emit = (n: Node): ValueId => {
    const args = n.args.map((a) => map[a]!);
    const id = rewrite?.(n, args, b, moved) ?? reemit(n, args, b);
    if (n.hint !== undefined) b.nameValue(id, n.hint);
    map[n.id] = id;
    return id;
  };
  // Emits an old node (arguments first) if it has no new id yet: lets a rewrite use a node that
  // comes later in the old order, such as a weight that a merged product needs early. Arguments
  // come first by an explicit stack, since what a rewrite asks for may be a long chain.
  const moved = (old: ValueId): ValueId => {
    const stack = [old];
    while (stack.length > 0) {
      const n = ir.nodes[stack[stack.length - 1]!]!;
      const pending = n.args.filter((a) => map[a] === undefined);
      if (map[n.id] !== undefined) stack.pop();
      else if (pending.length > 0)
        stack.push(...pending.reverse()); // leftmost on top: done first
      else {
        emit(n);
        stack.pop();
      }
    }
    return map[old]!;
  };
  for (const n of ir.nodes) moved(n.id);
  const next = new Map([...ir.next].map(([name, id]) => [name, moved(id)]));
  // Bypassed nodes are dropped right away, so the next pass counts only real uses.
  return dce.run({ ...ir, nodes: b.finish(), next, output: moved(ir.output) }, { verify: false });
}

/**
 * Whether two IRs compute the same, node for node: lets a pass return its input unchanged when
 * nothing happened. Hash-consing keys say it (a node's shape follows from its key and its
 * arguments'); spans, hints and stages do not count.
 */
export function sameIR(a: CellIR, b: CellIR): boolean {
  if (a.nodes.length !== b.nodes.length || a.output !== b.output) return false;
  return (
    a.nodes.every((n, i) => keyOf(n) === keyOf(b.nodes[i]!)) &&
    [...a.next].every(([s, id]) => b.next.get(s) === id)
  );
}
