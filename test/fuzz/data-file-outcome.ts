// What the tensor-file fuzzers accept from a parser, whatever bytes it was given: tensors within the
// limits whose data fills their shape, or a clean one-line DataError naming the source. Any other
// exception, or a case over the time budget, fails the property.
import { expect } from "vitest";
import { MAX_DIMENSION, MAX_RANK } from "../../src/shared/limits.js";
import { type Tensor, shapeSize } from "../../src/shared/tensor.js";
import { expectCleanDataError } from "../runtime/data-file-bytes.js";
import { withinBudget } from "./settings.js";

/** The name the fuzzers give every input; a refusal must start with it. */
export const SOURCE = "fuzz/input.bin";

/** Runs `parse` on one case and checks that it ends as above; returns the tensors, if any. */
export function expectTensorsOrDataError(
  what: string,
  parse: () => Tensor | ReadonlyMap<string, Tensor>,
): readonly Tensor[] | null {
  const outcome = withinBudget(what, () => {
    try {
      return { tensors: parse() };
    } catch (error) {
      return { error };
    }
  });
  if ("error" in outcome) {
    expectCleanDataError(outcome.error, SOURCE);
    return null;
  }
  const tensors =
    outcome.tensors instanceof Map ? [...outcome.tensors.values()] : [outcome.tensors];
  for (const t of tensors as Tensor[]) expectWellFormed(t);
  return tensors as Tensor[];
}

/** A tensor as the parsers promise it: whole dimensions within the limits, data filling them. */
export function expectWellFormed(t: Tensor): void {
  expect(t.shape.length).toBeLessThanOrEqual(MAX_RANK);
  for (const d of t.shape) {
    expect(Number.isInteger(d) && d >= 0 && d <= MAX_DIMENSION && !Object.is(d, -0)).toBe(true);
  }
  expect(t.data.length).toBe(shapeSize(t.shape));
}

/** The values of `a` and `b` are the same numbers (NaN equal to NaN, -0 apart from 0). */
export function expectSameValues(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect(a[i], `element ${i}`).toBe(b[i]);
  }
}

/** `bytes` with the bit `bit` of byte `at` (both taken modulo the length) flipped. */
export function flipBit(bytes: Uint8Array, at: number, bit: number): Uint8Array {
  const out = bytes.slice();
  if (out.length > 0) out[at % out.length]! ^= 1 << (bit % 8);
  return out;
}
