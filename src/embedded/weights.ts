// The weights a caller hands to `create` (or to the float64 reference): a record or a Map of
// tensors by PyTorch name. Own keys only, so a tensor may be named `constructor` or `__proto__`;
// each tensor is checked before any is used.
import { DataError } from "../shared/data-error.js";
import { type Tensor, asFloat32Tensor, checkTensor } from "../shared/tensor.js";

/** Weights in either form a generated module's `create` takes them. */
export type Weights = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

function entriesOf(weights: unknown, source: string): [string, unknown][] {
  if (weights instanceof Map)
    return [...(weights as Map<unknown, unknown>)].map(([k, t]) => [String(k), t]);
  if (typeof weights !== "object" || weights === null) {
    throw new DataError(source, null, "expected an object or a Map of tensors by name");
  }
  return Object.entries(weights);
}

/** The weights as checked tensors, their data as given. */
export function weightTensors(weights: unknown, source: string): Map<string, Tensor> {
  return new Map(
    entriesOf(weights, source).map(([name, t]) => [name, checkTensor(t, name, source)]),
  );
}

/** The weights as checked float32 tensors, what compiled kernels compute with. */
export function float32Weights(
  weights: unknown,
  source: string,
): Map<string, Tensor<Float32Array>> {
  return new Map(
    entriesOf(weights, source).map(([name, t]) => [name, asFloat32Tensor(t, name, source)]),
  );
}
