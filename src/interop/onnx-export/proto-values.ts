// Constructors for the ONNX messages an export writes: tensors (data as little-endian raw bytes,
// whatever the machine's byte order), attributes and typed graph inputs/outputs.
import {
  AttributeType,
  DataType,
  type AttributeProto,
  type GraphProto,
  type TensorProto,
  type ValueInfoProto,
} from "../onnx/types.js";

const EMPTY_TENSOR = { float_data: [], double_data: [], int32_data: [], int64_data: [] } as const;

export function floatTensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
): TensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { ...EMPTY_TENSOR, name, dims: [...dims], data_type: DataType.FLOAT, raw_data: bytes };
}

export function int64Tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): TensorProto {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { ...EMPTY_TENSOR, name, dims: [...dims], data_type: DataType.INT64, raw_data: bytes };
}

const EMPTY_ATTRIBUTE = { floats: [], ints: [], strings: [] } as const;

export const intAttr = (name: string, i: number): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.INT,
  i,
});

export const intsAttr = (name: string, ints: readonly number[]): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.INTS,
  ints: [...ints],
});

export const floatAttr = (name: string, f: number): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.FLOAT,
  f,
});

export const floatsAttr = (name: string, floats: readonly number[]): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.FLOATS,
  floats: [...floats],
});

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

export const stringAttr = (name: string, s: string): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.STRING,
  s: ascii(s),
});

export const stringsAttr = (name: string, strings: readonly string[]): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.STRINGS,
  strings: strings.map(ascii),
});

export const tensorAttr = (name: string, t: TensorProto): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.TENSOR,
  t,
});

export const graphAttr = (name: string, g: GraphProto): AttributeProto => ({
  ...EMPTY_ATTRIBUTE,
  name,
  type: AttributeType.GRAPH,
  g,
});

/** A dimension: a number, or a name (`"T"`) for one the caller chooses. */
export type Dim = number | string;

/** A typed value of a graph's interface; without `dims`, its shape is left unknown. */
export function valueInfo(name: string, elemType: number, dims?: readonly Dim[]): ValueInfoProto {
  const shape = dims && {
    dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })),
  };
  return { name, type: { tensor_type: { elem_type: elemType, ...(shape ? { shape } : {}) } } };
}
