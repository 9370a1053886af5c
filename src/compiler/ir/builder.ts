// Builds IR nodes through one door, `emit`, which hash-conses (op, args, attributes): asking twice
// for the same computation returns the same id, so common subexpressions merge by construction.
import type { Span } from "../../diagnostics.js";
import { type Shape, type Size, formatSymbolicShape, sizeKey } from "../../shared/size.js";
import type { LeafOp, Node, Op, ValueId } from "./ir.js";
import { assert } from "./ir.js";
import { inferShape } from "./shape-rules.js";

/** What distinguishes one node from another besides op and args. */
export type Attrs =
  | { readonly name: string; readonly shape: Shape }
  | { readonly value: number }
  | { readonly size: Size }
  | { readonly start: Size; readonly len: Size }
  | Record<string, never>;

type MutableNode = { -readonly [K in keyof Node]: Node[K] } & Record<string, unknown>;

export class IRBuilder {
  private readonly nodes: MutableNode[] = [];
  private readonly byKey = new Map<string, ValueId>();

  get size(): number {
    return this.nodes.length;
  }

  node(id: ValueId): Node {
    const n = this.nodes[id];
    assert(n, `no node %${id}`);
    return n as Node;
  }

  leaf(op: LeafOp, name: string, shape: Shape, span: Span | null): ValueId {
    return this.emit(op, [], { name, shape }, span, name);
  }

  constant(value: number, span: Span | null = null): ValueId {
    return this.emit("const", [], { value }, span);
  }

  /** Adds a node (or finds its twin). Shapes must already be known to be valid. */
  emit(
    op: Op,
    args: readonly ValueId[],
    attrs: Attrs = {},
    span: Span | null = null,
    hint?: string,
  ): ValueId {
    const key = nodeKey(op, args, attrs);
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const id = this.nodes.length;
    const shape = this.shapeFor(op, args, attrs);
    const node: MutableNode = { id, op, args: [...args], shape, span, ...attrs } as MutableNode;
    if (hint !== undefined) node.hint = hint;
    this.nodes.push(node);
    this.byKey.set(key, id);
    return id;
  }

  /** Names a value after the source variable it was bound to, unless it already has a name. */
  nameValue(id: ValueId, hint: string): void {
    const n = this.nodes[id];
    if (n && n.hint === undefined && n.op !== "const") n.hint = hint;
  }

  finish(): Node[] {
    return this.nodes.map((n) => Object.freeze({ ...n }) as Node);
  }

  private shapeFor(op: Op, args: readonly ValueId[], attrs: Attrs): Shape {
    if ("shape" in attrs) return attrs.shape;
    if (op === "const" || op === "size") return [];
    const len = "len" in attrs ? attrs.len : undefined;
    const result = inferShape(
      op,
      args.map((a) => this.node(a).shape),
      len,
    );
    assert(
      "shape" in result,
      `${op} of ${args.map((a) => `%${a}`).join(", ")}: ${"problem" in result ? result.problem : ""}`,
    );
    return result.shape;
  }
}

/** What distinguishes a node besides op and args, as `emit` takes it. */
export function attrsOf(n: Node): Attrs {
  switch (n.op) {
    case "input":
    case "state":
    case "param":
      return { name: n.name, shape: n.shape };
    case "const":
      return { value: n.value };
    case "size":
      return { size: n.size };
    case "slice":
    case "columns":
      return { start: n.start, len: n.len };
    default:
      return {};
  }
}

/** The hash-consing key of a node: equal keys, equal computations (given equal arguments). */
export function keyOf(n: Node): string {
  return nodeKey(n.op, n.args, attrsOf(n));
}

function nodeKey(op: Op, args: readonly ValueId[], attrs: Attrs): string {
  const parts = [op, ...args.map(String)];
  if ("name" in attrs) parts.push(attrs.name, formatSymbolicShape(attrs.shape));
  if ("size" in attrs) parts.push(sizeKey(attrs.size));
  if ("value" in attrs) parts.push(Object.is(attrs.value, -0) ? "-0" : String(attrs.value));
  if ("start" in attrs) parts.push(sizeKey(attrs.start), sizeKey(attrs.len));
  return parts.join("|");
}
