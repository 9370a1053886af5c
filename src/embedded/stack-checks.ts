// What a stack checks before it runs, each failure a DataError naming where the data came from:
// the caller's tensors (whole, within the limits), the input's layout and features per step, the
// names and shapes of initial states, one size per state across layers, and the memory a forward
// will need, before it is allocated.
import { type Sizes, concreteShape } from "./bind-sizes.js";
import { DataError } from "../shared/data-error.js";
import { MAX_ELEMENTS } from "../shared/limits.js";
import type { CellMeta } from "../shared/meta.js";
import { type Tensor, checkTensor, formatShape } from "../shared/tensor.js";
import type { StackOptions } from "./stack-types.js";

/** (time, batch, features) of an input, read in its layout; it must be 3-dimensional and full. */
export function sequenceDims(
  input: Tensor,
  batchFirst: boolean,
  source: string,
): { T: number; B: number; I: number } {
  const { shape } = checkTensor(input, null, source);
  if (shape.length !== 3) {
    const layout = batchFirst ? "(batch, time, features)" : "(time, batch, features)";
    const detail = `expected a 3-dimensional input ${layout}, found shape ${formatShape(shape)}`;
    throw new DataError(source, null, detail);
  }
  const [a, b, I] = shape as [number, number, number];
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
  const source = stateSource(name, options);
  const detail = `expected shape (layers*directions, batch, size) = ${formatShape(want)}, found ${formatShape(t.shape)}`;
  throw new DataError(source, name, detail);
}

/**
 * The caller's initial states as a map of checked tensors: own properties only (a state may be
 * named `constructor` or `__proto__`), each naming a state of the cell.
 */
export function initialStates(
  meta: CellMeta,
  initial: unknown,
  options: StackOptions,
): ReadonlyMap<string, Tensor> {
  const states = new Map<string, Tensor>();
  if (initial === undefined || initial === null) return states;
  if (typeof initial !== "object") {
    throw new DataError("initial states", null, "expected an object of tensors by state name");
  }
  const known = meta.states.map((s) => s.name);
  for (const [name, t] of Object.entries(initial)) {
    if (!known.includes(name)) {
      const detail = `cell '${meta.name}' has no state '${name}' (its states: ${known.join(", ") || "none"})`;
      throw new DataError("initial states", null, detail);
    }
    states.set(name, checkTensor(t, name, stateSource(name, options)));
  }
  return states;
}

function stateSource(name: string, options: StackOptions): string {
  const sources = options.sources?.states;
  return sources && Object.hasOwn(sources, name) ? sources[name]! : "initial states";
}

/** Refuses, before allocating, a buffer of `floats` elements over the limit. */
export function checkFloats(floats: number, source: string, what: string): void {
  if (floats <= MAX_ELEMENTS) return;
  const detail = `${what} would need ${floats} floats, over the limit of ${MAX_ELEMENTS}`;
  throw new DataError(source, null, detail);
}
