// Dense row-major float tensors, the currency of the runtime. Shapes are plain numbers here:
// symbolic sizes live in the compiler and are resolved before anything reaches a Tensor.

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

export function zeros(shape: readonly number[]): Tensor<Float64Array> {
  return { data: new Float64Array(shapeSize(shape)), shape: [...shape] };
}
