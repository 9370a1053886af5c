// Glue nodes none of whose inputs is data, folded: over constants exactly (const-ops.ts), over
// shape vectors whose entries may be data axes (Shape -> Gather -> Unsqueeze -> Concat, as
// torch.onnx.export builds the shape of zero initial states), and over constant fills.
import { decodeTensor, type ConstTensor } from "./const-tensor.js";
import {
  castConst,
  concatConst,
  expandConst,
  gatherConst,
  reshapeConst,
  sliceBounds,
  sliceConst,
  transposeConst,
} from "./const-ops.js";
import { axesArg, constInts, isFloatType, normAxis, permArg, sliceArgs } from "./glue-args.js";
import type { NodeContext } from "./node-context.js";
import { constValue, type Dim, dimEntries, dimsValue, intConst, type Value } from "./values.js";

type Inputs = readonly (Value | null)[];

const FILL_OPS = ["Identity", "Cast", "Transpose", "Unsqueeze", "Squeeze", "Slice", "Reshape"];

export function foldNode(ctx: NodeContext, inputs: Inputs): Value {
  const x = inputs[0] ?? null;
  switch (ctx.op) {
    case "Constant":
      return constantNode(ctx);
    case "ConstantOfShape":
      return filled(ctx, shapeOf(ctx, inputs, 0), fillValue(ctx));
    case "ConstantFill":
      return constantFill(ctx, inputs);
    case "Expand":
      return expand(ctx, need(ctx, x), shapeOf(ctx, inputs, 1));
  }
  const v = need(ctx, x);
  // A Concat of constant and symbolic shape vectors is a symbolic shape vector.
  const symbolic = ctx.op === "Concat" && inputs.some((i) => i?.kind === "dims");
  if (v.kind === "const" && !symbolic) return constValue(foldConst(ctx, v.tensor, inputs));
  const dims = dimEntries(v);
  const scalar = v.kind === "dims" ? v.scalar : v.kind === "const" && v.tensor.shape.length === 0;
  if (dims) return foldDims(ctx, dims, scalar, inputs);
  // Moving or cutting a constant fill leaves a fill (its shape matters to no recurrent node).
  if (v.kind === "fill" && FILL_OPS.includes(ctx.op))
    return { kind: "fill", value: v.value, shape: null };
  if (v.kind === "fill" && ctx.op === "Shape" && v.shape) return dimsValue(v.shape, false);
  throw ctx.fail(`cannot compute ${ctx.op} of this value`);
}

function need(ctx: NodeContext, v: Value | null): Value {
  if (!v) throw ctx.fail("a required input is missing");
  return v;
}

function constantNode(ctx: NodeContext): Value {
  const t = ctx.tensor("value");
  if (t) return constValue(decodeTensor(t, ctx.source, `${ctx.label}: value`));
  const f = ctx.float("value_float");
  if (f !== null) return constValue({ float: true, shape: [], data: Float64Array.of(f) });
  const fs = ctx.floats("value_floats");
  if (fs) return constValue({ float: true, shape: [fs.length], data: Float64Array.from(fs) });
  if (ctx.has("value_int")) return intConst([ctx.int("value_int", 0)], true);
  const is = ctx.ints("value_ints");
  if (is) return intConst(is);
  throw ctx.fail("a Constant without a numeric value");
}

function shapeOf(ctx: NodeContext, inputs: Inputs, i: number): readonly Dim[] {
  const v = inputs[i];
  const dims = v ? dimEntries(v) : null;
  if (!dims) throw ctx.fail(`input ${i} must be a shape`);
  return dims;
}

function fillValue(ctx: NodeContext): ConstTensor {
  const t = ctx.tensor("value");
  if (!t) return { float: true, shape: [1], data: Float64Array.of(0) };
  const value = decodeTensor(t, ctx.source, `${ctx.label}: value`);
  if (value.data.length !== 1) throw ctx.fail("value must hold one number");
  return value;
}

/** A tensor of `shape` filled with `value`: constant when the shape is known. */
function filled(ctx: NodeContext, shape: readonly Dim[], value: ConstTensor): Value {
  const v = value.data[0]!;
  if (!shape.every((d) => typeof d === "number")) return { kind: "fill", value: v, shape };
  const dims = shape as number[];
  const n = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n) || n > 1 << 24) throw ctx.fail("a constant fill too large");
  return constValue({ float: value.float, shape: dims, data: new Float64Array(n).fill(v) });
}

function constantFill(ctx: NodeContext, inputs: Inputs): Value {
  const float = isFloatType(ctx.int("dtype", 1));
  const value = { float, shape: [1], data: Float64Array.of(ctx.float("value") ?? 0) };
  if (ctx.int("input_as_shape", 0) === 1) return filled(ctx, shapeOf(ctx, inputs, 0), value);
  return filled(ctx, [...(ctx.ints("shape") ?? [])], value);
}

/** Expand of a uniform tensor gives a fill; other tensors only to a known shape. */
function expand(ctx: NodeContext, v: Value, shape: readonly Dim[]): Value {
  const uniform =
    v.kind === "fill"
      ? v.value
      : v.kind === "const" && v.tensor.data.every((d) => d === v.tensor.data[0])
        ? v.tensor.data[0]!
        : null;
  if (uniform !== null && !shape.every((d) => typeof d === "number"))
    return { kind: "fill", value: uniform, shape };
  if (v.kind !== "const" || !shape.every((d) => typeof d === "number"))
    throw ctx.fail("cannot expand this value to a shape that depends on the input");
  const target = broadcastShape(ctx, v.tensor.shape, shape as number[]);
  return constValue(expandConst(v.tensor, target));
}

