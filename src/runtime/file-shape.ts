// The size limits (src/shared/limits.ts) applied to a shape read from a tensor file, before any
// data is decoded or allocated. A dimension over the limit is refused even when another dimension
// is 0: an empty (2^40, 0, 4) input would still make a forward loop over 2^40 time steps.
import { MAX_DIMENSION, MAX_ELEMENTS, MAX_RANK, checkedSize } from "../shared/limits.js";
import { formatShape } from "../shared/tensor.js";

/**
 * The number of elements of `shape`, whose dimensions are already known to be non-negative safe
 * integers; throws `fail(detail)` when its rank, a dimension or its size is over the limits.
 */
export function checkShapeLimits(
  shape: readonly number[],
  fail: (detail: string) => Error,
  show: (shape: readonly number[]) => string = formatShape,
): number {
  // Checked first, so a shape of a million dimensions is refused without being printed.
  if (shape.length > MAX_RANK) {
    throw fail(`shape has ${shape.length} dimensions, over the limit of ${MAX_RANK}`);
  }
  const big = shape.findIndex((d) => d > MAX_DIMENSION);
  if (big >= 0) {
    const detail = `dimension ${big} of shape ${show(shape)} is ${shape[big]}`;
    throw fail(`${detail}, over the limit of ${MAX_DIMENSION} per dimension`);
  }
  const size = checkedSize(shape);
  if (size === null) {
    // Exact even where the float product would round.
    const exact = shape.reduce((n, d) => n * BigInt(d), 1n);
    const detail = `shape ${show(shape)} has ${exact} elements`;
    throw fail(`${detail}, over the limit of ${MAX_ELEMENTS} per tensor`);
  }
  return size;
}
