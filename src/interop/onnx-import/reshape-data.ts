// Reshape of data as axis bookkeeping: the target's entries are matched to runs of source axes
// (0 copies one, a data axis from Shape names one, a number takes axes whose lengths multiply to
// it, -1 takes what is left), and each run must be one axis or a layer's directions and hidden
// units, which flatten into the next layer's features. Anything else would mix up the data.
import type { NodeContext } from "./node-context.js";
import { type Axis, type Dim, sameTag } from "./values.js";

const ONE: Axis = { tag: { t: "one" }, size: 1 };

type Entry = number | Axis | "rest";

export function reshapeData(
  ctx: NodeContext,
  axes: readonly Axis[],
  target: readonly Dim[],
  copyZero: boolean,
): Axis[] {
  const entries: Entry[] = target.map((d, j) => {
    if (d === 0 && copyZero) {
      if (!axes[j]) throw ctx.fail(`entry ${j} copies an axis the data does not have`);
      return axes[j]!;
    }
    return d === -1 ? "rest" : d;
  });
  const rest = entries.indexOf("rest");
  if (entries.lastIndexOf("rest") !== rest) throw ctx.fail("Reshape with two -1 entries");
  const cut = rest === -1 ? entries.length : rest;
  const groups: Axis[][] = [];
  let i = 0;
  for (const e of entries.slice(0, cut)) {
    const g = take(ctx, axes, i, e as number | Axis, 1);
    groups.push(g);
    i += g.length;
  }
  const tail: Axis[][] = [];
  let j = axes.length;
  for (const e of entries.slice(cut + 1).reverse()) {
    const g = take(ctx, axes, j - 1, e as number | Axis, -1).reverse();
    tail.unshift(g);
    j -= g.length;
  }
  if (j < i) throw ctx.fail("Reshape entries do not fit the data's axes");
  if (rest !== -1) groups.push(axes.slice(i, j));
  else if (j !== i) throw ctx.fail("Reshape leaves axes of the data unaccounted for");
  return [...groups, ...tail].map((g) => merge(ctx, g));
}

/** The run of axes from `at` (walking `dir`) that entry `e` stands for. */
function take(
  ctx: NodeContext,
  axes: readonly Axis[],
  at: number,
  e: number | Axis,
  dir: 1 | -1,
): Axis[] {
  if (typeof e !== "number") {
    const a = axes[at];
    if (!a || !sameTag(a.tag, e.tag)) throw ctx.fail("Reshape moves an axis of the data elsewhere");
    return [a];
  }
  // A 1 where the data has no axis of length 1 is a new axis.
  if (e === 1 && axes[at]?.size !== 1) return [];
  const run: Axis[] = [];
  let product = 1;
  for (let k = at; product < e || run.length === 0; k += dir) {
    const a = axes[k];
    if (!a) break;
    if (a.size === null)
      throw ctx.fail(`Reshape to a fixed length ${e} of axes whose lengths are not known`);
    run.push(a);
    product *= a.size;
  }
  if (product !== e) throw ctx.fail(`Reshape to length ${e} cuts through an axis of the data`);
  return run;
}

/** One axis for a run: itself, or directions and hidden units flattened into features. */
function merge(ctx: NodeContext, run: readonly Axis[]): Axis {
  const kept = run.filter((a) => a.tag.t !== "one");
  if (kept.length === 0) return ONE;
  if (kept.length === 1) return kept[0]!;
  const [d, h] = kept;
  if (kept.length === 2 && d!.tag.t === "dir" && h!.tag.t === "hid") {
    return { tag: { t: "feat" }, size: d!.size! * h!.size! };
  }
  throw ctx.fail("Reshape merges axes of the data other than directions and hidden units");
}
