// Dense row-major float tensors, the currency of the runtime. Shapes are plain numbers here:
// symbolic sizes live in the compiler and are resolved before anything reaches a Tensor.
import { DataError } from "./data-error.js";
import { MAX_DIMENSION, MAX_ELEMENTS, checkedSize } from "./limits.js";

export type FloatArray = Float32Array | Float64Array;

export interface Tensor<A extends FloatArray = FloatArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

/** The number of elements a shape holds (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function tensor<A extends FloatArray>(data: A, shape: readonly number[]): Tensor<A> {
  if (data.length !== shapeSize(shape)) {
    throw new Error(
      `internal: tensor data has ${data.length} elements but shape ${formatShape(shape)} needs ${shapeSize(shape)}`,
    );
  }
  return { data, shape: [...shape] };
}

/**
 * Checks that `t`, from a caller, is a tensor: float data that fills a shape of whole, non-negative
 * dimensions within the limits (src/shared/limits.ts). Errors name the tensor and its source.
 */
export function checkTensor(t: unknown, name: string | null, source: string): Tensor {
  const candidate =
    typeof t === "object" && t !== null ? (t as { data?: unknown; shape?: unknown }) : null;
  const data = candidate?.data;
  const shape = candidate?.shape;
  if (!(data instanceof Float32Array || data instanceof Float64Array) || !Array.isArray(shape)) {
    throw new DataError(
      source,
      name,
      "expected { data: Float32Array or Float64Array, shape: number[] }",
    );
  }
  const dims: readonly unknown[] = shape;
  const shown = `[${dims.map((d) => (typeof d === "number" ? String(d) : typeof d)).join(", ")}]`;
  if (!dims.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    throw new DataError(source, name, `shape ${shown} is not a list of whole, non-negative sizes`);
  }
  const size = checkedSize(dims as number[]);
  if (size === null) {
    const detail = `shape ${shown} is over the limits (${MAX_DIMENSION} per dimension, ${MAX_ELEMENTS} elements)`;
    throw new DataError(source, name, detail);
  }
  if (data.length !== size) {
    throw new DataError(source, name, `shape ${shown} needs ${size} values, found ${data.length}`);
  }
  return { data, shape: dims as number[] };
}

/**
 * Checks `t` (see checkTensor) and gives it float32 data (copied only when it is not float32
 * already): what compiled kernels compute with.
 */
export function asFloat32Tensor(t: unknown, name: string, source: string): Tensor<Float32Array> {
  const { data, shape } = checkTensor(t, name, source);
  return { data: data instanceof Float32Array ? data : Float32Array.from(data), shape: [...shape] };
}

export function zeros(shape: readonly number[]): Tensor<Float64Array> {
  return { data: new Float64Array(shapeSize(shape)), shape: [...shape] };
}
