// A RecurrentStack's weights as a cellc state_dict (weight_ih_l0, ..._reverse), and the row-block
// reordering importers use to bring gate blocks into PyTorch's order.
import { DataError } from "../../shared/data-error.js";
import { formatShape, type Tensor } from "../../shared/tensor.js";
import type { RecurrentStack } from "./types.js";

/** The stored name of parameter `param` of layer k, direction d. */
export function stateDictName(stack: RecurrentStack, param: string, k: number, d: number): string {
  const reverse = d === 1 || stack.directions === "backward" ? "_reverse" : "";
  return `${param}_l${k}${reverse}`;
}

/** Every layer's weights under their stored names, layer by layer, forward before backward. */
export function stateDict(stack: RecurrentStack): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  stack.layers.forEach((directions, k) =>
    directions.forEach((weights, d) => {
      for (const [param, t] of weights) out.set(stateDictName(stack, param, k, d), t);
    }),
  );
  return out;
}

/**
 * The rows of `t` (a vector, or a matrix by rows) cut into `order.length` equal blocks and put
 * back in the order given: block j of the result is block order[j] of `t`.
 */
export function reorderBlocks(t: Tensor, order: readonly number[], blocks: number): Tensor {
  const rows = t.shape[0]!;
  const rowSize = t.shape.length === 2 ? t.shape[1]! : 1;
  if (rows % blocks !== 0) throw new Error(`internal: ${rows} rows do not split into ${blocks}`);
  const block = (rows / blocks) * rowSize;
  const data = new Float32Array(order.length * block);
  order.forEach((from, j) =>
    data.set(t.data.subarray(from * block, (from + 1) * block), j * block),
  );
  const shape =
    t.shape.length === 2
      ? [order.length * (rows / blocks), rowSize]
      : [order.length * (rows / blocks)];
  return { data, shape };
}

/** Refuses a tensor whose shape is not `want`, naming it as the model names it. */
export function checkShape(t: Tensor, want: readonly number[], source: string, what: string): void {
  const same = t.shape.length === want.length && t.shape.every((n, i) => n === want[i]);
  if (!same) {
    const detail = `${what} has shape ${formatShape(t.shape)}, expected ${formatShape(want)}`;
    throw new DataError(source, null, detail);
  }
}