function broadcastShape(ctx: NodeContext, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw ctx.fail("shapes do not broadcast");
    return Math.max(x, y);
  });
}

function foldConst(ctx: NodeContext, t: ConstTensor, inputs: Inputs): ConstTensor {
  const rank = t.shape.length;
  switch (ctx.op) {
    case "Identity":
      return t;
    case "Cast":
      return castConst(t, isFloatType(ctx.int("to", 1)));
    case "Shape":
      return { float: false, shape: [rank], data: Float64Array.from(shapeRange(ctx, t.shape)) };
    case "Transpose":
      return transposeConst(t, permArg(ctx, rank));
    case "Reshape":
      return reshapeConst(t, reshapeTarget(ctx, t.shape, constInts(ctx, inputs, 1) ?? []));
    case "Unsqueeze":
      return reshapeConst(t, unsqueezeShape(ctx, t.shape, axesArg(ctx, inputs) ?? []));
    case "Squeeze":
      return reshapeConst(t, squeezeShape(ctx, t.shape, axesArg(ctx, inputs)));
    case "Slice": {
      const a = sliceArgs(ctx, inputs, rank);
      return sliceConst(t, a.axes, a.starts, a.ends, a.steps);
    }
    case "Gather":
      return gatherConst(t, constTensor(ctx, inputs, 1), normAxis(ctx, ctx.int("axis", 0), rank));
    case "Concat":
      return concatConst(constTensors(ctx, inputs), normAxis(ctx, ctx.int("axis", 0), rank));
  }
  throw ctx.fail(`cannot compute ${ctx.op}`);
}

function constTensor(ctx: NodeContext, inputs: Inputs, i: number): ConstTensor {
  const v = inputs[i];
  if (v?.kind !== "const") throw ctx.fail(`input ${i} must be constant`);
  return v.tensor;
}

function constTensors(ctx: NodeContext, inputs: Inputs): ConstTensor[] {
  return inputs.map((_, i) => constTensor(ctx, inputs, i));
}

/** Shape's optional start and end (opset 15). */
function shapeRange<T>(ctx: NodeContext, dims: readonly T[]): T[] {
  const n = dims.length;
  const b = sliceBounds(n, ctx.int("start", 0), ctx.has("end") ? ctx.int("end", n) : n, 1);
  return dims.slice(b.start, b.start + b.count);
}

export function unsqueezeShape<T>(
  ctx: NodeContext,
  shape: readonly T[],
  axes: readonly number[],
): (T | 1)[] {
  const rank = shape.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(ctx, a, rank)));
  const rest = [...shape];
  return Array.from({ length: rank }, (_, i) => (at.has(i) ? 1 : rest.shift()!));
}

function squeezeShape(
  ctx: NodeContext,
  shape: readonly number[],
  axes: readonly number[] | null,
): number[] {
  const at = new Set(
    (axes ?? shape.flatMap((n, i) => (n === 1 ? [i] : []))).map((a) =>
      normAxis(ctx, a, shape.length),
    ),
  );
  for (const a of at)
    if (shape[a] !== 1) throw ctx.fail(`cannot squeeze axis ${a} of length ${shape[a]}`);
  return shape.filter((_, i) => !at.has(i));
}

/** Reshape's target for a constant: 0 copies (allowzero unset), one -1 takes the rest. */
function reshapeTarget(
  ctx: NodeContext,
  shape: readonly number[],
  target: readonly number[],
): number[] {
  const copy = ctx.int("allowzero", 0) === 0;
  const out = target.map((d, i) => (d === 0 && copy ? shape[i]! : d));
  const total = shape.reduce((a, b) => a * b, 1);
  const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const free = out.filter((d) => d === -1).length;
  if (
    free > 1 ||
    (free === 1 && (known === 0 || total % known !== 0)) ||
    (free === 0 && known !== total)
  )
    throw ctx.fail(`cannot reshape [${shape.join(", ")}] to [${target.join(", ")}]`);
  return out.map((d) => (d === -1 ? total / known : d));
}

/** Shape vectors with symbolic entries: the 1-D index arithmetic torch.onnx.export writes. */
function foldDims(ctx: NodeContext, dims: readonly Dim[], scalar: boolean, inputs: Inputs): Value {
  switch (ctx.op) {
    case "Identity":
    case "Cast":
      return dimsValue(dims, scalar);
    case "Shape":
      return intConst(shapeRange(ctx, scalar ? [] : [dims.length]));
    case "Gather": {
      const idx = constTensor(ctx, inputs, 1);
      const picked = Array.from(idx.data, (i) => dims[i < 0 ? i + dims.length : i]);
      if (picked.some((d) => d === undefined)) throw ctx.fail("index out of range");
      return dimsValue(picked as Dim[], idx.shape.length === 0);
    }
    case "Unsqueeze":
      if (scalar) return dimsValue(dims, false);
      break;
    case "Squeeze":
      if (!scalar && dims.length === 1) return dimsValue(dims, true);
      break;
    case "Concat":
      return dimsValue(
        inputs.flatMap((v, i) => [...((v && dimEntries(v)) ?? fail(ctx, i))]),
        false,
      );
    case "Slice": {
      const a = sliceArgs(ctx, inputs, 1);
      const b = sliceBounds(dims.length, a.starts[0]!, a.ends[0]!, a.steps[0]!);
      return dimsValue(
        Array.from({ length: b.count }, (_, k) => dims[b.start + k * a.steps[0]!]!),
        false,
      );
    }
  }
  throw ctx.fail(`cannot compute ${ctx.op} of a shape that depends on the input`);
}

function fail(ctx: NodeContext, i: number): never {
  throw ctx.fail(`input ${i} must be a shape`);
}
