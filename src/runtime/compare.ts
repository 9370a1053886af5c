// Compares a computed tensor with an expected one the way the fixtures define a pass:
// |got - want| <= atol + rtol * |want| everywhere, with the worst errors reported.
import { type Tensor, formatShape } from "../shared/tensor.js";

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

export interface Comparison {
  readonly pass: boolean;
  readonly maxAbs: number;
  /** The largest |got - want| / |want| over elements where want is not zero. */
  readonly maxRel: number;
  /** Why the tensors cannot be compared at all (different shapes), or null. */
  readonly mismatch: string | null;
}

export function compareTensors(got: Tensor, want: Tensor, tol: Tolerance): Comparison {
  const sameShape =
    got.shape.length === want.shape.length && got.shape.every((d, i) => d === want.shape[i]);
  if (!sameShape) {
    const mismatch = `shape ${formatShape(got.shape)}, expected ${formatShape(want.shape)}`;
    return { pass: false, maxAbs: Infinity, maxRel: Infinity, mismatch };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let pass = true;
  for (let i = 0; i < want.data.length; i++) {
    const w = want.data[i]!;
    const diff = Math.abs(got.data[i]! - w);
    // NaN must fail, so test the passing condition and negate it.
    if (!(diff <= tol.atol + tol.rtol * Math.abs(w))) pass = false;
    if (!(diff <= maxAbs)) maxAbs = diff;
    if (w !== 0 && !(diff / Math.abs(w) <= maxRel)) maxRel = diff / Math.abs(w);
  }
  return { pass, maxAbs, maxRel, mismatch: null };
}
