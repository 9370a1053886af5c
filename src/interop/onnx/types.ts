// The parts of ONNX's messages (third_party/onnx/onnx.proto) cellc reads and writes, as protobufjs
// gives them back: field names as in the .proto, 64-bit integers as numbers, repeated fields as
// arrays (empty when absent), other absent fields undefined.

/** TensorProto.DataType values cellc meets. */
export const DataType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType values cellc meets. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

export interface TensorProto {
  readonly name?: string;
  readonly dims: readonly number[];
  readonly data_type?: number;
  readonly float_data: readonly number[];
  readonly double_data: readonly number[];
  readonly int32_data: readonly number[];
  readonly int64_data: readonly number[];
  readonly raw_data?: Uint8Array;
  /** 1 (EXTERNAL) when the data lives in another file. */
  readonly data_location?: number;
}

export interface AttributeProto {
  readonly name?: string;
  readonly type?: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: Uint8Array;
  readonly t?: TensorProto;
  readonly g?: GraphProto;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
  readonly strings: readonly Uint8Array[];
}

export interface NodeProto {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name?: string;
  readonly op_type?: string;
  readonly domain?: string;
  readonly attribute: readonly AttributeProto[];
}

export interface Dimension {
  readonly dim_value?: number;
  readonly dim_param?: string;
}

export interface TypeProto {
  readonly tensor_type?: {
    readonly elem_type?: number;
    readonly shape?: { readonly dim: readonly Dimension[] };
  };
}

export interface ValueInfoProto {
  readonly name?: string;
  readonly type?: TypeProto;
}

export interface GraphProto {
  readonly node: readonly NodeProto[];
  readonly name?: string;
  readonly initializer: readonly TensorProto[];
  readonly input: readonly ValueInfoProto[];
  readonly output: readonly ValueInfoProto[];
  readonly value_info: readonly ValueInfoProto[];
}

export interface OperatorSetIdProto {
  readonly domain?: string;
  readonly version?: number;
}

export interface ModelProto {
  readonly ir_version?: number;
  readonly opset_import: readonly OperatorSetIdProto[];
  readonly producer_name?: string;
  readonly producer_version?: string;
  readonly graph?: GraphProto;
}
