// Constant tensors of an ONNX graph (initializers, Constant nodes, glue folded over them), decoded
// from TensorProto into float64 numbers: floats exactly (float32, float16, bfloat16, double), and
// integers as numbers (shape arithmetic; an int64 past 2^53 rounds, which only ever means "to the
// end").
import { DataError } from "../../shared/data-error.js";
import { checkedSize } from "../../shared/limits.js";
import { decodeFloats, type FloatKind } from "../../runtime/float-codec.js";
import { DataType, type TensorProto } from "../onnx/types.js";

export interface ConstTensor {
  readonly float: boolean;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

const FLOATS: ReadonlyMap<number, FloatKind> = new Map([
  [DataType.FLOAT, "f32"],
  [DataType.DOUBLE, "f64"],
  [DataType.FLOAT16, "f16"],
  [DataType.BFLOAT16, "bf16"],
]);
const BOOL = 9;
const INTS: ReadonlyMap<number, number> = new Map([
  [DataType.INT32, 4],
  [DataType.INT64, 8],
  [BOOL, 1],
]);

/** `what` names the tensor in errors (already made printable by DataError). */
export function decodeTensor(t: TensorProto, source: string, what: string): ConstTensor {
  const fail = (detail: string) => new DataError(source, null, `${what}: ${detail}`);
  if (t.data_location === 1)
    throw fail("its data is in an external file, which cellc does not read");
  const shape = t.dims.map(Number);
  const count = checkedSize(shape);
  if (count === null) throw fail(`shape [${shape.join(", ")}] is over cellc's limits`);
  const type = t.data_type ?? 0;
  const data = FLOATS.has(type)
    ? floatData(t, count, FLOATS.get(type)!, fail)
    : INTS.has(type)
      ? intData(t, count, INTS.get(type)!, fail)
      : null;
  if (!data) throw fail(`data type ${type} is not a float or integer type cellc reads`);
  return { float: FLOATS.has(type), shape, data };
}

type Fail = (detail: string) => DataError;

function checkCount(found: number, count: number, fail: Fail): void {
  if (found !== count) throw fail(`holds ${found} values for a shape of ${count}`);
}

function floatData(t: TensorProto, count: number, kind: FloatKind, fail: Fail): Float64Array {
  const raw = t.raw_data;
  if (raw && raw.length > 0) {
    const width = kind === "f64" ? 8 : kind === "f32" ? 4 : 2;
    checkCount(raw.length / width, count, fail);
    return Float64Array.from(decodeFloats(raw, 0, count, kind));
  }
  // float16/bfloat16 values sit in int32_data as bit patterns.
  if (kind === "f16" || kind === "bf16") {
    checkCount(t.int32_data.length, count, fail);
    const bits = Uint16Array.from(t.int32_data);
    return Float64Array.from(decodeFloats(new Uint8Array(bits.buffer), 0, count, kind));
  }
  const values = kind === "f64" ? t.double_data : t.float_data;
  checkCount(values.length, count, fail);
  return Float64Array.from(values);
}

function intData(t: TensorProto, count: number, width: number, fail: Fail): Float64Array {
  const raw = t.raw_data;
  if (raw && raw.length > 0) {
    checkCount(raw.length / width, count, fail);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      out[i] =
        width === 8
          ? Number(view.getBigInt64(8 * i, true))
          : width === 4
            ? view.getInt32(4 * i, true)
            : view.getUint8(i);
    }
    return out;
  }
  const values = width === 8 ? t.int64_data : t.int32_data;
  checkCount(values.length, count, fail);
  return Float64Array.from(values, Number);
}

/** The values of a tensor that must hold whole numbers (shapes, axes, lengths). */
export function integers(t: ConstTensor): number[] {
  return Array.from(t.data);
}
