// Reads one tensor of a .pt file: a strided view (offset, size, stride) of a storage's bytes,
// checked against the limits (src/shared/limits.ts) and against the storage's length before any
// data is read, then copied into row-major order. float16 and bfloat16 widen exactly to float32.
import { checkShapeLimits } from "./file-shape.js";
import {
  BYTES_PER_ITEM,
  type FloatKind,
  bf16ToF32,
  decodeFloats,
  f16ToF32,
} from "./float-codec.js";
import type { PyTensor } from "./pickle-values.js";
import { MAX_RANK } from "../shared/limits.js";
import { type FloatArray, type Tensor, formatShape, tensor } from "../shared/tensor.js";

type Fail = (detail: string) => Error;

/** The tensor `t` describes, with `data` the bytes of its storage (already checked for length). */
export function readTensor(t: PyTensor, data: Uint8Array, fail: Fail): Tensor {
  const { storage, shape, stride, offset } = t;
  const kind = storage.kind;
  if (kind === null) {
    const only = "only float32, float64, float16 and bfloat16 are supported";
    throw fail(`unsupported dtype ${storage.dtype} (storage '${storage.key}'): ${only}`);
  }
  if (t.metadata)
    throw fail("carries tensor metadata (a negated or conjugated view?) cellc cannot apply");
  const exact = (v: number) => Number.isSafeInteger(v);
  if (!(exact(offset) && shape.every(exact) && stride.every(exact))) {
    throw fail("its offset, a size or a stride is an int past 2^53");
  }
  if (shape.length > MAX_RANK) checkShapeLimits(shape, fail); // refused before it is printed
  if (stride.length !== shape.length) {
    throw fail(`size ${formatShape(shape)} has ${stride.length} strides`);
  }
  if (shape.some((d) => d < 0) || stride.some((s) => s < 0) || offset < 0) {
    const view = `offset ${offset}, size ${formatShape(shape)}, stride ${formatShape(stride)}`;
    throw fail(`${view}: expected sizes, strides and an offset of 0 or more`);
  }
  const size = checkShapeLimits(shape, fail);
  if (size === 0) return tensor(kind === "f64" ? new Float64Array(0) : new Float32Array(0), shape);
  // The last item the view reads, exactly (a stride may be up to 2^53).
  const last = shape.reduce((n, d, i) => n + BigInt(d - 1) * BigInt(stride[i]!), BigInt(offset));
  if (last >= BigInt(storage.numel)) {
    const view = `size ${formatShape(shape)}, stride ${formatShape(stride)}, offset ${offset}`;
    throw fail(
      `${view} reads item ${last} of storage '${storage.key}', which has ${storage.numel}`,
    );
  }
  const items = isRowMajor(shape, stride)
    ? decodeFloats(data, offset * BYTES_PER_ITEM[kind], size, kind)
    : gather(data, kind, t, size);
  return tensor(items, shape);
}

/** Whether the view is dense and row-major (strides of dimensions of size 1 do not matter). */
function isRowMajor(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/** Copies a strided view into row-major order; every index was bounded by the caller. */
function gather(data: Uint8Array, kind: FloatKind, t: PyTensor, size: number): FloatArray {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = reader(view, kind);
  const out = kind === "f64" ? new Float64Array(size) : new Float32Array(size);
  const { shape, stride } = t;
  const index = shape.map(() => 0);
  let at = t.offset;
  for (let i = 0; i < size; i++) {
    out[i] = read(at);
    // Advance the multi-index like an odometer, moving `at` by the strides.
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) {
        at += stride[d]!;
        break;
      }
      at -= (shape[d]! - 1) * stride[d]!;
      index[d] = 0;
    }
  }
  return out;
}

function reader(view: DataView, kind: FloatKind): (item: number) => number {
  switch (kind) {
    case "f32":
      return (i) => view.getFloat32(4 * i, true);
    case "f64":
      return (i) => view.getFloat64(8 * i, true);
    case "f16":
      return (i) => f16ToF32(view.getUint16(2 * i, true));
    case "bf16":
      return (i) => bf16ToF32(view.getUint16(2 * i, true));
  }
}
