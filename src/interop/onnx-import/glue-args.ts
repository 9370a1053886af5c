// The arguments of glue nodes as numbers, from attributes (older opsets) or constant inputs (newer
// ones): axes, Slice bounds, Transpose permutations, Cast targets. Errors name the node.
import { DataType } from "../onnx/types.js";
import type { NodeContext } from "./node-context.js";
import { dimEntries, type Value } from "./values.js";

/** Constant integers of input `i` (a shape, axes, bounds), or null when the input is absent. */
export function constInts(
  ctx: NodeContext,
  inputs: readonly (Value | null)[],
  i: number,
): number[] | null {
  const v = inputs[i];
  if (!v) return null;
  const entries = dimEntries(v);
  if (!entries || entries.some((d) => typeof d !== "number"))
    throw ctx.fail(`input ${i} must be constant integers`);
  return entries as number[];
}

/** An axis in [-rank, rank) as a non-negative one. */
export function normAxis(ctx: NodeContext, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw ctx.fail(`axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Squeeze/Unsqueeze axes: the attribute (opset < 13) or input 1. */
export function axesArg(ctx: NodeContext, inputs: readonly (Value | null)[]): number[] | null {
  return ctx.has("axes") ? [...ctx.ints("axes")!] : constInts(ctx, inputs, 1);
}

export interface SliceArgs {
  readonly starts: number[];
  readonly ends: number[];
  readonly axes: number[];
  readonly steps: number[];
}

/** Slice's bounds: attributes before opset 10, inputs 1-4 since. */
export function sliceArgs(
  ctx: NodeContext,
  inputs: readonly (Value | null)[],
  rank: number,
): SliceArgs {
  const fromAttrs = ctx.has("starts");
  const starts = fromAttrs ? [...ctx.ints("starts")!] : constInts(ctx, inputs, 1);
  const ends = fromAttrs ? [...(ctx.ints("ends") ?? [])] : constInts(ctx, inputs, 2);
  if (!starts || !ends || starts.length !== ends.length)
    throw ctx.fail("needs starts and ends of one length");
  const given = fromAttrs ? ctx.ints("axes") : constInts(ctx, inputs, 3);
  const axes = (given ?? starts.map((_, i) => i)).map((a) => normAxis(ctx, a, rank));
  const steps = fromAttrs
    ? starts.map(() => 1)
    : (constInts(ctx, inputs, 4) ?? starts.map(() => 1));
  if (steps.some((s) => s === 0)) throw ctx.fail("a step of 0");
  return { starts, ends, axes, steps };
}

/** Transpose's permutation (default: reversed axes), checked. */
export function permArg(ctx: NodeContext, rank: number): number[] {
  const perm = ctx.ints("perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || sorted.some((p, i) => p !== i))
    throw ctx.fail(`perm [${perm.join(", ")}] is not a permutation of ${rank} axes`);
  return [...perm];
}

const FLOAT_TYPES: readonly number[] = [
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.FLOAT16,
  DataType.BFLOAT16,
];

/** Whether a Cast (`to`) or ConstantFill (`dtype`) type is a float type. */
export const isFloatType = (type: number): boolean => FLOAT_TYPES.includes(type);
