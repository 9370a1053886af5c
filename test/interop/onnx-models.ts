// Builds ONNX models in code for the import tests: tensors, attributes, value infos, and a graph of
// one recurrent node with its weights as initializers and its data as graph inputs.
import type {
  AttributeProto,
  ModelProto,
  NodeProto,
  TensorProto,
  ValueInfoProto,
} from "../../src/interop/onnx/types.js";

export function floatTensor(
  name: string,
  shape: readonly number[],
  data: ArrayLike<number>,
): TensorProto {
  return {
    name,
    dims: [...shape],
    data_type: 1,
    float_data: [],
    double_data: [],
    int32_data: [],
    int64_data: [],
    raw_data: new Uint8Array(Float32Array.from(data).buffer),
  };
}

export function int64Tensor(name: string, values: readonly number[], scalar = false): TensorProto {
  return {
    name,
    dims: scalar ? [] : [values.length],
    data_type: 7,
    float_data: [],
    double_data: [],
    int32_data: [],
    int64_data: [...values],
  };
}

const EMPTY = { floats: [], ints: [], strings: [] };
const ascii = (s: string) => new TextEncoder().encode(s);

export type AttrValue =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | { float: number }
  | { floats: readonly number[] };

/** An attribute; whole numbers are INT unless wrapped as { float } (or a list as { floats }). */
export function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === "string") return { name, type: 3, s: ascii(v), ...EMPTY };
  if (typeof v === "number") return { name, type: 2, i: v, ...EMPTY };
  if ("float" in v) return { name, type: 1, f: v.float, ...EMPTY };
  if ("floats" in v) return { name, type: 6, ...EMPTY, floats: [...v.floats] };
  if (v.length > 0 && typeof v[0] === "string")
    return { name, type: 8, ...EMPTY, strings: (v as string[]).map(ascii) };
  return { name, type: 7, ...EMPTY, ints: [...(v as number[])] };
}

export function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Record<string, AttrValue> = {},
  name = "",
): NodeProto {
  return {
    op_type: op,
    name,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

export function valueInfo(
  name: string,
  shape: readonly (number | string)[],
  elemType = 1,
): ValueInfoProto {
  const dim = shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

export interface GraphParts {
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly string[];
  readonly opset: number;
}

export function model(parts: GraphParts): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: "", version: parts.opset }],
    producer_name: "cellc-tests",
    graph: {
      name: "g",
      node: [...parts.nodes],
      initializer: [...parts.initializers],
      input: [...parts.inputs],
      output: parts.outputs.map((name) => ({ name })),
      value_info: [],
    },
  };
}
