// Dense row-major float tensors, the currency of the runtime. Shapes are plain numbers here:
// symbolic sizes live in the compiler and are resolved before anything reaches a Tensor.
import { DataError } from "./data-error.js";

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
 * Checks that `t` is a tensor whose data fills its shape, and gives it float32 data (copied only
 * when it is not float32 already): what compiled kernels compute with.
 */
export function asFloat32Tensor(t: unknown, name: string, source: string): Tensor<Float32Array> {
  const candidate = t as { data?: unknown; shape?: unknown } | null;
  const data = candidate?.data;
  const shape = candidate?.shape;
  const isShape = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
  if (!(data instanceof Float32Array || data instanceof Float64Array) || !isShape) {
    throw new DataError(source, name, "expected { data: Float32Array, shape: number[] }");
  }
  if (data.length !== shapeSize(shape)) {
    const detail = `shape ${formatShape(shape)} needs ${shapeSize(shape)} values, found ${data.length}`;
    throw new DataError(source, name, detail);
  }
  return { data: data instanceof Float32Array ? data : Float32Array.from(data), shape: [...shape] };
}

export function zeros(shape: readonly number[]): Tensor<Float64Array> {
  return { data: new Float64Array(shapeSize(shape)), shape: [...shape] };
}
