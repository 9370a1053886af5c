// Hand edits of lowered IR, for passes that the front end never gives work: the builder
// hash-conses and lowering drops dead code, so duplicates and dead nodes must be made by hand.
import type { CellIR, Node, ValueId } from "../../src/compiler/ir/ir.js";

type Loose = Record<string, unknown> & { id: ValueId; args: readonly ValueId[] };

/**
 * Inserts `node` (its args in the old numbering, all before `at`) as node `at`, shifting every
 * later node, argument, next value and the output up by one: dense, topological ids stay so.
 */
export function insertNode(ir: CellIR, at: ValueId, node: Omit<Node, "id">): CellIR {
  const shift = (id: ValueId): ValueId => (id >= at ? id + 1 : id);
  if (node.args.some((a) => a >= at)) throw new Error("test setup: argument after the insertion");
  const moved = ir.nodes.map((n) => ({ ...n, id: shift(n.id), args: n.args.map(shift) }) as Loose);
  moved.splice(at, 0, { ...node, id: at } as Loose);
  return {
    ...ir,
    nodes: moved as unknown as Node[],
    next: new Map([...ir.next].map(([s, id]) => [s, shift(id)])),
    output: shift(ir.output),
  };
}

/** Replaces argument `index` of node `id` with `arg` (which must come before `id`). */
export function setArg(ir: CellIR, id: ValueId, index: number, arg: ValueId): CellIR {
  const nodes = ir.nodes.map((n) =>
    n.id === id ? ({ ...n, args: n.args.map((a, k) => (k === index ? arg : a)) } as Node) : n,
  );
  return { ...ir, nodes };
}

/** The node without its id: what insertNode takes to make a twin of it. */
export function withoutId(n: Node): Omit<Node, "id"> {
  const { id: _id, ...rest } = n;
  return rest as Omit<Node, "id">;
}
