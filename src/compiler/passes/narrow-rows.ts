// Narrows values to the rows that are used. A vector used only through slices (`split`), or
// through element-wise ops whose results are themselves only partly used, computes only the
// runs of rows its users read, laid end to end; each slice then reads its rows from there:
//   slice(W @ x, s, l)            ->  W[s +: l] @ x                  (row block cut at load time)
//   slice(W @ x + b, s, l)        ->  W[s +: l] @ x + slice(b, s, l)  (through element-wise ops)
//   slices 0 and 2 of split(W @ x, 3) -> [W[0 +: H]; W[2*H +: H]] @ x, sliced at 0 and H
// so a product whose parts are partly thrown away (`let hr, hz, _hn = split(weight_hh @ h, 3)`)
// does no multiply-add for the rows nobody reads. A leaf or a concat is not narrowed; its users
// read their rows of it (a slice, or a concat of slices when the rows are in several runs).
// Runs are ordered symbolically (sizes are never negative); where two sizes cannot be ordered
// (`H` and `I`), the value is left whole. Exact: every row is computed as before. Requires:
// verified IR. Guarantees: every product and element-wise vector that is not an output or a
// state update computes only rows some user reads, as far as the sizes can be ordered. Idempotent.
import type { Span } from "../../diagnostics.js";
import { type Size, addSizes, shapeEquals, sizeConst } from "../../shared/size.js";
import type { IRBuilder } from "../ir/builder.js";
import type { CellIR, Node, NodeOf, ValueId } from "../ir/ir.js";
import { assert, isBinary, isUnary, rootsOf } from "../ir/ir.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";
import {
  type Block,
  coversAll,
  mergeBlocks,
  positionIn,
  rowBlock,
  stackRows,
} from "./row-blocks.js";

/** The rows of a value its users read: all of them, or sorted disjoint runs (some rows unread). */
type Demand = "all" | readonly Block[];

const isElementwise = (n: Node): boolean => isUnary(n) || isBinary(n) || n.op === "select";

/** Values that compute only their demanded rows when some are unread; others stay whole. */
const narrowable = (n: Node): boolean =>
  n.op === "matvec" || n.op === "affine" || n.op === "slice" || isElementwise(n);

/** Blocks of a slice's rows as rows of what it slices. */
const shift = (blocks: readonly Block[], by: Size): Block[] =>
  blocks.map((b) => ({ start: addSizes(b.start, by), len: b.len }));

/** What a slice reads of its argument, given the slice's own demand. */
const sliceReads = (n: NodeOf<"slice">, d: Demand): Block[] =>
  shift(d === "all" ? [{ start: sizeConst(0), len: n.len }] : d, n.start);

/**
 * The demand on every value, users before arguments (ids are topological). A slice reads its
 * rows (of its own demand, if partial); a narrowed element-wise user reads its own demand of a
 * vector argument; any other use, or being a root, reads everything.
 */
function demands(ir: CellIR): Demand[] {
  const users: ValueId[][] = ir.nodes.map(() => []);
  for (const n of ir.nodes)
    for (const a of n.args) if (users[a]!.at(-1) !== n.id) users[a]!.push(n.id);
  const roots = new Set(rootsOf(ir));
  const out: Demand[] = new Array<Demand>(ir.nodes.length).fill("all");
  for (let id = ir.nodes.length - 1; id >= 0; id--) {
    const n = ir.nodes[id]!;
    if (n.shape.length !== 1 || roots.has(id) || users[id]!.length === 0) continue;
    const blocks: Block[] = [];
    const read = users[id]!.every((u) => {
      const user = ir.nodes[u]!;
      const d = out[u]!;
      if (user.op === "slice") {
        blocks.push(...sliceReads(user, d));
        return true;
      }
      if (d === "all" || !isElementwise(user)) return false;
      blocks.push(...d);
      return true;
    });
    const runs = read ? mergeBlocks(blocks) : null;
    if (runs !== null && !coversAll(runs, n.shape[0]!)) out[id] = runs;
  }
  return out;
}

export const narrowRows: Pass = {
  name: "narrow-rows",
  run(ir) {
    // Only slices leave rows unread: without them, or with every row read, nothing to rebuild.
    if (!ir.nodes.some((n) => n.op === "slice")) return ir;
    const demand = demands(ir);
    if (demand.every((d) => d === "all")) return ir;
    const narrowed = (id: ValueId) => demand[id] !== "all" && narrowable(ir.nodes[id]!);
    const out = rebuild(ir, (n, args, b, moved) => {
      /** Rows `blocks` of old value `v`, from wherever v's rows now are. */
      const pick = (v: ValueId, blocks: readonly Block[]): ValueId => {
        const runs = demand[v]!;
        const source = moved(v);
        if (!narrowed(v) || runs === "all") return gather(b, source, blocks, n.span);
        const at = blocks.map((blk) => {
          const start = positionIn(runs, blk);
          assert(start !== null, `narrow-rows: rows of %${v} that its demand lacks`);
          return { start, len: blk.len };
        });
        return gather(b, source, at, n.span);
      };
      if (n.op === "slice") {
        const d = demand[n.id]!;
        if (!narrowed(n.args[0]) && d === "all") return null;
        return pick(n.args[0], sliceReads(n, d));
      }
      const d = demand[n.id]!;
      if (d === "all" || !narrowable(n)) return null;
      if (n.op === "matvec" || n.op === "affine") {
        const w = stackRows(
          b,
          d.map((blk) => rowBlock(b, args[0]!, blk, n.span)),
          n.span,
        );
        const rest = n.op === "affine" ? [args[1]!, pick(n.args[2], d)] : [args[1]!];
        return b.emit(n.op, [w, ...rest], {}, n.span);
      }
      const vector = (a: ValueId) => shapeEquals(ir.nodes[a]!.shape, n.shape);
      const picked = n.args.map((a, i) => (vector(a) ? pick(a, d) : args[i]!));
      return b.emit(n.op, picked, {}, n.span);
    });
    return sameIR(ir, out) ? ir : out;
  },
};

/** Rows `blocks` of `source` (new ids): itself if that is all of it, a slice, or their concat. */
function gather(
  b: IRBuilder,
  source: ValueId,
  blocks: readonly Block[],
  span: Span | null,
): ValueId {
  const runs = mergeBlocks(blocks);
  assert(runs !== null, "narrow-rows: rows that cannot be ordered");
  const length = b.node(source).shape[0]!;
  if (coversAll(runs, length)) return source;
  const parts = runs.map((r) => b.emit("slice", [source], r, span));
  return parts.length === 1 ? parts[0]! : b.emit("concat", parts, {}, span);
}
