// What a stack checks before it runs, each failure a DataError naming where the data came from:
// the input's layout and features per step, one size per state across layers, and the shape of
// each initial state.
import { type Sizes, concreteShape } from "./bind-sizes.js";
import { DataError } from "../shared/data-error.js";
import type { CellMeta } from "../shared/meta.js";
import { type Tensor, formatShape } from "../shared/tensor.js";
import type { StackOptions } from "./stack-types.js";

/** (time, batch, features) of an input, read in its layout; it must be 3-dimensional and full. */
export function sequenceDims(
  input: Tensor,
  batchFirst: boolean,
  source: string,
): { T: number; B: number; I: number } {
  if (input.shape.length !== 3) {
    const layout = batchFirst ? "(batch, time, features)" : "(time, batch, features)";
    throw new DataError(
      source,
      null,
      `expected a 3-dimensional input ${layout}, found shape ${formatShape(input.shape)}`,
    );
  }
  const [a, b, I] = input.shape as [number, number, number];
  if (input.data.length !== a * b * I) {
    const detail = `shape ${formatShape(input.shape)} needs ${a * b * I} values, found ${input.data.length}`;
    throw new DataError(source, null, detail);
  }
  return batchFirst ? { T: b, B: a, I } : { T: a, B: b, I };
}

/** Layer 0 must get the features per step its weights expect, layer k>0 what layer k-1 makes. */
export function checkInputSize(
  meta: CellMeta,
  sizes: Sizes,
  inSize: number,
  layer: number,
  source: string,
  tensorName: (p: string) => string,
): void {
  const want = concreteShape(meta.input.shape, sizes)?.[0];
  if (want === inSize) return;
  const weight = tensorName(meta.params[0]?.name ?? "");
  const detail =
    layer === 0
      ? `has ${inSize} features per step, but the weights (${weight}) expect ${want}`
      : `layer ${layer} expects ${want} input features, but layer ${layer - 1} produces ${inSize}`;
  throw new DataError(source, null, detail);
}

/** Stacked final states are (L*D, B, size): every layer must agree on each state's size. */
export function checkSameSizes(
  meta: CellMeta,
  sizes: readonly number[],
  first: readonly number[] | undefined,
  layer: number,
  source: string,
): void {
  meta.states.forEach((s, i) => {
    if (first && first[i] !== sizes[i]) {
      const detail = `state '${s.name}' has size ${sizes[i]} in layer ${layer} but ${first[i]} in layer 0; a stack needs one size`;
      throw new DataError(source, null, detail);
    }
  });
}

/** An initial state must be (layers * directions, batch, size). */
export function checkInitialState(
  t: Tensor,
  name: string,
  count: number,
  B: number,
  size: number,
  options: StackOptions,
): void {
  const want = [count, B, size];
  if (t.shape.length === 3 && t.shape.every((d, i) => d === want[i])) return;
  const source = options.sources?.states?.[name] ?? "initial states";
  const detail = `expected shape (layers*directions, batch, size) = ${formatShape(want)}, found ${formatShape(t.shape)}`;
  throw new DataError(source, name, detail);
}
