// What the importer knows about each value of the graph without running it: constant data, a shape
// whose entries may be the sizes of data axes, a constant fill of such a shape, or data (the
// model's input, a layer's outputs or final states, initial states) with a tag on every axis.
import type { ConstTensor } from "./const-tensor.js";

/** The meaning of one axis of a data value. */
export type AxisTag =
  /** axis `index` of graph input `input` (its time, batch or feature axis, or a state's) */
  | { readonly t: "in"; readonly input: string; readonly index: number }
  /** the directions of one layer, or of consecutive layers concatenated */
  | { readonly t: "dir" }
  /** a layer's hidden units */
  | { readonly t: "hid" }
  /** a layer's directions and hidden units flattened, direction-major: the next layer's input */
  | { readonly t: "feat" }
  /** a size-1 axis Unsqueeze put in */
  | { readonly t: "one" };

export interface Axis {
  readonly tag: AxisTag;
  /** Known length, or null (a graph input's dim_param). */
  readonly size: number | null;
}

/** What data holds. */
export type Stream =
  /** a graph input, possibly a range of it along one axis (initial states of one layer) */
  | { readonly s: "input"; readonly name: string; readonly range: Range | null }
  /** the outputs of layer `layer` */
  | { readonly s: "y"; readonly layer: number }
  /** the final values of state `state` of layers from .. to - 1, stacked on the direction axis */
  | { readonly s: "final"; readonly state: "h" | "c"; readonly from: number; readonly to: number };

export interface Range {
  readonly axis: number;
  readonly start: number;
  readonly end: number;
}

/** A dimension: a number, or the length of a data axis (the time or batch axis, say). */
export type Dim = number | Axis;

export type Value =
  | { readonly kind: "const"; readonly tensor: ConstTensor }
  /** a 1-D integer vector (or a scalar) with symbolic entries, from Shape of data */
  | { readonly kind: "dims"; readonly dims: readonly Dim[]; readonly scalar: boolean }
  /** every element equal to `value`, of a shape with symbolic entries (null: not tracked) */
  | { readonly kind: "fill"; readonly value: number; readonly shape: readonly Dim[] | null }
  | { readonly kind: "data"; readonly stream: Stream; readonly axes: readonly Axis[] };

export type DataValue = Extract<Value, { kind: "data" }>;

export const tagKey = (tag: AxisTag): string =>
  tag.t === "in" ? `in:${tag.index}:${tag.input}` : tag.t;

export const sameTag = (a: AxisTag, b: AxisTag): boolean => tagKey(a) === tagKey(b);

export const constValue = (tensor: ConstTensor): Value => ({ kind: "const", tensor });

export function intConst(values: readonly number[], scalar = false): Value {
  const shape = scalar ? [] : [values.length];
  return constValue({ float: false, shape, data: Float64Array.from(values) });
}

/** Dims as a const when every entry is a number. */
export function dimsValue(dims: readonly Dim[], scalar: boolean): Value {
  return dims.every((d) => typeof d === "number")
    ? intConst(dims as number[], scalar)
    : { kind: "dims", dims, scalar };
}

/** Entries of a const int vector or scalar, or of dims; null for anything else. */
export function dimEntries(v: Value): readonly Dim[] | null {
  if (v.kind === "dims") return v.dims;
  if (v.kind === "const" && v.tensor.shape.length <= 1) return Array.from(v.tensor.data);
  return null;
}
