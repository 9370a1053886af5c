// Glue nodes on data: they move axes around without computing (Transpose, Reshape, Squeeze,
// Unsqueeze), take a graph input apart by layer (Slice) or put final states together (Concat).
// Each axis keeps its tag, so later checks know the time, batch and feature axes wherever they go.
import { sliceBounds } from "./const-ops.js";
import { axesArg, isFloatType, normAxis, permArg, sliceArgs } from "./glue-args.js";
import type { NodeContext } from "./node-context.js";
import { unsqueezeShape } from "./fold.js";
import { reshapeData } from "./reshape-data.js";
import {
  type Axis,
  type DataValue,
  type Dim,
  dimEntries,
  dimsValue,
  sameTag,
  type Value,
} from "./values.js";

type Inputs = readonly (Value | null)[];

const ONE: Axis = { tag: { t: "one" }, size: 1 };

export function dataNode(ctx: NodeContext, x: DataValue, inputs: Inputs): Value {
  const rank = x.axes.length;
  const withAxes = (axes: readonly Axis[]): DataValue => ({ ...x, axes });
  switch (ctx.op) {
    case "Identity":
      return x;
    case "Cast":
      if (isFloatType(ctx.int("to", 1))) return x;
      throw ctx.fail("casts the data to integers");
    case "Shape":
      return dimsValue(
        x.axes.map((a): Dim => a.size ?? a),
        false,
      );
    case "Transpose":
      return withAxes(permArg(ctx, rank).map((p) => x.axes[p]!));
    case "Unsqueeze":
      return withAxes(
        unsqueezeShape(ctx, x.axes, axesArg(ctx, inputs) ?? []).map((a) => (a === 1 ? ONE : a)),
      );
    case "Squeeze":
      return withAxes(squeeze(ctx, x.axes, axesArg(ctx, inputs)));
    case "Reshape": {
      const target = inputs[1] ? dimEntries(inputs[1]) : null;
      if (!target) throw ctx.fail("input 1 must be a shape");
      return withAxes(reshapeData(ctx, x.axes, target, ctx.int("allowzero", 0) === 0));
    }
    case "Slice":
      return slice(ctx, x, inputs);
    case "Concat":
      return concat(ctx, inputs);
  }
  throw ctx.fail(`${ctx.op} of the model's data is not supported`);
}

function squeeze(ctx: NodeContext, axes: readonly Axis[], given: readonly number[] | null): Axis[] {
  const picked = given ?? axes.flatMap((a, i) => (a.size === 1 ? [i] : []));
  const at = new Set(picked.map((a) => normAxis(ctx, a, axes.length)));
  for (const a of at)
    if (axes[a]!.size !== 1)
      throw ctx.fail(`cannot squeeze axis ${a}: its length is not known to be 1`);
  return axes.filter((_, i) => !at.has(i));
}

/** Slice of a graph input along one axis, with step 1: one layer's initial states. */
function slice(ctx: NodeContext, x: DataValue, inputs: Inputs): DataValue {
  const a = sliceArgs(ctx, inputs, x.axes.length);
  if (x.stream.s !== "input" || x.stream.range || a.axes.length !== 1 || a.steps[0] !== 1)
    throw ctx.fail("slices the data in a way cellc does not (only a graph input along one axis)");
  const axis = a.axes[0]!;
  const size = x.axes[axis]!.size;
  if (size === null) throw ctx.fail("slices an axis whose length is not known");
  const b = sliceBounds(size, a.starts[0]!, a.ends[0]!, 1);
  const axes = x.axes.map((ax, i) => (i === axis ? { ...ax, size: b.count } : ax));
  const range = { axis, start: b.start, end: b.start + b.count };
  return { kind: "data", stream: { ...x.stream, range }, axes };
}

/** Concat of consecutive layers' final states along their direction axis: h_n of a stack. */
function concat(ctx: NodeContext, inputs: Inputs): DataValue {
  const parts = inputs.map((v) => {
    if (v?.kind !== "data" || v.stream.s !== "final")
      throw ctx.fail("concatenates data other than the layers' final states");
    return { v, stream: v.stream };
  });
  const first = parts[0]!;
  const axis = normAxis(ctx, ctx.int("axis", 0), first.v.axes.length);
  if (first.v.axes[axis]!.tag.t !== "dir")
    throw ctx.fail("concatenates final states along an axis other than the directions");
  let to = first.stream.from;
  let count = 0;
  for (const { v, stream } of parts) {
    const same =
      v.axes.length === first.v.axes.length &&
      v.axes.every((a, i) => i === axis || sameTag(a.tag, first.v.axes[i]!.tag));
    if (!same || stream.state !== first.stream.state || stream.from !== to)
      throw ctx.fail("concatenates final states that are not consecutive layers of one state");
    to = stream.to;
    count += v.axes[axis]!.size ?? 0;
  }
  const axes = first.v.axes.map((a, i) => (i === axis ? { ...a, size: count } : a));
  return { kind: "data", stream: { ...first.stream, to }, axes };
}
